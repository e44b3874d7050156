/** Sort direction of a table column. */
export type SortDirection = 'asc' | 'desc';

/** A value a table column can sort on; `null`/`undefined`/NaN mean "missing". */
export type SortValue = number | string | Date | null | undefined;

function isMissing(v: SortValue): v is null | undefined {
  return (
    v == null ||
    (typeof v === 'number' && Number.isNaN(v)) ||
    (v instanceof Date && Number.isNaN(v.getTime()))
  );
}

/**
 * Compares two column values in `direction`. Missing values always sort last, whatever the
 * direction, so a run without a validation accuracy never tops a "best first" table.
 * Strings compare case-insensitively with numeric awareness (`run-2` before `run-10`).
 */
export function compareValues(
  a: SortValue,
  b: SortValue,
  direction: SortDirection = 'asc',
): number {
  const aMissing = isMissing(a);
  const bMissing = isMissing(b);
  if (aMissing || bMissing) return aMissing === bMissing ? 0 : aMissing ? 1 : -1;
  let cmp: number;
  if (typeof a === 'string' && typeof b === 'string') {
    cmp = a.localeCompare(b, undefined, { numeric: true, sensitivity: 'base' });
  } else {
    const av = a instanceof Date ? a.getTime() : Number(a);
    const bv = b instanceof Date ? b.getTime() : Number(b);
    cmp = av < bv ? -1 : av > bv ? 1 : 0;
  }
  return direction === 'asc' ? cmp : -cmp;
}

/** A stable sorted copy of `rows` by the value `key` extracts, using {@link compareValues}. */
export function sortRows<T>(
  rows: readonly T[],
  key: (row: T) => SortValue,
  direction: SortDirection,
): T[] {
  return rows
    .map((row, index) => ({ row, index, value: key(row) }))
    .sort((a, b) => compareValues(a.value, b.value, direction) || a.index - b.index)
    .map((entry) => entry.row);
}
