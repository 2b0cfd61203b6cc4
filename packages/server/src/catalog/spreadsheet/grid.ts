/** The common view of a worksheet or CSV file that the parser reads. */
export interface GridRow {
  /** 1-based row number as a person sees it in Excel. */
  row: number;
  /** Raw cell texts by 0-based column; '' for an empty cell. */
  cells: string[];
}

export interface SheetSource {
  name: string;
  hidden: boolean;
  /** Rows in order; rows with no cells at all may be omitted. Can be iterated more than once. */
  rows(): Iterable<GridRow>;
}
