// Pure shaping of the runs table's chosen columns: which hyperparameter and metric columns the
// loaded runs offer, the value of a run in a column, and the column list as kept in a URL.

/** A metric summary as the API returns it per run (over the whole series). */
export interface ColumnSummaryLike {
  name: string;
  last: number;
  min: number;
  max: number;
}

/** The parts of a run the dynamic columns read. */
export interface ColumnRunLike {
  hyperparameters: unknown;
  summary: readonly ColumnSummaryLike[];
  tags?: readonly string[] | null;
}

/**
 * What a column key names: a hyperparameter path, a metric's best or last (`final`) value, or the
 * tags. The keys are the query language's field names, so the API can sort by them.
 */
export type ParsedColumnKey =
  | { kind: 'hp'; name: string }
  | { kind: 'best' | 'final'; name: string }
  | { kind: 'tags' }
  | { kind: 'builtin'; key: string };

/** A leaf value of a hyperparameter object. */
export type HyperparameterLeaf = string | number | boolean | null;

/** Most columns a list keeps (more are dropped when parsed). */
export const MAX_COLUMNS = 200;
/** Deepest nesting flattened into dotted hyperparameter paths (`optimizer.beta1` is depth 2). */
export const MAX_HP_DEPTH = 3;

const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * A hyperparameter object flattened to dotted paths (`{ optimizer: { name: "adam" } }` gives
 * `optimizer.name`), at most {@link MAX_HP_DEPTH} levels; lists and deeper objects become their
 * JSON text. A non-object gives an empty map.
 */
export function flattenHyperparameters(hp: unknown): Map<string, HyperparameterLeaf> {
  const out = new Map<string, HyperparameterLeaf>();
  const walk = (value: unknown, prefix: string, depth: number): void => {
    if (isPlainObject(value) && depth < MAX_HP_DEPTH) {
      for (const [k, v] of Object.entries(value)) walk(v, prefix ? `${prefix}.${k}` : k, depth + 1);
      return;
    }
    if (!prefix) return;
    if (value === null || ['string', 'number', 'boolean'].includes(typeof value))
      out.set(prefix, value as HyperparameterLeaf);
    else out.set(prefix, JSON.stringify(value) ?? null);
  };
  walk(hp, '', 0);
  return out;
}

/** Every hyperparameter path of the runs, sorted (case-insensitive, numeric-aware). */
export function hyperparameterPaths(runs: readonly ColumnRunLike[]): string[] {
  const paths = new Set<string>();
  for (const run of runs)
    for (const p of flattenHyperparameters(run.hyperparameters).keys()) paths.add(p);
  return sortNames(paths);
}

/** Every metric name in the runs' summaries, sorted. */
export function metricNames(runs: readonly ColumnRunLike[]): string[] {
  const names = new Set<string>();
  for (const run of runs) for (const s of run.summary) names.add(s.name);
  return sortNames(names);
}

function sortNames(names: Iterable<string>): string[] {
  return [...names].sort((a, b) => a.localeCompare(b, undefined, { numeric: true }));
}

/** Reads a column key: `hp.<path>`, `best.<metric>`, `final.<metric>`, `tags`, else a built-in. */
export function parseColumnKey(key: string): ParsedColumnKey {
  if (key === 'tags') return { kind: 'tags' };
  const dot = key.indexOf('.');
  const head = dot > 0 ? key.slice(0, dot) : '';
  const name = key.slice(dot + 1);
  if (dot > 0 && name && head === 'hp') return { kind: 'hp', name };
  if (dot > 0 && name && (head === 'best' || head === 'final')) return { kind: head, name };
  return { kind: 'builtin', key };
}

/** The header of a dynamic column: the path for a hyperparameter, "best m" / "last m" for a metric. */
export function columnLabel(key: string): string {
  const parsed = parseColumnKey(key);
  switch (parsed.kind) {
    case 'hp':
      return parsed.name;
    case 'best':
      return `best ${parsed.name}`;
    case 'final':
      return `last ${parsed.name}`;
    case 'tags':
      return 'Tags';
    default:
      return parsed.key;
  }
}

/**
 * A run's best (`goal` max: the maximum, min: the minimum) or last value of a metric; null when
 * the run has not logged it or the value is not finite.
 */
export function metricValue(
  summary: readonly ColumnSummaryLike[],
  name: string,
  which: 'best' | 'last',
  goal: 'min' | 'max',
): number | null {
  const s = summary.find((m) => m.name === name);
  if (!s) return null;
  const v = which === 'last' ? s.last : goal === 'max' ? s.max : s.min;
  return Number.isFinite(v) ? v : null;
}

/**
 * The value of a run in a dynamic column (for sorting and grouping): a hyperparameter leaf, a
 * metric value (`goalOf` says whether a metric is maximised), or the tags joined by ", ".
 * Built-in keys give undefined (the table computes those itself).
 */
export function columnValue(
  run: ColumnRunLike,
  key: string,
  goalOf: (metric: string) => 'min' | 'max',
): HyperparameterLeaf | undefined {
  const parsed = parseColumnKey(key);
  switch (parsed.kind) {
    case 'hp':
      return flattenHyperparameters(run.hyperparameters).get(parsed.name) ?? null;
    case 'best':
    case 'final':
      return metricValue(
        run.summary,
        parsed.name,
        parsed.kind === 'best' ? 'best' : 'last',
        goalOf(parsed.name),
      );
    case 'tags':
      return run.tags && run.tags.length > 0 ? run.tags.join(', ') : null;
    default:
      return undefined;
  }
}

/** The columns the chooser offers beyond the built-ins: every hyperparameter, best and last (`final.`) of every metric, tags. */
export function dynamicColumnKeys(runs: readonly ColumnRunLike[]): string[] {
  return [
    ...hyperparameterPaths(runs).map((p) => `hp.${p}`),
    ...metricNames(runs).flatMap((m) => [`best.${m}`, `final.${m}`]),
    'tags',
  ];
}

/** `keys` with `key` added at the end when missing, removed when present. */
export function toggleColumn(keys: readonly string[], key: string): string[] {
  return keys.includes(key) ? keys.filter((k) => k !== key) : [...keys, key];
}

/** A column list as one URL value: keys URI-encoded, joined by commas. */
export function serializeColumns(keys: readonly string[]): string {
  return keys.map(encodeURIComponent).join(',');
}

/**
 * Reads {@link serializeColumns}' text back: empty and malformed parts are skipped, each key
 * once, at most {@link MAX_COLUMNS}.
 */
export function parseColumns(text: string | null | undefined): string[] {
  if (!text) return [];
  const keys: string[] = [];
  for (const part of text.split(',')) {
    let key: string;
    try {
      key = decodeURIComponent(part).trim();
    } catch {
      continue;
    }
    if (key && !keys.includes(key)) keys.push(key);
    if (keys.length >= MAX_COLUMNS) break;
  }
  return keys;
}
