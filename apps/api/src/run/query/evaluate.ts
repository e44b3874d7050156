// Evaluation of a parsed runs query over a compact projection of runs (pure).
import { compareKeys, type KeyValue } from '../../common/keyset';
import {
  parseDateLiteral,
  type CompareOp,
  type FieldRef,
  type Literal,
  type QueryExpr,
} from './parser';

/** The aggregates of one metric series a query reads. */
export interface MetricAggregate {
  min: number;
  max: number;
  last: number;
}

/** What the query language sees of a run. */
export interface RunProjection {
  id: string;
  name: string;
  status: string;
  project: string;
  tags: readonly string[];
  hyperparameters: Record<string, unknown>;
  createdAt: Date;
  startedAt: Date | null;
  endedAt: Date | null;
  /** Aggregates by metric name (only the metrics the query or sort reads need be present). */
  metrics: ReadonlyMap<string, MetricAggregate>;
  /**
   * Run.reproducibility fields by key of REPRODUCIBILITY_FIELDS (only those the query or sort
   * reads need be present; a missing one reads as null).
   */
  reproducibility?: ReadonlyMap<string, string | boolean | null>;
}

/** Hyperparameter aliases: each name also reads the others of its group. */
const HP_ALIASES: readonly (readonly string[])[] = [
  ['learningRate', 'lr', 'learning_rate'],
  ['batchSize', 'batch_size'],
];

/**
 * True if a metric is minimised (its "best" is its minimum): names containing "loss" or
 * "error" (case-insensitive). Every other metric (accuracy, f1, auc, ...) is maximised.
 */
export function isMinimised(metric: string): boolean {
  return /loss|error/i.test(metric);
}

/** A hyperparameter value, following aliases (lr ↔ learningRate, batch_size ↔ batchSize). */
export function hyperparameter(hp: Record<string, unknown>, name: string): unknown {
  const read = (key: string): unknown => {
    if (Object.prototype.hasOwnProperty.call(hp, key)) return hp[key];
    // Dotted names read nested objects (hp.optimizer.name).
    if (key.includes('.')) {
      let cur: unknown = hp;
      for (const part of key.split('.')) {
        if (
          typeof cur !== 'object' ||
          cur === null ||
          !Object.prototype.hasOwnProperty.call(cur, part)
        )
          return undefined;
        cur = (cur as Record<string, unknown>)[part];
      }
      return cur;
    }
    return undefined;
  };
  const direct = read(name);
  if (direct !== undefined) return direct;
  const group = HP_ALIASES.find((g) => g.includes(name));
  for (const alias of group ?? []) {
    const v = read(alias);
    if (v !== undefined) return v;
  }
  return undefined;
}

/** Run duration in seconds: (endedAt, or `now` while unfinished) − startedAt; null if never started. */
export function durationSeconds(run: RunProjection, now: number): number | null {
  if (!run.startedAt) return null;
  return ((run.endedAt?.getTime() ?? now) - run.startedAt.getTime()) / 1000;
}

/** The value a field reads from a run (null when missing). Used for comparisons and sorting. */
export function fieldValue(
  run: RunProjection,
  field: FieldRef,
  now: number,
): number | string | boolean | null {
  switch (field.kind) {
    case 'hp': {
      const v = hyperparameter(run.hyperparameters, field.name);
      return typeof v === 'number' || typeof v === 'string' || typeof v === 'boolean'
        ? v
        : v === undefined || v === null
          ? null
          : JSON.stringify(v);
    }
    case 'best': {
      const m = run.metrics.get(field.metric);
      return m ? (isMinimised(field.metric) ? m.min : m.max) : null;
    }
    case 'final':
      return run.metrics.get(field.metric)?.last ?? null;
    case 'repro':
      return run.reproducibility?.get(field.name) ?? null;
    case 'attr':
      switch (field.name) {
        case 'tag':
          return null; // set-valued: handled by the comparison
        case 'status':
          return run.status;
        case 'project':
          return run.project;
        case 'name':
          return run.name;
        case 'created':
          return run.createdAt.getTime();
        case 'started':
          return run.startedAt?.getTime() ?? null;
        case 'ended':
          return run.endedAt?.getTime() ?? null;
        case 'duration':
          return durationSeconds(run, now);
      }
  }
}

function compareOrdered<T extends number | string>(a: T, op: CompareOp, b: T): boolean {
  switch (op) {
    case '=':
      return a === b;
    case '!=':
      return a !== b;
    case '<':
      return a < b;
    case '<=':
      return a <= b;
    case '>':
      return a > b;
    case '>=':
      return a >= b;
    case '~':
      return String(a).toLowerCase().includes(String(b).toLowerCase());
  }
}

/** Compares a value read from a run with a literal; a missing value or a type mismatch is false. */
function compareValue(
  value: number | string | boolean | null,
  op: CompareOp,
  lit: Literal,
): boolean {
  if (value === null) return false;
  if (op === '~')
    return (
      typeof value !== 'boolean' &&
      String(value).toLowerCase().includes(String(lit.value).toLowerCase())
    );
  if (lit.kind === 'boolean') {
    if (typeof value !== 'boolean') return false;
    return op === '=' ? value === lit.value : op === '!=' ? value !== lit.value : false;
  }
  if (lit.kind === 'number') {
    // Numbers stored as text ("0.01") still compare numerically.
    const n =
      typeof value === 'number'
        ? value
        : typeof value === 'string' && value.trim() !== ''
          ? Number(value)
          : NaN;
    return Number.isFinite(n) && compareOrdered(n, op, lit.value);
  }
  if (typeof value === 'boolean') return false;
  return compareOrdered(String(value), op, lit.value);
}

/** Compares an instant with a date literal's interval (a date-only literal is its whole UTC day). */
function compareDate(value: number | null, op: CompareOp, text: string): boolean {
  const range = parseDateLiteral(text);
  if (value === null || range === null) return false;
  switch (op) {
    case '=':
      return value >= range.start && value < range.end;
    case '!=':
      return value < range.start || value >= range.end;
    case '<':
      return value < range.start;
    case '<=':
      return value < range.end;
    case '>':
      return value >= range.end;
    case '>=':
      return value >= range.start;
    default:
      return false;
  }
}

/** A predicate over runs for a parsed query. `now` fixes "now" for running runs' duration. */
export function compileQuery(
  expr: QueryExpr,
  now: number = Date.now(),
): (run: RunProjection) => boolean {
  switch (expr.kind) {
    case 'and': {
      const l = compileQuery(expr.left, now);
      const r = compileQuery(expr.right, now);
      return (run) => l(run) && r(run);
    }
    case 'or': {
      const l = compileQuery(expr.left, now);
      const r = compileQuery(expr.right, now);
      return (run) => l(run) || r(run);
    }
    case 'not': {
      const inner = compileQuery(expr.expr, now);
      return (run) => !inner(run);
    }
    case 'cmp': {
      const { field, op, value } = expr;
      if (field.kind === 'attr' && field.name === 'tag') {
        const wanted = String(value.value);
        if (op === '~') {
          const needle = wanted.toLowerCase();
          return (run) => run.tags.some((t) => t.toLowerCase().includes(needle));
        }
        return op === '='
          ? (run) => run.tags.includes(wanted)
          : (run) => !run.tags.includes(wanted);
      }
      if (field.kind === 'attr' && field.name === 'status' && op !== '~') {
        const wanted = String(value.value).toUpperCase();
        return (run) => compareOrdered(run.status.toUpperCase(), op, wanted);
      }
      if (
        field.kind === 'attr' &&
        (field.name === 'created' || field.name === 'started' || field.name === 'ended')
      ) {
        return (run) =>
          compareDate(fieldValue(run, field, now) as number | null, op, String(value.value));
      }
      if (field.kind === 'repro' && field.name === 'git.commit' && (op === '=' || op === '!=')) {
        // A short hash names the commits it starts (as `git rev-parse` reads it).
        const wanted = String(value.value).toLowerCase();
        const short = /^[0-9a-f]{7,63}$/.test(wanted);
        return (run) => {
          const commit = fieldValue(run, field, now);
          if (typeof commit !== 'string') return false;
          const same = short ? commit.startsWith(wanted) : commit === wanted;
          return op === '=' ? same : !same;
        };
      }
      return (run) => compareValue(fieldValue(run, field, now), op, value);
    }
  }
}

/** Longest string a sort compares (and a cursor carries): hyperparameter text can be 64 KiB. */
export const SORT_STRING_CHARS = 256;

/**
 * The value runs are sorted on: the field's value, booleans as 0/1, strings cut to
 * {@link SORT_STRING_CHARS} characters (longer ones compare on that prefix, then on id).
 */
export function sortValue(run: RunProjection, field: FieldRef, now: number): KeyValue {
  const v = fieldValue(run, field, now);
  if (typeof v === 'boolean') return Number(v);
  return typeof v === 'string' ? v.slice(0, SORT_STRING_CHARS) : v;
}

/** The sort key of a run: its sort value, then its id as the tie-breaker. */
export function runSortKey(run: RunProjection, field: FieldRef, now: number): KeyValue[] {
  return [sortValue(run, field, now), run.id];
}

/**
 * Orders runs by a field (the order of {@link compareKeys} on {@link runSortKey}, so a keyset
 * cursor pages it): runs without a value come last in both directions, numbers sort before
 * strings when a hyperparameter mixes them, ties break on id in the sort direction.
 */
export function sortRuns(
  runs: RunProjection[],
  field: FieldRef,
  direction: 'asc' | 'desc',
  now: number = Date.now(),
): RunProjection[] {
  const keyed = runs.map((run) => ({ run, key: runSortKey(run, field, now) }));
  const directions = [direction, direction] as const;
  keyed.sort((a, b) => compareKeys(a.key, b.key, directions));
  return keyed.map((k) => k.run);
}
