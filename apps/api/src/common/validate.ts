// Input checks shared by the services that store evaluation-like results (evaluation,
// uncertainty). Each throws BAD_USER_INPUT naming the field (and the element index, if any).
import { badInput } from './errors';
import { limits, LIMITS } from './limits';

/** True for a finite number. */
export const isNum = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

/** A finite number in [min, max], or BAD_USER_INPUT naming `field` (and the element index). */
export function finite(
  v: unknown,
  field: string,
  min = -Infinity,
  max = Infinity,
  index?: number,
): number {
  if (!isNum(v) || v < min || v > max) {
    const where = index === undefined ? field : `${field}[${index}]`;
    const range =
      min === -Infinity && max === Infinity
        ? 'a finite number'
        : `a finite number in [${min}, ${max}]`;
    throw badInput(`${where} must be ${range}, got ${String(v)}`, {
      field,
      ...(index === undefined ? {} : { index }),
    });
  }
  return v;
}

/** Null for null/undefined, otherwise {@link finite}. */
export function optionalFinite(
  v: unknown,
  field: string,
  min?: number,
  max?: number,
  index?: number,
): number | null {
  return v === null || v === undefined ? null : finite(v, field, min, max, index);
}

/** The trimmed split name (default `test`), 1-100 characters of a name (see common/limits.ts). */
export function splitName(split: string | null | undefined): string {
  return limits.name(split ?? 'test', 'split', LIMITS.splitName);
}

/**
 * The class names (default `"0"`, `"1"`, ...): exactly `numClasses` of them, each 1-200
 * characters without control, bidirectional or invisible characters, all different.
 */
export function classNamesFor(names: string[] | null | undefined, numClasses: number): string[] {
  const classNames = names ?? Array.from({ length: numClasses }, (_, i) => String(i));
  if (classNames.length !== numClasses)
    throw badInput(
      `classNames has ${classNames.length} names; expected numClasses = ${numClasses}`,
      { field: 'classNames' },
    );
  // Names, not free text: no control, bidirectional or invisible characters (stored as sent).
  for (const [i, name] of classNames.entries())
    limits.name(name, `classNames[${i}]`, LIMITS.className);
  if (new Set(classNames).size !== numClasses)
    throw badInput('classNames must be unique', { field: 'classNames' });
  return classNames;
}
