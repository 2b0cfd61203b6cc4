/** The proof-item list spreadsheet adapter: parse an uploaded list, write a published one. */
export type { CellError, CellErrorCode, ExemptionMethod, ParseResult, SheetField, SheetRow, SpreadsheetErrorCode } from './types.ts';
export type { GridRow, SheetSource } from './grid.ts';
export { LIMITS, METHODS, SpreadsheetError, isSpreadsheetError } from './types.ts';
export { parseCatalogSpreadsheet, parseSheets } from './parse-catalog-spreadsheet.ts';
export { writeCatalogWorkbook, type CatalogWorkbookInput } from './write-catalog-workbook.ts';
export { methodLabel, parseMethods, isExemptionMethod, METHOD_SYNONYMS } from './methods.ts';
export { checkRowRules } from './row-rules.ts';
export { cleanText, cleanMultiline, matchKey, splitList } from './normalise.ts';
export { DEFAULT_HEADERS, HEADER_SYNONYMS, REQUIRED_FIELDS } from './headers.ts';
export { sniffFileKind } from './sniff.ts';
export { generateCatalogRows } from './generate-sample.ts';
