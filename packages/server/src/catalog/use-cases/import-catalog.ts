import { appendAudit } from '../../audit/use-cases/append-audit.ts';
import type { Actor } from '../../identity/domain/roles.ts';
import type { Deps } from '../../shared/deps.ts';
import { AppError } from '../../shared/errors.ts';
import { sha256Hex } from '../../shared/hash.ts';
import { proofItemRow } from '../adapters/draft-store.ts';
import { checkProofItemRules, defaultCommitmentRule, type ExemptionMethod, type ProofItemFields, type RiskCategory } from '../domain/proof-item.ts';
import { isSpreadsheetError, parseCatalogSpreadsheet, type CellError, type ParseResult, type SheetRow } from '../spreadsheet/index.ts';

export interface ImportResult { total: number; created: number; updated: number; unchanged: number; linked: number }

const FIELD_COLUMNS: Record<string, string> = {
  name: '证明名称', issuingDepartment: '开具单位', legalBasis: '设定依据', methods: '免提交方式', serviceItems: '适用事项', region: '所属区划', notes: '备注',
};

function normaliseName(s: string): string {
  return s.normalize('NFKC').replace(/\s+/g, '').replace(/[()]/g, (c) => (c === '(' ? '(' : ')'));
}

/**
 * Imports a justice bureau's list (.xlsx / .csv) into the draft, all or nothing: every
 * row is parsed and resolved against departments, regions and service items first; any
 * error rejects the whole file with the list of (row, column, reason) and changes nothing.
 */
export async function importCatalog(file: { data: Buffer; filename: string }, actor: Actor, deps: Deps): Promise<ImportResult> {
  let parsed: ParseResult;
  try {
    parsed = await parseCatalogSpreadsheet(file.data, file.filename);
  } catch (e) {
    if (isSpreadsheetError(e) && e.code !== 'EXPORT.INVALID_ROW') throw new AppError(e.code, { field: 'file', message: e.message, messageEn: e.messageEn, details: e.details });
    throw e;
  }
  const col = (field: string) => parsed.columns[field] ?? FIELD_COLUMNS[field] ?? field;
  const errors: CellError[] = [...parsed.errors];
  const fail = (row: number, field: string, reason: string, reasonEn: string, code: string) => errors.push({ row, column: col(field), reason, reasonEn, code });

  const [departments, regions, serviceItems, existing] = await Promise.all([
    deps.db.selectFrom('departments').selectAll().execute(),
    deps.db.selectFrom('regions').selectAll().execute(),
    deps.db.selectFrom('service_items').select(['code', 'name', 'region_code']).execute(),
    deps.db.selectFrom('proof_items').selectAll().execute(),
  ]);
  const deptByName = new Map(departments.map((d) => [normaliseName(d.name), d]));
  const regionByKey = new Map<string, (typeof regions)[number]>();
  for (const r of regions) { regionByKey.set(r.code, r); regionByKey.set(normaliseName(r.name), r); }
  const serviceByCode = new Map(serviceItems.map((s) => [s.code, s]));
  const serviceByName = new Map<string, (typeof serviceItems)[number][]>();
  for (const s of serviceItems) serviceByName.set(normaliseName(s.name), [...(serviceByName.get(normaliseName(s.name)) ?? []), s]);
  const existingByKey = new Map(existing.map((p) => [`${p.name}\u0000${p.issuing_department_id}`, p]));

  type Resolved = { row: SheetRow; fields: ProofItemFields; serviceCodes: string[]; existingId?: string };
  const resolved: Resolved[] = [];
  for (const row of parsed.rows) {
    const region = row.region ? regionByKey.get(normaliseName(row.region)) : undefined;
    if (row.region && !region) fail(row.row, 'region', `行政区划"${row.region}"不存在`, `Unknown region "${row.region}"`, 'IMPORT.UNKNOWN_REGION');
    let dept = deptByName.get(normaliseName(row.issuingDepartment));
    if (!dept && region) {
      // "公安" in a list of one region means that region's 公安局.
      dept = departments.find((d) => d.region_code === region.code && (d.category === row.issuingDepartment || d.name.endsWith(row.issuingDepartment)));
    }
    if (!dept) {
      fail(row.row, 'issuingDepartment', `开具单位"${row.issuingDepartment}"不在部门目录中`, `Issuing department "${row.issuingDepartment}" is not registered`, 'IMPORT.UNKNOWN_DEPARTMENT');
      continue;
    }
    const regionCode = region?.code ?? dept.region_code;
    const serviceCodes: string[] = [];
    for (const ref of row.serviceItems) {
      const byCode = serviceByCode.get(ref.trim());
      const candidates = byCode ? [byCode] : serviceByName.get(normaliseName(ref)) ?? [];
      const chosen = candidates.length === 1 ? candidates[0] : candidates.find((c) => c.region_code === regionCode);
      if (!chosen) {
        fail(row.row, 'serviceItems', candidates.length > 1 ? `适用事项"${ref}"在多个地区重名,请填写事项编码` : `适用事项"${ref}"不存在`,
          candidates.length > 1 ? `Service item "${ref}" is ambiguous; give its code` : `Unknown service item "${ref}"`, 'IMPORT.UNKNOWN_SERVICE_ITEM');
      } else if (!serviceCodes.includes(chosen.code)) serviceCodes.push(chosen.code);
    }
    const prior = existingByKey.get(`${row.name}\u0000${dept.id}`);
    const methods = row.methods as ExemptionMethod[];
    const fields: ProofItemFields = {
      name: row.name, issuingDepartmentId: dept.id, regionCode, legalBasis: row.legalBasis, methods,
      riskCategory: (prior?.risk_category as RiskCategory | null) ?? null,
      commitment: methods.includes('commitment') ? prior?.commitment ?? defaultCommitmentRule(row.name) : null,
      notes: row.notes ?? prior?.notes ?? '',
    };
    for (const v of checkProofItemRules(fields)) {
      const field = v.field === 'legalBasis' ? 'legalBasis' : 'methods';
      fail(row.row, field, v.message, v.messageEn, v.code);
    }
    resolved.push({ row, fields, serviceCodes, existingId: prior?.id });
  }
  if (errors.length > 0) {
    errors.sort((a, b) => a.row - b.row || a.column.localeCompare(b.column));
    throw new AppError('CATALOG.IMPORT_INVALID', { field: 'file', details: { errors: errors.slice(0, 1000), errorCount: errors.length } });
  }

  return deps.db.transaction().execute(async (trx) => {
    const result: ImportResult = { total: resolved.length, created: 0, updated: 0, unchanged: 0, linked: 0 };
    const ids: string[] = [];
    for (const r of resolved) {
      let id = r.existingId;
      if (id) {
        const prior = existing.find((p) => p.id === id)!;
        const same = prior.legal_basis === r.fields.legalBasis && prior.region_code === r.fields.regionCode && prior.notes === r.fields.notes &&
          JSON.stringify(prior.methods) === JSON.stringify(r.fields.methods) && JSON.stringify(prior.commitment) === JSON.stringify(r.fields.commitment);
        if (same) result.unchanged++;
        else {
          await trx.updateTable('proof_items').set({ ...proofItemRow(r.fields), updated_at: deps.now() }).where('id', '=', id).execute();
          result.updated++;
        }
      } else {
        id = (await trx.insertInto('proof_items').values(proofItemRow(r.fields)).returning('id').executeTakeFirstOrThrow()).id;
        result.created++;
      }
      ids.push(id);
      for (const code of r.serviceCodes) {
        const linked = await trx.selectFrom('service_item_materials').select('id').where('service_item_code', '=', code).where('proof_item_id', '=', id).executeTakeFirst();
        if (linked) continue;
        const pos = await trx.selectFrom('service_item_materials').select((eb) => eb.fn.max('position').as('p')).where('service_item_code', '=', code).executeTakeFirst();
        await trx.insertInto('service_item_materials').values({
          id: `${code}-M${String((pos?.p ?? 0) + 1).padStart(2, '0')}-${id}`, service_item_code: code, position: (pos?.p ?? 0) + 1, name: r.fields.name, proof_item_id: id, required: true,
        }).execute();
        result.linked++;
      }
    }
    await appendAudit(trx, {
      actorId: actor.id, actorRole: 'catalog_admin', action: 'catalog.import', subjectType: 'catalog_draft', subjectId: 'draft',
      change: { filename: file.filename, fileSha256: sha256Hex(file.data), result, proofItemIds: ids },
    });
    return result;
  });
}
