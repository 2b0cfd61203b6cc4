import { writeCatalogWorkbook } from '../spreadsheet/index.ts';
import type { CatalogReadModel } from '../search/catalog-read-model.ts';

/** The published version as a workbook in the shape justice bureaus publish (and import reads back). */
export async function exportCatalogVersion(model: CatalogReadModel): Promise<Buffer> {
  const names = new Map(model.serviceItems.map((s) => [s.code, s.name]));
  return writeCatalogWorkbook({
    title: `证明事项免提交清单(第${model.version.number}版)`,
    versionLabel: `第${model.version.number}版`,
    publishedAt: model.version.publishedAt,
    rows: model.proofItems.map((p, i) => ({
      seq: String(i + 1), name: p.name, issuingDepartment: p.issuingDepartmentName, legalBasis: p.legalBasis, methods: p.methods,
      serviceItems: p.serviceItemCodes.map((c) => names.get(c) ?? c), region: p.regionName, notes: p.notes,
    })),
    notes: [`注:本清单由免证平台于 ${model.version.publishedAt} 发布,版本摘要 SM3 ${model.version.contentDigest}。`],
  });
}
