// The indexed form of a run's hyperparameters (RunParam rows, issue #11): for every name that
// `hp.<name>` can read, the value evaluate.ts `hyperparameter()` gives it, resolved when the run
// is written (aliases, dotted paths into objects and arrays, "first of its paths present"), in
// the views the compiled SQL compares (sql.ts). A query then reads one row by (name, value)
// through an index instead of parsing every run's JSON. Pure: no database access.
import { createHash } from 'node:crypto';
import { hyperparameter } from './evaluate';

/** One RunParam row (without its runId). */
export interface RunParamRow {
  /** The name as `hp.<name>` spells it (paramName(): long names as a hash). */
  name: string;
  /** The value compared with a number: numbers, and strings that Number() reads (finite). */
  num: number | null;
  /** The value compared with a string: strings, numbers as String(), objects as JSON. */
  text: string | null;
  /** Booleans. */
  bool: boolean | null;
  /** The sort value of numbers and booleans (0/1); null for text (sorted after numbers). */
  sortNum: number | null;
}

/** Names longer than this (UTF-8 bytes) are stored as a hash: index entries stay small. */
export const MAX_PARAM_NAME_BYTES = 256;
/** Hyperparameter aliases, kept in step with evaluate.ts (hyperparameterPaths reads them). */
const ALIAS_NAMES = ['learningRate', 'lr', 'learning_rate', 'batchSize', 'batch_size'];

/**
 * The stored name of `hp.<name>`: the name itself, or for a name over
 * {@link MAX_PARAM_NAME_BYTES} bytes or starting with U+0001 (reserved for hashes) U+0001
 * "h:" and its SHA-256 (a PostgreSQL b-tree entry holds at most about 2.7 KB).
 */
export function paramName(name: string): string {
  if (Buffer.byteLength(name, 'utf8') <= MAX_PARAM_NAME_BYTES && !name.startsWith('\u0001'))
    return name;
  return `\u0001h:${createHash('sha256').update(name, 'utf8').digest('hex')}`;
}

/** Every dotted name of the nodes under `value` (object keys, array indices and `length`). */
function nestedNames(value: unknown, prefix: string, out: Set<string>): void {
  if (typeof value !== 'object' || value === null) return;
  const keys = Array.isArray(value) ? [...value.keys()].map(String) : Object.keys(value);
  // hyperparameter() walks with hasOwnProperty: an array's "length" is one of its own keys.
  if (Array.isArray(value)) out.add(`${prefix}.length`);
  for (const key of keys) {
    const name = `${prefix}.${key}`;
    out.add(name);
    nestedNames((value as Record<string, unknown>)[key], name, out);
  }
}

/** A NUL cannot be stored in PostgreSQL text: it reads as U+FFFD. */
const storable = (s: string) => (s.includes('\u0000') ? s.replace(/\u0000/g, '\ufffd') : s);

/** The views of one resolved value (compareValue and sortValue of evaluate.ts). */
function views(v: unknown): Omit<RunParamRow, 'name'> | null {
  if (typeof v === 'number')
    return { num: Number.isFinite(v) ? v : null, text: String(v), bool: null, sortNum: v };
  if (typeof v === 'boolean') return { num: null, text: null, bool: v, sortNum: v ? 1 : 0 };
  if (v === null || v === undefined) return null;
  const text = typeof v === 'string' ? v : JSON.stringify(v);
  const n = text.trim() !== '' ? Number(text) : NaN;
  return {
    num: Number.isFinite(n) ? n : null,
    text: storable(text),
    bool: null,
    sortNum: null,
  };
}

/**
 * The RunParam rows of a run's hyperparameters: one per name `hyperparameter(hp, name)` gives
 * a value (JSON null reads as missing, so it has none). Every name it can find a value for is
 * a top-level key, a dotted path of nested keys, or an alias, so those are the candidates.
 */
export function runParamRows(hp: Record<string, unknown>): RunParamRow[] {
  const names = new Set<string>(ALIAS_NAMES);
  for (const key of Object.keys(hp)) {
    names.add(key);
    nestedNames(hp[key], key, names);
  }
  const rows: RunParamRow[] = [];
  const stored = new Set<string>();
  for (const name of names) {
    // A name with a NUL cannot be stored, nor asked for (the query text refuses NUL).
    if (name.includes('\u0000')) continue;
    const v = views(hyperparameter(hp, name));
    const key = paramName(name);
    if (!v || stored.has(key)) continue;
    stored.add(key);
    rows.push({ name: key, ...v });
  }
  return rows;
}

/** runParamRows() of a run's hyperparameters as stored (JSON text of an object). */
export function runParamRowsOfJson(json: string): RunParamRow[] {
  const hp: unknown = JSON.parse(json);
  return typeof hp === 'object' && hp !== null && !Array.isArray(hp)
    ? runParamRows(hp as Record<string, unknown>)
    : [];
}
