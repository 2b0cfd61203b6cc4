import { sql } from 'kysely';
import type { Deps } from '../../shared/deps.ts';
import { AppError } from '../../shared/errors.ts';
import { departmentsByIds, listLicenseTypes, type LicenseType } from '../adapters/license-store.ts';

export interface LicenseTypeView extends LicenseType {
  issuingDepartments: { id: string; name: string; regionCode: string }[];
  proofItems: { id: string; name: string; regionCode: string }[];
  licenseCount: number;
}

/** Every license type with its issuing departments, linked proof items and how many licenses exist. Public. */
export async function listLicenseTypeViews(deps: Deps, code?: string): Promise<LicenseTypeView[]> {
  const types = (await listLicenseTypes(deps.db)).filter((t) => !code || t.code === code);
  if (code && types.length === 0) throw new AppError('LICENSE.TYPE_NOT_FOUND', { field: 'code' });
  const [depts, links, counts] = await Promise.all([
    departmentsByIds(deps.db, [...new Set(types.flatMap((t) => t.issuingDepartmentIds))]),
    deps.db.selectFrom('license_type_proof_items').leftJoin('proof_items', 'proof_items.id', 'license_type_proof_items.proof_item_id')
      .select(['license_type_proof_items.proof_item_id', 'license_type_proof_items.license_type_code', 'proof_items.name', 'proof_items.region_code']).orderBy('license_type_proof_items.proof_item_id').execute(),
    deps.db.selectFrom('licenses').select(['type_code', (eb) => eb.fn.countAll<number>().as('n')]).groupBy('type_code').execute(),
  ]);
  return types.map((t) => ({
    ...t,
    issuingDepartments: t.issuingDepartmentIds.map((id) => depts.get(id)).filter((d) => !!d).map((d) => ({ id: d.id, name: d.name, regionCode: d.regionCode })),
    proofItems: links.filter((l) => l.license_type_code === t.code).map((l) => ({ id: l.proof_item_id, name: l.name ?? l.proof_item_id, regionCode: l.region_code ?? '' })),
    licenseCount: Number(counts.find((c) => c.type_code === t.code)?.n ?? 0),
  }));
}

/** Verifier accounts a holder may name as a presentation's audience (banks, hospitals …). */
export async function listVerifiers(deps: Deps): Promise<{ id: string; name: string }[]> {
  const rows = await deps.db.selectFrom('accounts').select(['id', 'display_name']).where(sql<boolean>`'verifier' = ANY(roles)`).where('disabled', '=', false).orderBy('display_name').execute();
  return rows.map((r) => ({ id: r.id, name: r.display_name }));
}
