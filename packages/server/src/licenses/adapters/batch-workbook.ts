/**
 * The .xlsx of a batch issuance (存量证照迁移): one sheet, a header row, one license per row.
 * Columns: 持证主体名称, 持证主体代码, 有效期起始, 有效期截止, 证照编号, then one per field of the
 * type (its label; a trailing * marks required ones in the template and is ignored on reading).
 */
import { loadExcelJs } from '../../shared/lazy-modules.ts';
import { readXlsx } from '../../catalog/spreadsheet/xlsx-reader.ts';
import { SpreadsheetError } from '../../catalog/spreadsheet/types.ts';
import { HOLDER_KIND_LABELS, type FieldDefinition } from '../domain/license-type.ts';
import type { LicenseType } from './license-store.ts';

export const MAX_BATCH_ROWS = 5000;

export const FIXED_COLUMNS = [
  { key: 'holderName', label: '持证主体名称', required: true },
  { key: 'holderCode', label: '持证主体代码', required: true },
  { key: 'validFrom', label: '有效期起始', required: false },
  { key: 'validUntil', label: '有效期截止', required: false },
  { key: 'licenseNumber', label: '证照编号', required: false },
] as const;

export interface BatchRow {
  row: number;
  holder: { code: string; name: string };
  fields: Record<string, string>;
  validFrom?: string;
  validUntil?: string | null;
  licenseNumber?: string;
}

export interface BatchError { row: number; column: string; reason: string; reasonEn: string }

const norm = (s: string) => s.normalize('NFKC').replace(/[\s*]/g, '');

export function columnLabel(type: LicenseType, field: string): string {
  if (field === 'holder.name') return '持证主体名称';
  if (field === 'holder.code') return '持证主体代码';
  if (field === 'validFrom') return '有效期起始';
  if (field === 'validUntil') return '有效期截止';
  if (field === 'licenseNumber') return '证照编号';
  const name = field.replace(/^fields\./, '');
  return type.fields.find((f) => f.name === name)?.label ?? name;
}

export async function writeBatchTemplate(type: LicenseType): Promise<Buffer> {
  const wb = new (await loadExcelJs()).Workbook();
  const ws = wb.addWorksheet(type.name.slice(0, 31));
  const headers = [...FIXED_COLUMNS.map((c) => `${c.label}${c.required ? '*' : ''}`), ...type.fields.map((f) => `${f.label}${f.required ? '*' : ''}`)];
  ws.addRow(headers).font = { bold: true };
  ws.columns.forEach((c) => { c.width = 18; });
  ws.getColumn(2).numFmt = '@';
  const help = wb.addWorksheet('填写说明');
  help.addRow(['证照类型', `${type.name}(${type.code})`]);
  help.addRow(['持证主体代码', `${HOLDER_KIND_LABELS[type.holderKind].zh}(${type.holderKind}),按国家标准校验校验码`]);
  help.addRow(['有效期', '日期格式 YYYY-MM-DD;起始留空为今天,截止留空按证照类型的有效期规则']);
  help.addRow(['整批导入', '任何一行有错误则整批不颁发,请按错误清单修改后重新上传']);
  help.addRow([]);
  help.addRow(['字段', '类型', '必填', '可选择性披露', '取值']).font = { bold: true };
  for (const f of type.fields) help.addRow([f.label, f.type, f.required ? '是' : '否', f.disclosable ? '是' : '否', (f.enumValues ?? []).join('、')]);
  help.columns.forEach((c) => { c.width = 24; });
  return Buffer.from(await wb.xlsx.writeBuffer());
}

/** Reads the first visible sheet; errors name the row and the column. Never throws for a bad file. */
export async function readBatchWorkbook(data: Buffer, filename: string, type: LicenseType): Promise<{ rows: BatchRow[]; errors: BatchError[] }> {
  const errors: BatchError[] = [];
  let sheets;
  try {
    sheets = await readXlsx(data, filename);
  } catch (e) {
    const reason = e instanceof SpreadsheetError ? e.message : '文件无法读取,请上传 .xlsx 工作簿';
    const reasonEn = e instanceof SpreadsheetError ? e.messageEn : 'The file cannot be read; upload an .xlsx workbook';
    return { rows: [], errors: [{ row: 0, column: '', reason, reasonEn }] };
  }
  const sheet = sheets.find((s) => !s.hidden);
  if (!sheet) return { rows: [], errors: [{ row: 0, column: '', reason: '工作簿没有工作表', reasonEn: 'The workbook has no sheet' }] };
  const all = [...sheet.rows()].filter((r) => r.cells.some((c) => c.trim() !== ''));
  const header = all[0];
  if (!header) return { rows: [], errors: [{ row: 1, column: '', reason: '缺少表头', reasonEn: 'Missing header row' }] };
  const byLabel = new Map<string, { kind: 'fixed'; key: string } | { kind: 'field'; field: FieldDefinition }>();
  for (const c of FIXED_COLUMNS) byLabel.set(norm(c.label), { kind: 'fixed', key: c.key });
  for (const f of type.fields) byLabel.set(norm(f.label), { kind: 'field', field: f });
  const columns: ({ kind: 'fixed'; key: string } | { kind: 'field'; field: FieldDefinition } | undefined)[] = [];
  header.cells.forEach((text, i) => {
    if (!text.trim()) return;
    const c = byLabel.get(norm(text));
    if (!c) errors.push({ row: header.row, column: text, reason: `未知的列"${text}"`, reasonEn: `Unknown column "${text}"` });
    else if (columns.some((x) => x === c)) errors.push({ row: header.row, column: text, reason: `列"${text}"重复`, reasonEn: `Duplicate column "${text}"` });
    columns[i] = c;
  });
  for (const c of FIXED_COLUMNS) {
    if (c.required && !columns.some((x) => x?.kind === 'fixed' && x.key === c.key)) errors.push({ row: header.row, column: c.label, reason: `缺少必需的列"${c.label}"`, reasonEn: `Missing column "${c.label}"` });
  }
  for (const f of type.fields) {
    if (f.required && !columns.some((x) => x?.kind === 'field' && x.field.name === f.name)) errors.push({ row: header.row, column: f.label, reason: `缺少必填字段的列"${f.label}"`, reasonEn: `Missing column for required field "${f.label}"` });
  }
  const dataRows = all.slice(1);
  if (dataRows.length === 0) errors.push({ row: header.row + 1, column: '', reason: '没有数据行', reasonEn: 'No data rows' });
  if (dataRows.length > MAX_BATCH_ROWS) {
    errors.push({ row: dataRows[MAX_BATCH_ROWS]!.row, column: '', reason: `一次最多导入 ${MAX_BATCH_ROWS} 条`, reasonEn: `At most ${MAX_BATCH_ROWS} rows per file` });
    return { rows: [], errors };
  }
  const rows: BatchRow[] = dataRows.map((r) => {
    const out: BatchRow = { row: r.row, holder: { code: '', name: '' }, fields: {} };
    r.cells.forEach((raw, i) => {
      const c = columns[i];
      const text = raw.trim();
      if (!c) return;
      if (c.kind === 'field') out.fields[c.field.name] = text;
      else if (c.key === 'holderName') out.holder.name = text;
      else if (c.key === 'holderCode') out.holder.code = text;
      else if (c.key === 'validFrom' && text) out.validFrom = text;
      else if (c.key === 'validUntil' && text) out.validUntil = text === '长期' ? null : text;
      else if (c.key === 'licenseNumber' && text) out.licenseNumber = text;
    });
    return out;
  });
  return { rows, errors };
}
