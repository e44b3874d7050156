/**
 * Building blocks of the schemas: zod types whose messages read like the project's (`expected an
 * integer >= 1, got 2.5`), and {@link firstIssue}, which turns zod's issues into one message that
 * names the path (`model.layers[2].filters: expected an integer >= 1, got 0`).
 */
import { z } from 'zod';

/** A value as messages quote it: JSON, cut at 60 characters; `nothing` for undefined. */
export function describeValue(v: unknown): string {
  if (v === undefined) return 'nothing';
  // JSON.stringify gives undefined for functions and symbols: name their type instead.
  const s = JSON.stringify(v) ?? typeof v;
  return s.length > 60 ? `${s.slice(0, 57)}...` : s;
}

/** Options of the primitives: the message for a missing value (default: the usual one). */
export interface FieldOptions {
  /** Message when the value is absent (e.g. `required by conv2d layers`). */
  missing?: string;
}

/** One message function for every check of a primitive, with an optional `missing` message. */
function messages(expected: string, options: FieldOptions = {}) {
  return {
    error: (iss: { input?: unknown }) =>
      iss.input === undefined && options.missing !== undefined
        ? options.missing
        : `expected ${expected}, got ${describeValue(iss.input)}`,
  };
}

/** An integer >= `min` (default 1). */
export function int(min = 1, options?: FieldOptions) {
  const m = messages(`an integer >= ${min}`, options);
  return z.number(m).int(m).min(min, m);
}

/** Bounds of {@link num}. */
export interface NumRange {
  min: number;
  /** Upper bound (default none). */
  max?: number;
  /** The upper bound itself is excluded: `[min, max)`. */
  maxExclusive?: boolean;
}

/** A finite number in `[min, max]` (or `[min, max)`). */
export function num(range: NumRange, options?: FieldOptions) {
  const { min, max = Infinity, maxExclusive = false } = range;
  const m = messages(
    `a number in [${min}, ${max === Infinity ? '∞' : max}${maxExclusive ? ')' : ']'}`,
    options,
  );
  const lower = z.number(m).min(min, m);
  if (max === Infinity) return lower;
  return maxExclusive ? lower.lt(max, m) : lower.max(max, m);
}

/** A number >= 0. */
export const nonNegative = () => num({ min: 0 });
/** A number > 0 (the smallest positive double and up). */
export const positive = () => num({ min: Number.MIN_VALUE });
/** A fraction in [0, 1). */
export const fraction = () => num({ min: 0, max: 1, maxExclusive: true });

/** true or false. */
export function bool(options?: FieldOptions) {
  return z.boolean(messages('true or false', options));
}

/** A non-empty string. */
export function str(options?: FieldOptions) {
  const m = messages('a non-empty string', options);
  return z.string(m).min(1, m);
}

/** One of the given strings. */
export function oneOf<const T extends readonly [string, ...string[]]>(
  values: T,
  options?: FieldOptions,
) {
  return z.enum(values, messages(`one of ${values.join(', ')}`, options));
}

/** A non-empty list of integers >= `min`. */
export function intList(min = 1, options?: FieldOptions) {
  const m = messages('a non-empty list', options);
  return z.array(int(min), m).min(1, m);
}

/** An integer or a pair `[h, w]` of integers (kernel sizes, strides). */
export function intOrPair(options?: FieldOptions) {
  const m = messages('an integer or a pair [h, w]', options);
  return z.union([int(1, options), z.tuple([int(), int()], m)], m);
}

/**
 * An object that accepts only the fields of `shape`: another field is reported as
 * `PATH.FIELD: unknown field; allowed: ...`, a non-object as `expected a mapping`.
 * @param allowed the fields named in the message (default: every field of `shape`)
 */
export function strict<S extends z.ZodRawShape>(
  shape: S,
  allowed: readonly string[] = Object.keys(shape),
) {
  return z.strictObject(shape, {
    error: (iss) =>
      iss.code === 'unrecognized_keys'
        ? `unknown field; allowed: ${allowed.join(', ')}`
        : `expected a mapping, got ${describeValue(iss.input)}`,
  });
}

/** A field that used to exist: present, it fails with `message` (the new name). */
export function renamed(message: string) {
  return z.never({ error: message }).optional();
}

/** One problem of a value: the dotted path of the culprit and what is wrong with it. */
export interface SchemaProblem {
  /** `model.layers[2].filters`; empty for the whole value. */
  path: string;
  message: string;
}

/** Formats a zod path as the project writes it: `a.b[2].c`, with `prefix` in front. */
export function formatPath(path: readonly PropertyKey[], prefix = ''): string {
  let out = prefix;
  for (const key of path) {
    if (typeof key === 'number') out += `[${key}]`;
    else out += out === '' ? String(key) : `.${String(key)}`;
  }
  return out;
}

/**
 * The alternative of a failed union whose type matched the input (the branch that did not
 * fail with a wrong type at the union's own path), so its precise issue is reported.
 */
function matchingBranch(iss: z.core.$ZodIssueInvalidUnion): z.core.$ZodIssue[] | undefined {
  return iss.errors.find(
    (branch) =>
      branch.length > 0 && !branch.every((b) => b.code === 'invalid_type' && b.path.length === 0),
  );
}

/** The first problem among zod's issues, in the project's words (see {@link SchemaProblem}). */
export function firstIssue(issues: readonly z.core.$ZodIssue[], prefix = ''): SchemaProblem {
  const [iss] = issues;
  if (iss === undefined) return { path: prefix, message: 'invalid' };
  const path = formatPath(iss.path, prefix);
  if (iss.code === 'invalid_union') {
    const branch = matchingBranch(iss);
    if (branch !== undefined && iss.errors.length > 1) return firstIssue(branch, path);
  }
  if (iss.code === 'unrecognized_keys') {
    const [key] = iss.keys;
    return { path: formatPath(key === undefined ? [] : [key], path), message: iss.message };
  }
  return { path, message: iss.message };
}

/** A problem as one line: `path: message` (just the message for the whole value). */
export function problemText(problem: SchemaProblem): string {
  return problem.path ? `${problem.path}: ${problem.message}` : problem.message;
}
