/**
 * Parameter importance for a sweep's target metric, as W&B's parameter-importance panel shows it:
 * the Pearson correlation of each parameter with the metric, and a random-forest importance
 * (a regression forest from ml-random-forest predicting the metric from all parameters; a
 * parameter's importance is how much the forest's error grows when that parameter's column is
 * shuffled: permutation importance, normalised to sum to 1).
 */
import { RandomForestRegression } from 'ml-random-forest';
import type { ParameterValue } from './config';
import { mulberry32 } from './search';

/**
 * Pearson's correlation coefficient of two equally long samples; null when it is undefined (fewer
 * than two points, or either sample constant).
 */
export function pearson(xs: readonly number[], ys: readonly number[]): number | null {
  const n = Math.min(xs.length, ys.length);
  if (n < 2) return null;
  let mx = 0;
  let my = 0;
  for (let i = 0; i < n; i++) {
    mx += xs[i] as number;
    my += ys[i] as number;
  }
  mx /= n;
  my /= n;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < n; i++) {
    const dx = (xs[i] as number) - mx;
    const dy = (ys[i] as number) - my;
    sxy += dx * dy;
    sxx += dx * dx;
    syy += dy * dy;
  }
  if (sxx === 0 || syy === 0) return null;
  return Math.max(-1, Math.min(1, sxy / Math.sqrt(sxx * syy)));
}

/** One finished run: its parameter values and its metric. */
export interface ImportanceSample {
  params: Record<string, ParameterValue | undefined>;
  metric: number;
}

/** One parameter's row of the importance table. */
export interface ParameterImportance {
  name: string;
  /** Pearson correlation with the metric (null when undefined: a constant or non-numeric parameter). */
  correlation: number | null;
  /** Share of the random forest's permutation importance, in [0, 1] (null with too few runs). */
  importance: number | null;
}

/** Options of {@link parameterImportance}. */
export interface ImportanceOptions {
  /** Trees in the forest (default 64). */
  trees?: number;
  /** Seed of the forest and the shuffles (default 42): the same runs give the same table. */
  seed?: number;
  /** Shuffles averaged per parameter (default 5). */
  repeats?: number;
}

/** Runs needed before a forest is worth fitting. */
export const MIN_RUNS_FOR_FOREST = 4;

/**
 * Numeric columns for the parameters: numbers as they are, booleans 0/1, strings by the rank of
 * the value in sorted order (the forest splits on them; correlation stays null for strings, as a
 * rank of category names means nothing linear).
 */
function encode(samples: readonly ImportanceSample[], names: readonly string[]) {
  return names.map((name) => {
    const raw = samples.map((s) => s.params[name]);
    const strings = [...new Set(raw.filter((v): v is string => typeof v === 'string'))].sort();
    const numeric = raw.every((v) => typeof v === 'number' || typeof v === 'boolean');
    const column = raw.map((v) =>
      typeof v === 'number'
        ? v
        : typeof v === 'boolean'
          ? Number(v)
          : v === undefined
            ? 0
            : strings.indexOf(v),
    );
    return { name, column, numeric };
  });
}

function meanSquaredError(a: readonly number[], b: readonly number[]): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += ((a[i] as number) - (b[i] as number)) ** 2;
  return s / a.length;
}

/** Fisher-Yates shuffle of a copy, driven by `next`. */
function shuffled(values: readonly number[], next: () => number): number[] {
  const out = [...values];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(next() * (i + 1));
    [out[i], out[j]] = [out[j] as number, out[i] as number];
  }
  return out;
}

/** Permutation importance per column of `x` for a forest fitted on (x, y); raw error increases. */
function permutationImportance(
  x: number[][],
  y: number[],
  options: Required<ImportanceOptions>,
): number[] {
  const forest = new RandomForestRegression({
    nEstimators: options.trees,
    seed: options.seed,
    maxFeatures: 1.0,
    replacement: true,
    useSampleBagging: true,
    noOOB: true,
  });
  forest.train(x, y);
  const base = meanSquaredError(forest.predict(x), y);
  const next = mulberry32(options.seed);
  const p = x[0]?.length ?? 0;
  const out: number[] = [];
  for (let j = 0; j < p; j++) {
    let grow = 0;
    for (let r = 0; r < options.repeats; r++) {
      const col = shuffled(
        x.map((row) => row[j] as number),
        next,
      );
      const xp = x.map((row, i) => row.map((v, k) => (k === j ? (col[i] as number) : v)));
      grow += meanSquaredError(forest.predict(xp), y) - base;
    }
    out.push(Math.max(0, grow / options.repeats));
  }
  return out;
}

/**
 * The importance table for `names` over `samples` (runs without a finite metric left out), sorted
 * by random-forest importance then |correlation|, largest first.
 */
export function parameterImportance(
  names: readonly string[],
  samples: readonly ImportanceSample[],
  options: ImportanceOptions = {},
): ParameterImportance[] {
  const opts = { trees: 64, seed: 42, repeats: 5, ...options };
  const rows = samples.filter((s) => Number.isFinite(s.metric));
  const y = rows.map((s) => s.metric);
  const columns = encode(rows, names);
  // Constant columns carry no information; the forest sees only the varying ones.
  const varying = columns.filter((c) => new Set(c.column).size > 1);
  let forest = new Map<string, number>();
  if (rows.length >= MIN_RUNS_FOR_FOREST && varying.length > 0 && new Set(y).size > 1) {
    const x = rows.map((_, i) => varying.map((c) => c.column[i] as number));
    const raw = permutationImportance(x, y, opts);
    const total = raw.reduce((a, b) => a + b, 0);
    forest = new Map(varying.map((c, j) => [c.name, total > 0 ? (raw[j] as number) / total : 0]));
  }
  const forestFitted = forest.size > 0;
  const table = columns.map((c) => ({
    name: c.name,
    correlation: c.numeric ? pearson(c.column, y) : null,
    importance: forestFitted ? (forest.get(c.name) ?? 0) : null,
  }));
  return table.sort(
    (a, b) =>
      (b.importance ?? -1) - (a.importance ?? -1) ||
      Math.abs(b.correlation ?? 0) - Math.abs(a.correlation ?? 0) ||
      (a.name < b.name ? -1 : 1),
  );
}
