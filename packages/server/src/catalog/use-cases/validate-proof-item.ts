import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.ts';
import { AppError } from '../../shared/errors.ts';
import { checkProofItemRules, type ProofItemFields } from '../domain/proof-item.ts';
import type { DepartmentRef } from './catalog-admin-scope.ts';

/**
 * References must exist and the catalog rules must hold; throws the first violation with all of them as details.
 * Returns the issuing department with its region (for the administrator's region check).
 */
export async function assertProofItemValid(db: Kysely<DB>, p: ProofItemFields, excludeId?: string): Promise<{ department: DepartmentRef }> {
  const dept = await db.selectFrom('departments').leftJoin('regions', 'regions.code', 'departments.region_code')
    .select(['departments.id', 'departments.name', 'departments.region_code', 'regions.name as region_name']).where('departments.id', '=', p.issuingDepartmentId).executeTakeFirst();
  if (!dept) throw new AppError('DEPARTMENT.NOT_FOUND', { field: 'issuingDepartmentId', message: `开具部门 ${p.issuingDepartmentId} 不存在`, messageEn: `No department ${p.issuingDepartmentId}` });
  const region = await db.selectFrom('regions').select('code').where('code', '=', p.regionCode).executeTakeFirst();
  if (!region) throw new AppError('REGION.NOT_FOUND', { field: 'regionCode', message: `行政区划 ${p.regionCode} 不存在`, messageEn: `No region ${p.regionCode}` });
  const violations = checkProofItemRules(p);
  if (violations.length > 0) {
    const first = violations[0]!;
    throw new AppError(first.code, { field: first.field, message: first.message, messageEn: first.messageEn, details: { violations } });
  }
  let dup = db.selectFrom('proof_items').select('id').where('name', '=', p.name).where('issuing_department_id', '=', p.issuingDepartmentId);
  if (excludeId) dup = dup.where('id', '<>', excludeId);
  if (await dup.executeTakeFirst()) throw new AppError('CATALOG.DUPLICATE_PROOF_ITEM', { field: 'name' });
  return { department: dept };
}
