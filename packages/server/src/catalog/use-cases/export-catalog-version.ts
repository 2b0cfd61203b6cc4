import { shanghaiDate } from '../../shared/calendar/working-days.ts';
import { writeCatalogWorkbook } from '../spreadsheet/index.ts';
import type { CatalogReadModel } from '../search/catalog-read-model.ts';

/** An instant as a reader of the list takes it: Beijing time (UTC+8), e.g. 2026-11-29 07:30:00(北京时间). */
function beijingTime(iso: string): string {
  return `${new Date(Date.parse(iso) + 8 * 3_600_000).toISOString().slice(0, 19).replace('T', ' ')}（北京时间）`;
}

/**
 * The published version as a workbook in the shape justice bureaus publish (and import reads back).
 * Its 发布日期 is the date in Beijing, not in UTC (a version published at 07:30 is of that day).
 */
export async function exportCatalogVersion(model: CatalogReadModel): Promise<Buffer> {
  const names = new Map(model.serviceItems.map((s) => [s.code, s.name]));
  return writeCatalogWorkbook({
    title: `证明事项免提交清单（第${model.version.number}版）`,
    versionLabel: `第${model.version.number}版`,
    publishedAt: shanghaiDate(new Date(model.version.publishedAt)),
    rows: model.proofItems.map((p, i) => ({
      seq: String(i + 1), name: p.name, issuingDepartment: p.issuingDepartmentName, legalBasis: p.legalBasis, methods: p.methods,
      serviceItems: p.serviceItemCodes.map((c) => names.get(c) ?? c), region: p.regionName, notes: p.notes,
    })),
    // the workbook puts 注： before a note
    notes: [`本清单由免证平台于 ${beijingTime(model.version.publishedAt)}发布，版本摘要 SM3 ${model.version.contentDigest}。`],
  });
}
