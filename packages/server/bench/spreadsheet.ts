/**
 * Proof-item list import benchmark: writes a generated list as .xlsx and .csv and times
 * parseCatalogSpreadsheet on it (and, for comparison, the exceljs fallback reader).
 * Prints wall and CPU time — on a shared machine CPU time is the steadier number.
 * Asserts nothing about speed.
 *
 *   npx tsx packages/server/bench/spreadsheet.ts [rows=10000] [runs=5]
 */
import os from 'node:os';
import { generateCatalogRows } from '../src/catalog/spreadsheet/generate-sample.ts';
import { writeCatalogWorkbook } from '../src/catalog/spreadsheet/write-catalog-workbook.ts';
import { parseCatalogSpreadsheet, parseSheets } from '../src/catalog/spreadsheet/parse-catalog-spreadsheet.ts';
import { readXlsxWithExcelJs } from '../src/catalog/spreadsheet/xlsx-reader.ts';
import { methodLabel } from '../src/catalog/spreadsheet/methods.ts';
import type { ParseResult, SheetRow } from '../src/catalog/spreadsheet/types.ts';

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

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] ?? 0;
}

async function time(label: string, data: Buffer, parse: () => Promise<ParseResult>): Promise<void> {
  const wall: number[] = [];
  const cpu: number[] = [];
  let rows = 0;
  let errors = 0;
  for (let i = 0; i < runs; i++) {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    const res = await parse();
    wall.push(performance.now() - t0);
    const c = process.cpuUsage(c0);
    cpu.push((c.user + c.system) / 1000);
    rows = res.rows.length;
    errors = res.errors.length;
  }
  const m = median(wall);
  console.log(
    `${label.padEnd(14)} ${(data.length / 1024).toFixed(0).padStart(5)} KiB  ${rows} rows, ${errors} errors  `
    + `first ${(wall[0] ?? 0).toFixed(0)} ms (cpu ${(cpu[0] ?? 0).toFixed(0)}); `
    + `median ${m.toFixed(0)} ms (cpu ${median(cpu).toFixed(0)}); ${Math.round(n / (m / 1000)).toLocaleString('en')} rows/s`,
  );
}

const t0 = performance.now();
const rows = generateCatalogRows(n, 20240601);
const t1 = performance.now();
const xlsx = await writeCatalogWorkbook({
  title: '马鞍山市证明事项免提交清单（2024年版）', versionLabel: '2024-v1', publishedAt: '2024-06-01', rows,
  notes: ['本清单自发布之日起施行。', '清单实行动态调整。'],
});
const t2 = performance.now();
console.log(`node ${process.version}, ${os.cpus().length} CPUs, load ${os.loadavg()[0]?.toFixed(1)}; generate ${n} rows ${(t1 - t0).toFixed(0)} ms; write .xlsx ${(t2 - t1).toFixed(0)} ms`);
const csv = csvOf(rows);
await time('xlsx', xlsx, () => parseCatalogSpreadsheet(xlsx, 'bench.xlsx'));
await time('csv (UTF-8)', csv, () => parseCatalogSpreadsheet(csv, 'bench.csv'));
await time('xlsx (exceljs)', xlsx, async () => parseSheets(await readXlsxWithExcelJs(xlsx, 'bench.xlsx')));
