import { randomUUID } from 'node:crypto';
import { appendAudit } from '../../audit/use-cases/append-audit.ts';
import { regionWithin, type Actor } from '../../identity/domain/roles.ts';
import type { Deps } from '../../shared/deps.ts';
import { AppError } from '../../shared/errors.ts';
import { sha256Hex } from '../../shared/hash.ts';
import { chunks } from '../../shared/chunks.ts';
import { lockDraft } from '../adapters/draft-store.ts';
import { mayChangeRegion } from '../domain/admin-scope.ts';
import type { ApplicantKind } from '../domain/applicant-kinds.ts';
import { MAX_MATERIALS } from '../domain/service-item.ts';
import type { CellError } from '../spreadsheet/index.ts';
import { nameKey } from '../spreadsheet/normalise.ts';
import { parseServiceItemSpreadsheet, type ServiceItemParseResult } from '../spreadsheet/parse-service-item-spreadsheet.ts';
import { catalogAdminScope } from './catalog-admin-scope.ts';
import { readUploadedList } from './read-uploaded-list.ts';

export interface ServiceItemImportResult { total: number; created: number; updated: number; unchanged: number; proofMaterials: number; formMaterials: number }


/**
 * Imports a list of service items (政务服务事项清单: 事项编码, 事项名称, 实施部门, 服务对象, 申请材料)
 * into the draft, all or nothing. A row whose code exists replaces that item's name, department,
 * 服务对象 and materials; a new code adds an item. The item's region is its department's. A
 * material whose name is a proof item's that applies there (of the department's region, above or
 * within it; the nearest region first) requires that proof item; any other is a form. A city's
 * administrator imports only items of its region, with departments of its region. Any error —
 * the file's or a row's — refuses the whole file (422 CATALOG.IMPORT_INVALID with every
 * {row, column, reason}); nothing changes.
 */
/** One material of an item: the same proof item, or a form of the same name. */
function materialKey(m: { name: string; proofItemId: string | null }): string {
  return m.proofItemId ?? `form:${nameKey(m.name)}`;
}

export async function importServiceItems(file: { data: Buffer; filename: string }, actor: Actor, deps: Deps): Promise<ServiceItemImportResult> {
  const scope = await catalogAdminScope(actor, deps);
  const parsed = await readUploadedList(() => parseServiceItemSpreadsheet(file.data, file.filename));
  const errors: CellError[] = [...parsed.errors];
  const fail = (row: number, field: keyof ServiceItemParseResult['columns'], reason: string, reasonEn: string, code: string) =>
    errors.push({ row, column: parsed.columns[field], reason, reasonEn, code });

  return deps.db.transaction().execute(async (trx) => {
    // read under the draft's lock: what is checked is what is written
    await lockDraft(trx);
    const [departments, regions, proofs, items, materials] = await Promise.all([
      trx.selectFrom('departments').select(['id', 'name', 'region_code', 'category']).execute(),
      trx.selectFrom('regions').select(['code', 'name']).execute(),
      trx.selectFrom('proof_items').select(['id', 'name', 'region_code']).execute(),
      trx.selectFrom('service_items').select(['code', 'name', 'department_id', 'region_code', 'applicant_kinds']).execute(),
      trx.selectFrom('service_item_materials').select(['id', 'service_item_code', 'position', 'name', 'proof_item_id', 'required']).orderBy('service_item_code').orderBy('position').execute(),
    ]);
    const regionName = new Map(regions.map((r) => [r.code, r.name]));
    const deptByName = new Map(departments.map((d) => [nameKey(d.name), d]));
    const proofsByName = new Map<string, typeof proofs>();
    for (const p of proofs) proofsByName.set(nameKey(p.name), [...(proofsByName.get(nameKey(p.name)) ?? []), p]);
    const itemByCode = new Map(items.map((i) => [i.code, i]));
    const materialsOf = new Map<string, typeof materials>();
    for (const m of materials) materialsOf.set(m.service_item_code, [...(materialsOf.get(m.service_item_code) ?? []), m]);
    const scopeName = scope.regionCode ? (regionName.get(scope.regionCode) ?? scope.regionCode) : '';

    type Planned = { code: string; name: string; department: (typeof departments)[number]; kinds: ApplicantKind[]; materials: Array<{ name: string; required: boolean; proofItemId: string | null }> };
    const planned: Planned[] = [];
    for (const row of parsed.rows) {
      const department = deptByName.get(nameKey(row.department));
      if (!department) {
        fail(row.row, 'department', `实施部门“${row.department}”不在部门目录中`, `Department "${row.department}" is not registered`, 'IMPORT.UNKNOWN_DEPARTMENT');
        continue;
      }
      const prior = itemByCode.get(row.code);
      if (prior && !mayChangeRegion(scope, prior.region_code)) {
        fail(row.row, 'code', `事项“${row.code}”属于${regionName.get(prior.region_code) ?? prior.region_code}，不在您的管理范围（${scopeName}）内`,
          `Service item ${row.code} is of region ${prior.region_code}, outside your region (${scope.regionCode})`, 'CATALOG.OUT_OF_REGION');
      } else if (!mayChangeRegion(scope, department.region_code)) {
        fail(row.row, 'department', `实施部门“${department.name}”（${regionName.get(department.region_code) ?? department.region_code}）不在您的管理范围（${scopeName}）内`,
          `Department "${department.name}" (${department.region_code}) is outside your region (${scope.regionCode})`, 'CATALOG.OUT_OF_REGION');
      }
      if (row.materials.length > MAX_MATERIALS) {
        fail(row.row, 'materials', `申请材料不能超过 ${MAX_MATERIALS} 项`, `At most ${MAX_MATERIALS} materials`, 'IMPORT.TOO_MANY_MATERIALS');
      }
      const resolved = row.materials.map((m) => {
        // the proof item of that name that applies here, the nearest region first (the department's, then above, then within)
        const candidates = (proofsByName.get(nameKey(m.name)) ?? [])
          .filter((p) => regionWithin(department.region_code, p.region_code) || regionWithin(p.region_code, department.region_code))
          .sort((a, b) => distance(a.region_code, department.region_code) - distance(b.region_code, department.region_code) || a.id.localeCompare(b.id));
        return { name: m.name, required: m.required, proofItemId: candidates[0]?.id ?? null };
      });
      const seen = new Set<string>();
      const deduped = resolved.filter((m) => {
        const key = materialKey(m);
        if (seen.has(key)) return false;
        seen.add(key);
        return true;
      });
      planned.push({ code: row.code, name: row.name, department, kinds: row.applicantKinds, materials: deduped });
    }
    if (errors.length > 0) {
      errors.sort((a, b) => a.row - b.row || a.column.localeCompare(b.column));
      throw new AppError('CATALOG.IMPORT_INVALID', { field: 'file', details: { errors: errors.slice(0, 1000), errorCount: errors.length } });
    }

    const result: ServiceItemImportResult = { total: planned.length, created: 0, updated: 0, unchanged: 0, proofMaterials: 0, formMaterials: 0 };
    const newItems = [];
    const newMaterials = [];
    const replaced: string[] = [];
    for (const p of planned) {
      const prior = itemByCode.get(p.code);
      const before = materialsOf.get(p.code) ?? [];
      // a material keeps its id while it is the same material
      const idByKey = new Map(before.map((m) => [materialKey({ name: m.name, proofItemId: m.proof_item_id }), m.id]));
      const rows = p.materials.map((m, i) => ({
        id: idByKey.get(materialKey(m)) ?? `${p.code}-M${String(i + 1).padStart(2, '0')}-${randomUUID().slice(0, 8)}`,
        service_item_code: p.code, position: i + 1, name: m.name, proof_item_id: m.proofItemId, required: m.required,
      }));
      result.proofMaterials += rows.filter((m) => m.proof_item_id).length;
      result.formMaterials += rows.filter((m) => !m.proof_item_id).length;
      if (!prior) {
        newItems.push({ code: p.code, name: p.name, department_id: p.department.id, region_code: p.department.region_code, applicant_kinds: p.kinds });
        newMaterials.push(...rows);
        result.created++;
        continue;
      }
      const same = prior.name === p.name && prior.department_id === p.department.id && [...prior.applicant_kinds].sort().join() === [...p.kinds].sort().join() &&
        JSON.stringify(before.map((m) => [m.id, m.name, m.proof_item_id, m.required])) === JSON.stringify(rows.map((m) => [m.id, m.name, m.proof_item_id, m.required]));
      if (same) {
        result.unchanged++;
        continue;
      }
      await trx.updateTable('service_items').set({ name: p.name, department_id: p.department.id, region_code: p.department.region_code, applicant_kinds: p.kinds }).where('code', '=', p.code).execute();
      replaced.push(p.code);
      newMaterials.push(...rows);
      result.updated++;
    }
    for (const part of chunks(newItems)) await trx.insertInto('service_items').values(part).execute();
    for (const part of chunks(replaced)) await trx.deleteFrom('service_item_materials').where('service_item_code', 'in', part).execute();
    for (const part of chunks(newMaterials)) await trx.insertInto('service_item_materials').values(part).execute();
    await appendAudit(trx, {
      actorId: actor.id, actorRole: 'catalog_admin', action: 'catalog.service_item.import', subjectType: 'catalog_draft', subjectId: 'draft',
      change: { filename: file.filename, fileSha256: sha256Hex(file.data), result, codes: planned.map((p) => p.code) },
    });
    return result;
  });
}

/** How far apart two regions of one branch are: 0 the same, 1 a level apart (province ↔ city, city ↔ county), 2 two levels. */
function distance(a: string, b: string): number {
  const level = (code: string) => (code.endsWith('0000') ? 0 : code.endsWith('00') ? 1 : 2);
  return Math.abs(level(a) - level(b));
}
