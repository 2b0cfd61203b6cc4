import type { Deps } from '../shared/deps.ts';
import type { Actor } from '../identity/domain/roles.ts';
import { publishCatalogVersion } from '../catalog/use-cases/publish-catalog-version.ts';
import { updateProofItem } from '../catalog/use-cases/update-proof-item.ts';
import { seedDemoAccounts } from './demo-accounts.ts';
import { seedDemoCatalog, proofItemId } from './demo-catalog.ts';
import { seedDepartments, seedRegions } from './reference-data.ts';
import { seedDemoLicenses } from './demo-licenses.ts';
import { seedDemoApplications } from './demo-applications.ts';
import { seedDemoExchange } from './demo-exchange.ts';

const SYSTEM: Actor = {
  id: 'system', username: 'system', displayName: '系统初始化', kind: 'staff', roles: ['catalog_admin'], departmentId: 'ah-sf', departmentName: '安徽省司法厅', regionCode: '340000',
};

/** Reference data for every deployment. */
export async function seedReference(deps: Deps): Promise<void> {
  await seedRegions(deps.db);
}

/**
 * Demo data, once, on an empty database: departments of five cities, accounts for every
 * role, the catalog, and two published versions (so the changelog has something to show).
 */
export async function seedDemo(deps: Deps): Promise<boolean> {
  const already = await deps.db.selectFrom('accounts').select('id').limit(1).executeTakeFirst();
  if (already) return false;
  await seedDepartments(deps.db);
  await seedDemoAccounts(deps.db, deps.pii, deps.config.passwordCost);
  await seedDemoCatalog(deps.db);
  await publishCatalogVersion({ note: '2025年版证明事项免提交清单(首次发布)' }, SYSTEM, deps);
  // 2026 dynamic adjustment: two proofs change method.
  await updateProofItem(proofItemId('mas', 'yqzm'), { methods: ['cancelled'], legalBasis: '' }, SYSTEM, deps);
  await updateProofItem(proofItemId('mas', 'wfzm'), { methods: ['data_sharing', 'dept_verification'] }, SYSTEM, deps);
  await publishCatalogVersion({ note: '2026年动态调整:取消居民养犬证明,无房证明改为数据共享' }, SYSTEM, deps);
  deps.catalogReadModels.published(2);
  await seedDemoLicenses(deps);
  await seedDemoExchange(deps);
  await seedDemoApplications(deps);
  return true;
}
