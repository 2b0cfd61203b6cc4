/**
 * Proof-item list import benchmark: writes a generated list as .xlsx and .csv and times
 * parseCatalogSpreadsheet on it. Prints numbers; asserts nothing about speed.
 *
 *   npx tsx packages/server/bench/spreadsheet.ts [rows=10000] [runs=5]
 */
import { generateCatalogRows } from '../src/catalog/spreadsheet/generate-sample.ts';
import { writeCatalogWorkbook } from '../src/catalog/spreadsheet/write-catalog-workbook.ts';
import { parseCatalogSpreadsheet } from '../src/catalog/spreadsheet/parse-catalog-spreadsheet.ts';
import { methodLabel } from '../src/catalog/spreadsheet/methods.ts';
import type { SheetRow } from '../src/catalog/spreadsheet/types.ts';

const n = Number(process.argv[2] ?? 10_000);
const runs = Number(process.argv[3] ?? 5);

function csvOf(rows: Omit<SheetRow, 'row'>[]): Buffer {
  const q = (s: string) => (/[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);
  const lines = ['马鞍山市证明事项免提交清单', '序号,证明名称,开具单位,设定依据,免提交方式,适用事项,所属区划,索要单位,证明编码,备注'];
  for (const r of rows) {
    lines.push([r.seq ?? '', r.name, r.issuingDepartment, r.legalBasis, r.methods.map(methodLabel).join('、'), r.serviceItems.join('、'),
      r.region ?? '', r.acceptingDepartment ?? '', r.code ?? '', r.notes ?? ''].map(q).join(','));
  }
  return Buffer.from(`\uFEFF${lines.join('\r\n')}\r\n`, 'utf8');
}

function stats(ms: number[]): string {
  const s = [...ms].sort((a, b) => a - b);
  const median = s[Math.floor(s.length / 2)] ?? 0;
  return `min ${(s[0] ?? 0).toFixed(0)} ms, median ${median.toFixed(0)} ms, ${Math.round(n / (median / 1000)).toLocaleString('en')} rows/s`;
}

async function time(label: string, data: Buffer, filename: string): Promise<void> {
  const ms: number[] = [];
  let rows = 0;
  let errors = 0;
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    const res = await parseCatalogSpreadsheet(data, filename);
    ms.push(performance.now() - t0);
    rows = res.rows.length;
    errors = res.errors.length;
  }
  console.log(`${label.padEnd(6)} ${(data.length / 1024).toFixed(0).padStart(6)} KiB  ${rows} rows, ${errors} errors  first ${(ms[0] ?? 0).toFixed(0)} ms; ${stats(ms)}`);
}

const t0 = performance.now();
const rows = generateCatalogRows(n, 20240601);
const t1 = performance.now();
const xlsx = await writeCatalogWorkbook({
  title: '马鞍山市证明事项免提交清单（2024年版）', versionLabel: '2024-v1', publishedAt: '2024-06-01', rows,
  notes: ['本清单自发布之日起施行。', '清单实行动态调整。'],
});
const t2 = performance.now();
console.log(`node ${process.version}; generate ${n} rows ${(t1 - t0).toFixed(0)} ms; write .xlsx ${(t2 - t1).toFixed(0)} ms`);
await time('xlsx', xlsx, 'bench.xlsx');
await time('csv', csvOf(rows), 'bench.csv');
