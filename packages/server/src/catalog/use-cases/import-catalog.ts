import { appendAudit } from '../../audit/use-cases/append-audit.ts';
import type { Actor } from '../../identity/domain/roles.ts';
import type { Deps } from '../../shared/deps.ts';
import { AppError } from '../../shared/errors.ts';
import { sha256Hex } from '../../shared/hash.ts';
import { lockDraft, proofItemRow } from '../adapters/draft-store.ts';
import { mayChangeRegion } from '../domain/admin-scope.ts';
import { checkProofItemRules, defaultCommitmentRule, type ExemptionMethod, type ProofItemFields, type RiskCategory } from '../domain/proof-item.ts';
import { parseCatalogSpreadsheet, type CellError, type SheetRow } from '../spreadsheet/index.ts';
import { nameKey } from '../spreadsheet/normalise.ts';
import { catalogAdminScope } from './catalog-admin-scope.ts';
import { readUploadedList } from './read-uploaded-list.ts';
import { chunks } from '../../shared/chunks.ts';


export interface ImportResult { total: number; created: number; updated: number; unchanged: number; linked: number }

const FIELD_COLUMNS: Record<string, string> = {
  name: '证明名称', issuingDepartment: '开具单位', legalBasis: '设定依据', methods: '免提交方式', serviceItems: '适用事项', region: '所属区划', notes: '备注',
};


/**
 * Imports a justice bureau's list (.xlsx / .csv) into the draft, all or nothing: every
 * row is parsed and resolved against departments, regions and service items first; any
 * error rejects the whole file with the list of (row, column, reason) and changes nothing.
 * A city's administrator imports only proof items of its region (a row without a region takes
 * its issuing department's), linked only to service items of its region, and a new proof item
 * only with an issuing department of its region: any other row is an error (CATALOG.OUT_OF_REGION,
 * under 所属区划, 适用事项 or 开具单位) and the file is refused as a whole. A row of an existing
 * proof item names the department it already has (the key is name and department): that one stays.
 */
export async function importCatalog(file: { data: Buffer; filename: string }, actor: Actor, deps: Deps): Promise<ImportResult> {
  const scope = await catalogAdminScope(actor, deps);
  const parsed = await readUploadedList(() => parseCatalogSpreadsheet(file.data, file.filename));
  const col = (field: string) => parsed.columns[field] ?? FIELD_COLUMNS[field] ?? field;
  const errors: CellError[] = [...parsed.errors];
  const fail = (row: number, field: string, reason: string, reasonEn: string, code: string) => errors.push({ row, column: col(field), reason, reasonEn, code });

  const [departments, regions, serviceItems, existing] = await Promise.all([
    deps.db.selectFrom('departments').selectAll().execute(),
    deps.db.selectFrom('regions').selectAll().execute(),
    deps.db.selectFrom('service_items').select(['code', 'name', 'region_code']).execute(),
    deps.db.selectFrom('proof_items').selectAll().execute(),
  ]);
  const deptByName = new Map(departments.map((d) => [nameKey(d.name), d]));
  const regionByKey = new Map<string, (typeof regions)[number]>();
  for (const r of regions) { regionByKey.set(r.code, r); regionByKey.set(nameKey(r.name), r); }
  const regionName = (code: string) => regionByKey.get(code)?.name ?? code;
  const scopeName = scope.regionCode ? regionName(scope.regionCode) : '';
  const outOfRegion = (row: number, field: string, zh: string, en: string) =>
    fail(row, field, `${zh}不在您的管理范围（${scopeName}）内`, `${en} is outside your region (${scope.regionCode})`, 'CATALOG.OUT_OF_REGION');
  const serviceByCode = new Map(serviceItems.map((s) => [s.code, s]));
  const serviceByName = new Map<string, (typeof serviceItems)[number][]>();
  for (const s of serviceItems) serviceByName.set(nameKey(s.name), [...(serviceByName.get(nameKey(s.name)) ?? []), s]);
  const existingByKey = new Map(existing.map((p) => [`${p.name}\u0000${p.issuing_department_id}`, p]));

  type Resolved = { row: SheetRow; fields: ProofItemFields; serviceCodes: string[]; existingId?: string };
  const resolved: Resolved[] = [];
  // A proof item is one name of one department (the draft's unique key). Rows that name the department
  // differently ("公安" with a 所属区划, its full name) or give another region are the same item:
  // the parser, which compares the text, does not see it.
  const rowOfKey = new Map<string, number>();
  const flaggedByParser = new Set(parsed.errors.filter((e) => e.code === 'IMPORT.DUPLICATE_NAME').map((e) => e.row));
  for (const row of parsed.rows) {
    const region = row.region ? regionByKey.get(nameKey(row.region)) : undefined;
    if (row.region && !region) fail(row.row, 'region', `行政区划“${row.region}”不存在`, `Unknown region "${row.region}"`, 'IMPORT.UNKNOWN_REGION');
    let dept = deptByName.get(nameKey(row.issuingDepartment));
    if (!dept && region) {
      // "公安" in a list of one region means that region's 公安局.
      dept = departments.find((d) => d.region_code === region.code && (d.category === row.issuingDepartment || d.name.endsWith(row.issuingDepartment)));
    }
    if (!dept) {
      fail(row.row, 'issuingDepartment', `开具单位“${row.issuingDepartment}”不在部门目录中`, `Issuing department "${row.issuingDepartment}" is not registered`, 'IMPORT.UNKNOWN_DEPARTMENT');
      continue;
    }
    const regionCode = region?.code ?? dept.region_code;
    const key = `${row.name}\u0000${dept.id}`;
    const firstRow = rowOfKey.get(key);
    if (firstRow === undefined) rowOfKey.set(key, row.row);
    else if (!flaggedByParser.has(row.row)) {
      fail(row.row, 'name', `证明名称“${row.name}”与开具单位“${dept.name}”的组合与第 ${firstRow} 行重复`,
        `The proof "${row.name}" from "${dept.name}" repeats row ${firstRow}`, 'IMPORT.DUPLICATE_NAME');
    }
    const prior = existingByKey.get(key);
    if (!mayChangeRegion(scope, regionCode)) {
      outOfRegion(row.row, 'region', `所属区划“${regionName(regionCode)}”`, `Region ${regionCode}`);
    } else if (!prior && !mayChangeRegion(scope, dept.region_code)) {
      // a proof item of the region, issued by another region's department
      outOfRegion(row.row, 'issuingDepartment', `开具单位“${dept.name}”（${regionName(dept.region_code)}）`, `Issuing department "${dept.name}" (${dept.region_code})`);
    }
    const serviceCodes: string[] = [];
    for (const ref of row.serviceItems) {
      const byCode = serviceByCode.get(ref.trim());
      const candidates = byCode ? [byCode] : serviceByName.get(nameKey(ref)) ?? [];
      const chosen = candidates.length === 1 ? candidates[0] : candidates.find((c) => c.region_code === regionCode);
      if (!chosen) {
        fail(row.row, 'serviceItems', candidates.length > 1 ? `适用事项“${ref}”在多个地区重名，请填写事项编码` : `适用事项“${ref}”不存在`,
          candidates.length > 1 ? `Service item "${ref}" is ambiguous; give its code` : `Unknown service item "${ref}"`, 'IMPORT.UNKNOWN_SERVICE_ITEM');
      } else if (!mayChangeRegion(scope, chosen.region_code)) {
        outOfRegion(row.row, 'serviceItems', `适用事项“${ref}”（${regionName(chosen.region_code)}）`, `Service item "${ref}" (${chosen.region_code})`);
      } else if (!serviceCodes.includes(chosen.code)) serviceCodes.push(chosen.code);
    }
    if (prior && !mayChangeRegion(scope, prior.region_code) && mayChangeRegion(scope, regionCode)) {
      // the row would take another region's proof item into this one
      outOfRegion(row.row, 'region', `已有证明事项“${row.name}”属于${regionName(prior.region_code)}，`, `The existing proof item "${row.name}" of ${prior.region_code}`);
    }
    const methods = row.methods as ExemptionMethod[];
    const fields: ProofItemFields = {
      name: row.name, issuingDepartmentId: dept.id, regionCode, legalBasis: row.legalBasis, methods,
      riskCategory: (prior?.risk_category as RiskCategory | null) ?? null,
      commitment: methods.includes('commitment') ? prior?.commitment ?? defaultCommitmentRule(row.name) : null,
      notes: row.notes ?? prior?.notes ?? '',
    };
    for (const v of checkProofItemRules(fields)) {
      const field = v.field === 'commitment' ? 'methods' : v.field;
      fail(row.row, field, v.message, v.messageEn, v.code);
    }
    resolved.push({ row, fields, serviceCodes, existingId: prior?.id });
  }
  if (errors.length > 0) {
    errors.sort((a, b) => a.row - b.row || a.column.localeCompare(b.column));
    throw new AppError('CATALOG.IMPORT_INVALID', { field: 'file', details: { errors: errors.slice(0, 1000), errorCount: errors.length } });
  }

  return deps.db.transaction().execute(async (trx) => {
    await lockDraft(trx);
    // the file was checked against the draft as read before the lock: if another administrator
    // changed the draft's proof items since, nothing is written (no unique-key error, no update of a deleted item)
    const now = await trx.selectFrom('proof_items').select(['id', 'updated_at']).execute();
    if (draftStamp(now) !== draftStamp(existing)) throw new AppError('CATALOG.DRAFT_CHANGED', { field: 'file' });
    const result: ImportResult = { total: resolved.length, created: 0, updated: 0, unchanged: 0, linked: 0 };
    const existingById = new Map(existing.map((p) => [p.id, p]));
    const ids: string[] = [];
    const toCreate = resolved.filter((r) => !r.existingId);
    const createdIds: string[] = [];
    for (const part of chunks(toCreate)) {
      const rows = await trx.insertInto('proof_items').values(part.map((r) => proofItemRow(r.fields))).returning('id').execute();
      createdIds.push(...rows.map((r) => r.id));
    }
    result.created = createdIds.length;
    let next = 0;
    for (const r of resolved) {
      if (!r.existingId) {
        ids.push(createdIds[next++]!);
        continue;
      }
      const prior = existingById.get(r.existingId)!;
      const same = prior.legal_basis === r.fields.legalBasis && prior.region_code === r.fields.regionCode && prior.notes === r.fields.notes &&
        JSON.stringify(prior.methods) === JSON.stringify(r.fields.methods) && JSON.stringify(prior.commitment) === JSON.stringify(r.fields.commitment);
      if (same) result.unchanged++;
      else {
        await trx.updateTable('proof_items').set({ ...proofItemRow(r.fields), updated_at: deps.now() }).where('id', '=', r.existingId).execute();
        result.updated++;
      }
      ids.push(r.existingId);
    }
    // Link each proof to the service items that require it, once, after their current materials.
    const wanted = resolved.flatMap((r, i) => r.serviceCodes.map((code) => ({ code, proofId: ids[i]!, name: r.fields.name })));
    if (wanted.length > 0) {
      const codes = [...new Set(wanted.map((w) => w.code))];
      const current = await trx.selectFrom('service_item_materials').select(['service_item_code', 'proof_item_id', 'position']).where('service_item_code', 'in', codes).execute();
      const linked = new Set(current.map((m) => `${m.service_item_code}\u0000${m.proof_item_id}`));
      const lastPosition = new Map<string, number>();
      for (const m of current) lastPosition.set(m.service_item_code, Math.max(lastPosition.get(m.service_item_code) ?? 0, m.position));
      const materials = [];
      for (const w of wanted) {
        const key = `${w.code}\u0000${w.proofId}`;
        if (linked.has(key)) continue;
        linked.add(key);
        const position = (lastPosition.get(w.code) ?? 0) + 1;
        lastPosition.set(w.code, position);
        materials.push({ id: `${w.code}-M${String(position).padStart(2, '0')}-${w.proofId}`, service_item_code: w.code, position, name: w.name, proof_item_id: w.proofId, required: true });
      }
      for (const part of chunks(materials)) await trx.insertInto('service_item_materials').values(part).execute();
      result.linked = materials.length;
    }
    await appendAudit(trx, {
      actorId: actor.id, actorRole: 'catalog_admin', action: 'catalog.import', subjectType: 'catalog_draft', subjectId: 'draft',
      change: { filename: file.filename, fileSha256: sha256Hex(file.data), result, proofItemIds: ids },
    });
    return result;
  });
}

/** The draft's proof items as ids and change times: equal stamps, unchanged draft. */
function draftStamp(rows: ReadonlyArray<{ id: string; updated_at: Date | string }>): string {
  return rows.map((r) => `${r.id}@${new Date(r.updated_at).getTime()}`).sort().join(',');
}
