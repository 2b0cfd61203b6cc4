/**
 * Shapes of the proof-item list (证明事项免提交清单) spreadsheet adapter.
 * The method codes are the catalog domain's own; this module only re-exports them.
 */
import { METHODS, type ExemptionMethod } from '../domain/proof-item.ts';

export { METHODS };
export type { ExemptionMethod };

export interface SheetRow {
  /** 1-based row number in the sheet as a person sees it in Excel (for CSV: the record number). */
  row: number;
  /** 序号 */
  seq?: string;
  /** 证明名称 / 证明事项名称 */
  name: string;
  /** 开具单位 / 证明开具单位 / 开具部门 / 出具单位 */
  issuingDepartment: string;
  /** 设定依据 / 法律依据 / 依据 — may be empty; several bases are kept on separate lines. */
  legalBasis: string;
  /** 免提交方式 / 替代方式 / 办理方式 / 取消后的办理方式 / 处理方式 */
  methods: ExemptionMethod[];
  /** 适用事项 / 涉及事项 / 所涉政务服务事项 / 索要单位及事项 */
  serviceItems: string[];
  /** 所属区划 / 地区 / 区划代码 (a name or a six-digit code, as written) */
  region?: string;
  /** 索要单位 / 实施部门 / 受理部门 */
  acceptingDepartment?: string;
  /** 备注 / 说明 */
  notes?: string;
  /** 证明编码 / 事项编码 */
  code?: string;
}

/** Codes of problems found in one cell. The caller may add its own (department exists …). */
export type CellErrorCode =
  | 'IMPORT.REQUIRED'
  | 'IMPORT.UNKNOWN_METHOD'
  | 'IMPORT.TOO_LONG'
  | 'IMPORT.DUPLICATE_NAME'
  | 'CATALOG.LEGAL_BASIS_REQUIRED';

export interface CellError {
  row: number;
  /** The header text as in the file, e.g. "免提交方式". */
  column: string;
  /** zh-CN */
  reason: string;
  reasonEn: string;
  code: CellErrorCode | (string & {});
}

export type SheetField =
  | 'seq' | 'name' | 'issuingDepartment' | 'legalBasis' | 'methods'
  | 'serviceItems' | 'region' | 'acceptingDepartment' | 'notes' | 'code';

export interface ParseResult {
  /**
   * Every data row, in sheet order, including rows that have cell errors (so a preview can
   * show them next to their errors). Import nothing while `errors` is non-empty.
   */
  rows: SheetRow[];
  errors: CellError[];
  /** 1-based row number of the header row. */
  headerRow: number;
  /** Worksheet name; for CSV the file name without its extension. */
  sheetName: string;
  /** field → header text found in the file (only the fields that have a column). */
  columns: Partial<Record<SheetField, string>> & Record<string, string>;
}

/** Limits the import enforces. */
export const LIMITS = {
  maxCellChars: 2000,
  maxDataRows: 20_000,
  /** Rows the xlsx reader accepts in one worksheet, empty and formatted ones included. */
  maxSheetRows: 100_000,
  /** How many non-empty rows from the top are scored when looking for the header. */
  headerScanRows: 15,
} as const;

/** Codes for a file rejected as a whole. */
export type SpreadsheetErrorCode =
  | 'IMPORT.UNSUPPORTED_FILE'
  | 'IMPORT.EMPTY_FILE'
  | 'IMPORT.NO_HEADER'
  | 'IMPORT.TOO_MANY_ROWS'
  | 'EXPORT.INVALID_ROW';

/**
 * A whole file rejected (not one cell). Messages are zh-CN with an English twin, in the
 * shape of the platform's AppError; the caller maps `code` to its HTTP status
 * (UNSUPPORTED_FILE → 415, the others → 422; EXPORT.INVALID_ROW is a caller bug → 500/422).
 */
export class SpreadsheetError extends Error {
  readonly code: SpreadsheetErrorCode;
  readonly messageEn: string;
  readonly details: Record<string, unknown>;

  constructor(code: SpreadsheetErrorCode, message: string, messageEn: string, details: Record<string, unknown> = {}) {
    super(message);
    this.name = 'SpreadsheetError';
    this.code = code;
    this.messageEn = messageEn;
    this.details = details;
  }
}

export function isSpreadsheetError(e: unknown): e is SpreadsheetError {
  return e instanceof SpreadsheetError;
}
