import { loadExcelJs } from '../../shared/lazy-modules.ts';
import { regionWithin } from '../../identity/domain/roles.ts';
import type { Deps } from '../../shared/deps.ts';
import { AppError } from '../../shared/errors.ts';
import { computeAssociation, type AssociationResult } from '../domain/association.ts';
import type { CatalogReadModel } from '../../catalog/search/catalog-read-model.ts';

async function latestModel(deps: Deps): Promise<CatalogReadModel> {
  const m = await deps.catalogReadModels.get();
  if (!m) throw new AppError('CATALOG.NOT_PUBLISHED');
  return m;
}

async function links(deps: Deps): Promise<Map<string, string>> {
  const rows = await deps.db.selectFrom('license_type_proof_items').select(['proof_item_id', 'license_type_code']).execute();
  return new Map(rows.map((r) => [r.proof_item_id, r.license_type_code]));
}

export interface UsageServiceItem { code: string; name: string; departmentName: string; regionCode: string; regionName: string; materials: { name: string; proofItemId: string }[] }
export interface LicenseUsage { code: string; name: string; serviceItems: UsageServiceItem[] }

/**
 * 用证事项清单: per license type, the service items of the latest published catalog that accept
 * it (a required material whose proof item is linked to the type). Public.
 */
export async function listLicenseUsage(query: { typeCode?: string; region?: string }, deps: Deps): Promise<{ version: { number: number; publishedAt: string }; types: LicenseUsage[] }> {
  const [model, linked, types] = await Promise.all([latestModel(deps), links(deps), deps.db.selectFrom('license_types').select(['code', 'name']).orderBy('code').execute()]);
  if (query.typeCode && !types.some((t) => t.code === query.typeCode)) throw new AppError('LICENSE.TYPE_NOT_FOUND', { field: 'type' });
  const out = new Map<string, LicenseUsage>(types.filter((t) => !query.typeCode || t.code === query.typeCode).map((t) => [t.code, { code: t.code, name: t.name, serviceItems: [] }]));
  for (const s of model.serviceItems) {
    if (query.region && !regionWithin(s.regionCode, query.region)) continue;
    const byType = new Map<string, { name: string; proofItemId: string }[]>();
    for (const m of s.materials) {
      const t = m.proofItemId ? linked.get(m.proofItemId) : undefined;
      if (!t || !out.has(t)) continue;
      byType.set(t, [...(byType.get(t) ?? []), { name: m.name, proofItemId: m.proofItemId! }]);
    }
    for (const [t, materials] of byType) {
      out.get(t)!.serviceItems.push({ code: s.code, name: s.name, departmentName: s.departmentName, regionCode: s.regionCode, regionName: s.regionName, materials });
    }
  }
  return { version: { number: model.version.number, publishedAt: model.version.publishedAt }, types: [...out.values()] };
}

export async function exportLicenseUsage(query: { typeCode?: string; region?: string }, deps: Deps): Promise<Buffer> {
  const usage = await listLicenseUsage(query, deps);
  const wb = new (await loadExcelJs()).Workbook();
  const ws = wb.addWorksheet('用证事项清单');
  ws.addRow([`用证事项清单（依据证明事项免提交清单第${usage.version.number}版）`]).font = { bold: true, size: 14 };
  ws.addRow(['序号', '证照类型', '证照类型代码', '事项编码', '事项名称', '受理部门', '行政区划', '以电子证照代替的材料']).font = { bold: true };
  let n = 0;
  for (const t of usage.types) {
    for (const s of t.serviceItems) ws.addRow([++n, t.name, t.code, s.code, s.name, s.departmentName, s.regionName, s.materials.map((m) => m.name).join('、')]);
  }
  ws.addRow([]);
  ws.addRow([`注：由免证平台生成于 ${new Date().toISOString()}，共 ${n} 条。`]);
  [6, 16, 26, 20, 28, 26, 10, 36].forEach((w, i) => { ws.getColumn(i + 1).width = w; });
  return Buffer.from(await wb.xlsx.writeBuffer());
}

/** 电子证照关联率 within a region (default: all), by region, from the latest published catalog. */
export async function computeLicenseAssociation(query: { region?: string }, deps: Deps): Promise<AssociationResult & { version: { number: number; publishedAt: string }; region: { code: string; name: string } | null }> {
  const [model, linked] = await Promise.all([latestModel(deps), links(deps)]);
  let region: { code: string; name: string } | null = null;
  if (query.region) {
    const r = await deps.db.selectFrom('regions').select(['code', 'name']).where('code', '=', query.region).executeTakeFirst();
    if (!r) throw new AppError('REGION.NOT_FOUND', { field: 'region' });
    region = r;
  }
  const items = model.serviceItems.filter((s) => !query.region || regionWithin(s.regionCode, query.region))
    .map((s) => ({ code: s.code, name: s.name, regionCode: s.regionCode, regionName: s.regionName, proofItemIds: s.materials.map((m) => m.proofItemId).filter((x): x is string => !!x) }));
  const proofs = new Map(model.proofItems.map((p) => [p.id, { id: p.id, name: p.name, regionName: p.regionName, methods: p.methods }]));
  const result = computeAssociation(items, proofs, new Set(linked.keys()));
  return { ...result, version: { number: model.version.number, publishedAt: model.version.publishedAt }, region };
}
