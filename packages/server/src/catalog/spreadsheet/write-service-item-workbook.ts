/**
 * Writes service items as a 政务服务事项清单 .xlsx: a title row, the header row the import reads
 * (事项编码, 事项名称, 实施部门, 服务对象, 申请材料, with 序号 and 所属区划 beside them), one row per
 * item. parseServiceItemSpreadsheet reads it back to the same items: materials one per line,
 * numbered, an optional one marked (选填). Export, edit, import again.
 */
import { loadExcelJs } from '../../shared/lazy-modules.ts';
import { APPLICANT_KIND_LABELS, type ApplicantKind } from '../domain/applicant-kinds.ts';
import { addBorderedRow, writeHeaderRow, writeTitleRow } from './workbook-style.ts';

export interface ServiceItemWorkbookRow {
  code: string;
  name: string;
  departmentName: string;
  regionName: string;
  applicantKinds: readonly ApplicantKind[];
  materials: ReadonlyArray<{ name: string; required: boolean }>;
}

const COLUMNS = [
  { header: '序号', width: 6 }, { header: '事项编码', width: 20 }, { header: '事项名称', width: 30 }, { header: '实施部门', width: 26 },
  { header: '服务对象', width: 14 }, { header: '申请材料', width: 48 }, { header: '所属区划', width: 12 },
] as const;


/** The 申请材料 cell: "1.名称" per line, "(选填)" after an optional one. */
export function materialsCell(materials: ServiceItemWorkbookRow['materials']): string {
  return materials.map((m, i) => `${i + 1}.${m.name}${m.required ? '' : '(选填)'}`).join('\n');
}

export async function writeServiceItemWorkbook(input: { title: string; rows: readonly ServiceItemWorkbookRow[] }): Promise<Buffer> {
  const wb = new (await loadExcelJs()).Workbook();
  wb.creator = '免证 Mianzheng';
  wb.title = input.title;
  const ws = wb.addWorksheet('政务服务事项清单', {
    views: [{ state: 'frozen', ySplit: 2, xSplit: 0 }],
    pageSetup: { paperSize: 9, orientation: 'landscape', fitToPage: true, fitToWidth: 1, fitToHeight: 0, printTitlesRow: '2:2' },
  });
  ws.columns = COLUMNS.map((c, i) => ({ key: String(i), width: c.width, style: { alignment: { vertical: 'middle', wrapText: true, horizontal: i === 0 ? 'center' : 'left' } } }));
  writeTitleRow(ws, input.title, COLUMNS.length);
  writeHeaderRow(ws, 2, COLUMNS.map((c) => c.header));
  input.rows.forEach((r, i) => {
    addBorderedRow(ws, [i + 1, r.code, r.name, r.departmentName, r.applicantKinds.map((k) => APPLICANT_KIND_LABELS[k].zh).join('、'), materialsCell(r.materials), r.regionName]);
  });
  return Buffer.from((await wb.xlsx.writeBuffer()) as ArrayBuffer);
}
