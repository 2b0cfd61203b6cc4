import { randomUUID } from 'node:crypto';
import type { Transaction } from 'kysely';
import type { DB } from '../../db/schema.ts';
import { regionWithin } from '../../identity/domain/roles.ts';
import { AppError } from '../../shared/errors.ts';
import { mayChangeRegion, type CatalogAdminScope } from '../domain/admin-scope.ts';
import { checkServiceItemRules, type ServiceItemFields } from '../domain/service-item.ts';
import { assertMayUseDepartment, type DepartmentRef } from './catalog-admin-scope.ts';
import { cleanText } from '../spreadsheet/normalise.ts';

const IMPLEMENTING = { zh: '实施部门', en: 'implementing department' } as const;

/** Throws 403 CATALOG.OUT_OF_REGION naming `code` unless a service item of `regionCode` is the administrator's to change. */
export function assertMayChangeServiceItem(scope: CatalogAdminScope, item: { code: string; name: string; region_code: string }): void {
  if (mayChangeRegion(scope, item.region_code)) return;
  throw new AppError('CATALOG.OUT_OF_REGION', {
    field: 'code',
    message: `政务服务事项“${item.name}”（${item.code}）属于区划 ${item.region_code}，不在您的管理范围（${scope.regionName ?? scope.regionCode}）内`,
    messageEn: `The service item ${item.code} is of region ${item.region_code}, outside your region (${scope.regionCode})`,
    details: { code: item.code, regionCode: item.region_code, scopeRegionCode: scope.regionCode },
  });
}

/**
 * Checks a service item as it is to be written, inside the draft's lock: the rules, the
 * department (which gives the item its region) within the administrator's region, and every
 * material's proof item existing and applying there — of the item's region, of one above it
 * (the province's list) or of one within it. Returns the department and the materials as rows,
 * names filled in from the proof items, ids kept for the materials the item already had.
 */
export async function prepareServiceItemWrite(trx: Transaction<DB>, code: string, input: ServiceItemFields, scope: CatalogAdminScope) {
  const violations = checkServiceItemRules(input);
  if (violations.length > 0) {
    const first = violations[0]!;
    throw new AppError(first.code, { field: first.field, message: first.message, messageEn: first.messageEn, details: { violations } });
  }
  const department: DepartmentRef | undefined = await trx.selectFrom('departments').leftJoin('regions', 'regions.code', 'departments.region_code')
    .select(['departments.id', 'departments.name', 'departments.region_code', 'regions.name as region_name']).where('departments.id', '=', input.departmentId).executeTakeFirst();
  if (!department) throw new AppError('DEPARTMENT.NOT_FOUND', { field: 'departmentId', message: `实施部门 ${input.departmentId} 不存在`, messageEn: `No department ${input.departmentId}` });
  assertMayUseDepartment(scope, department, 'departmentId', IMPLEMENTING);

  const proofIds = [...new Set(input.materials.flatMap((m) => (m.proofItemId ? [m.proofItemId] : [])))];
  const proofs = proofIds.length > 0 ? await trx.selectFrom('proof_items').select(['id', 'name', 'region_code']).where('id', 'in', proofIds).execute() : [];
  const proofById = new Map(proofs.map((p) => [p.id, p]));
  const existing = await trx.selectFrom('service_item_materials').select(['id', 'proof_item_id']).where('service_item_code', '=', code).execute();
  const existingById = new Map(existing.map((m) => [m.id, m]));
  const kept = new Set<string>();
  const rows = input.materials.map((m, i) => {
    const field = `materials.${i}.proofItemId`;
    let name = cleanText(m.name);
    if (m.proofItemId !== null) {
      const proof = proofById.get(m.proofItemId);
      if (!proof) throw new AppError('CATALOG.PROOF_ITEM_NOT_FOUND', { field, message: `第 ${i + 1} 项材料的证明事项 ${m.proofItemId} 不存在`, messageEn: `Material ${i + 1}: no proof item ${m.proofItemId}` });
      if (!regionWithin(department.region_code, proof.region_code) && !regionWithin(proof.region_code, department.region_code)) {
        throw new AppError('CATALOG.MATERIAL_OTHER_REGION', {
          field,
          message: `第 ${i + 1} 项材料“${proof.name}”是区划 ${proof.region_code} 的证明事项，不适用于区划 ${department.region_code} 的事项`,
          messageEn: `Material ${i + 1} (${proof.name}) is a proof item of region ${proof.region_code}, which does not apply to a service item of region ${department.region_code}`,
          details: { proofItemId: proof.id, proofRegionCode: proof.region_code, regionCode: department.region_code },
        });
      }
      if (name === '') name = proof.name;
    }
    const position = i + 1;
    // a material keeps its id while it stays the same material (the same proof item, or a form) — once:
    // an id given twice is the same material listed twice, and the second one is new
    const prior = m.id !== undefined ? existingById.get(m.id) : undefined;
    const keep = prior !== undefined && prior.proof_item_id === m.proofItemId && !kept.has(prior.id);
    if (keep) kept.add(prior.id);
    const id = keep ? prior.id : `${code}-M${String(position).padStart(2, '0')}-${randomUUID().slice(0, 8)}`;
    return { id, service_item_code: code, position, name, proof_item_id: m.proofItemId, required: m.required };
  });
  return { department, materials: rows };
}
