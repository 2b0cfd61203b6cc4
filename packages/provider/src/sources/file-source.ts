/**
 * File adapter: a CSV (UTF-8 or GB18030) or xlsx export of the department's data, loaded
 * into memory and indexed by the columns items match on. The file is re-read when its
 * modification time changes (checked at most every two seconds); the snapshot time of
 * every answer is that modification time — how current the export is.
 */
import fs from 'node:fs';
import type { ItemBinding, SourceConfig } from '../node/config.ts';
import { fileColumns, requireColumns, SourceError, windowStartMonth, type DataSource, type Row } from './source.ts';
import { parseCsvTable } from './csv.ts';

interface Loaded { rows: Row[]; columns: Set<string>; mtime: Date; indexes: Map<string, Map<string, Row[]>> }

function keyOf(values: unknown[]): string {
  return values.map((v) => String(v ?? '').trim().toUpperCase()).join('\u0000');
}

async function readXlsx(file: string, sheet?: string): Promise<{ columns: string[]; rows: Row[] }> {
  const { default: ExcelJS } = await import('exceljs');
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.readFile(file);
  const ws = sheet ? wb.getWorksheet(sheet) : wb.worksheets[0];
  if (!ws) throw new Error(`sheet ${sheet ?? '1'} not found`);
  const header: string[] = [];
  ws.getRow(1).eachCell({ includeEmpty: false }, (cell, col) => {
    header[col] = String(cell.text ?? '').trim();
  });
  const rows: Row[] = [];
  for (let r = 2; r <= ws.rowCount; r++) {
    const row = ws.getRow(r);
    if (!row.hasValues) continue;
    const o: Row = {};
    header.forEach((h, col) => {
      if (!h) return;
      const v = row.getCell(col).value;
      o[h] = v instanceof Date ? v.toISOString() : v && typeof v === 'object' && 'result' in v ? (v as { result: unknown }).result : v && typeof v === 'object' && 'richText' in v ? row.getCell(col).text : v;
    });
    rows.push(o);
  }
  return { columns: header.filter(Boolean), rows };
}

export async function openFileSource(config: Extract<SourceConfig, { type: 'csv' | 'xlsx' }>): Promise<DataSource> {
  let loaded: Loaded | undefined;
  let checkedAt = 0;
  let loading: Promise<Loaded> | undefined;

  async function load(): Promise<Loaded> {
    try {
      const stat = await fs.promises.stat(config.file);
      const { columns, rows } = config.type === 'csv' ? parseCsvTable(await fs.promises.readFile(config.file)) : await readXlsx(config.file, config.sheet);
      return { rows, columns: new Set(columns), mtime: stat.mtime, indexes: new Map() };
    } catch (e) {
      throw new SourceError(`cannot read ${config.file}: ${(e as Error).message}`, e);
    }
  }

  async function current(nowMs: number): Promise<Loaded> {
    if (loaded && nowMs - checkedAt < 2000) return loaded;
    checkedAt = nowMs;
    if (loaded) {
      const stat = await fs.promises.stat(config.file).catch(() => undefined);
      if (!stat) throw new SourceError(`${config.file} has disappeared`);
      if (stat.mtime.getTime() === loaded.mtime.getTime()) return loaded;
    }
    loading ??= load().finally(() => { loading = undefined; });
    loaded = await loading;
    return loaded;
  }

  loaded = await load();
  checkedAt = Date.now();

  return {
    kind: config.type,
    async fetch(binding: ItemBinding, params, now) {
      const data = await current(now.getTime());
      requireColumns(fileColumns(binding), data.columns, config.file); // a new export may have renamed one
      const columns = Object.keys(binding.match ?? {}).sort();
      const indexKey = columns.join('\u0000');
      let index = data.indexes.get(indexKey);
      if (!index) {
        index = new Map();
        for (const row of data.rows) {
          const k = keyOf(columns.map((c) => row[c]));
          let list = index.get(k);
          if (!list) index.set(k, (list = []));
          list.push(row);
        }
        data.indexes.set(indexKey, index);
      }
      let rows = index.get(keyOf(columns.map((c) => params[binding.match![c]!]))) ?? [];
      if (binding.lastMonths) {
        const months = Number(params[binding.lastMonths.param]);
        const from = windowStartMonth(now, months);
        const col = binding.lastMonths.column;
        rows = rows.filter((r) => String(r[col] ?? '').slice(0, 7) >= from);
      }
      return { rows, snapshotAt: data.mtime };
    },
    missingColumns: (binding) => fileColumns(binding).filter((c) => !loaded!.columns.has(c)),
    close: async () => undefined,
  };
}
