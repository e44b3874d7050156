/**
 * Indexing that states what it expects: with `noUncheckedIndexedAccess` an element may be
 * absent, and these throw an error naming what was missing instead of passing `undefined` on.
 */

/** `list[index]`, or an error `no <what> at index <index> (length n)`. */
export function itemAt<T>(list: ArrayLike<T>, index: number, what: string): T {
  const v = list[index];
  if (v === undefined) throw new RangeError(`no ${what} at index ${index} (length ${list.length})`);
  return v;
}

/** The first element, or an error naming what was expected (`the model has no input`). */
export function first<T>(list: ArrayLike<T>, what: string): T {
  const v = list[0];
  if (v === undefined) throw new RangeError(`expected ${what}, found none`);
  return v;
}
