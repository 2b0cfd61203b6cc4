/**
 * The catalog rules one imported row can be checked against without the database.
 * Department, region and service-item existence are the caller's to check.
 */
import type { CellError, SheetField, SheetRow } from './types.ts';
import { METHODS } from './types.ts';
import { DEFAULT_HEADERS } from './headers.ts';
import { isExemptionMethod, methodLabel } from './methods.ts';

/**
 * - a retained proof (保留) needs a non-empty 设定依据 (DOMAIN.md: no legal basis, no retaining);
 * - every method is one of the fixed set.
 * `columns` (ParseResult.columns) names the columns as the file did; defaults otherwise.
 * Empty methods are not reported here: the parser already reports the empty cell.
 */
export function checkRowRules(
  row: Pick<SheetRow, 'row' | 'legalBasis'> & { methods: readonly string[] },
  columns: Partial<Record<SheetField, string>> = {},
): CellError[] {
  const header = (f: SheetField) => columns[f] ?? DEFAULT_HEADERS[f];
  const errors: CellError[] = [];
  for (const m of row.methods) {
    if (!isExemptionMethod(m)) {
      errors.push({
        row: row.row, column: header('methods'), code: 'IMPORT.UNKNOWN_METHOD',
        reason: `“${m}”不是可识别的免提交方式，应为：${METHODS.map(methodLabel).join('、')}`,
        reasonEn: `"${m}" is not a known exemption method; use one of: ${METHODS.join(', ')}`,
      });
    }
  }
  if (row.methods.includes('retained') && row.legalBasis.trim() === '') {
    errors.push({
      row: row.row, column: header('legalBasis'), code: 'CATALOG.LEGAL_BASIS_REQUIRED',
      reason: `保留的证明事项必须填写“${header('legalBasis')}”`,
      reasonEn: `A retained proof needs a legal basis in "${header('legalBasis')}"`,
    });
  }
  return errors;
}
