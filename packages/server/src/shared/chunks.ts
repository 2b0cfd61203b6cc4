/**
 * Rows per statement when a list is written or looked up in several: one PostgreSQL statement
 * binds at most 65,535 parameters, so a multi-row insert of n columns takes at most 65,535 / n rows.
 */
export const ROWS_PER_STATEMENT = 500;

/** The items in consecutive slices of at most `size` (the last may be shorter; none for no items). */
export function chunks<T>(items: readonly T[], size = ROWS_PER_STATEMENT): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}
