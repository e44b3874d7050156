import { graphql } from './gql';
import type { CompareQuery, RunClassMetricsFieldsFragment } from './gql/graphql';
import { isJsonObject } from './json';
import type { MetricSummary } from './queries';

graphql(`
  fragment RunClassMetricsFields on RunClassMetrics {
    runId
    precision
    recall
    f1
  }
`);

/** Side-by-side comparison of runs (any projects), everything in the order of the ids. */
export const COMPARE_QUERY = graphql(`
  query Compare($ids: [ID!]!) {
    compareRuns(ids: $ids, maxPoints: 500) {
      runs {
        id
        name
        status
        project {
          name
        }
        hyperparameters
        summary {
          ...MetricSummaryFields
        }
        # Diffed beside the hyperparameters (lib/reproducibility.ts reproducibilityDiff).
        reproducibility {
          git {
            commit
            dirty
            branch
          }
          host
          os {
            platform
            release
            arch
          }
          node
          tfjs
          backend
          dataset {
            sha256
          }
          configFile {
            path
            sha256
          }
        }
      }
      metrics {
        name
        series {
          runId
          downsampled
          points {
            ...MetricPointFields
          }
        }
      }
      hyperparameters {
        key
        differs
        values
      }
      perClass {
        label
        metrics {
          ...RunClassMetricsFields
        }
        deltas {
          ...RunClassMetricsFields
        }
      }
      topK {
        runId
        evaluationId
        topK {
          k
          accuracy
        }
      }
    }
  }
`);

/** Result of {@link COMPARE_QUERY}. */
export type CompareData = CompareQuery;
/** The comparison of {@link COMPARE_QUERY}. */
export type Comparison = CompareData['compareRuns'];
/** One compared run. */
export type ComparedRun = Comparison['runs'][number];
/** Precision / recall / F1 of one class in one run (or its delta to the first run). */
export type ClassMetrics = RunClassMetricsFieldsFragment;

/** Ids of the newest runs matching a query-language filter (to add them to a comparison). */
export const RUN_IDS_QUERY = graphql(`
  query RunIds($filter: RunFilter, $first: Int, $orderBy: RunOrder!) {
    runs(filter: $filter, first: $first, orderBy: $orderBy) {
      nodes {
        id
      }
    }
  }
`);

/** Run ids of `?runs=a,b,c`: trimmed, de-duplicated, in order. */
export function parseCompareIds(value: string | string[] | undefined): string[] {
  const raw = Array.isArray(value) ? value.join(',') : (value ?? '');
  return [
    ...new Set(
      raw
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean),
    ),
  ];
}

/** Options of {@link compareHref}. */
export interface CompareHrefOptions {
  /** The baseline run; kept in the URL (`&baseline=`) only when it is one of `ids` and not the first. */
  baseline?: string | null;
}

/** The compare URL of a selection (and of its baseline when that is not the first run). */
export function compareHref(ids: readonly string[], options: CompareHrefOptions = {}): string {
  if (ids.length === 0) return '/compare';
  const runs = `/compare?runs=${ids.map(encodeURIComponent).join(',')}`;
  const { baseline } = options;
  return baseline && baseline !== ids[0] && ids.includes(baseline)
    ? `${runs}&baseline=${encodeURIComponent(baseline)}`
    : runs;
}

/**
 * The run every other run is diffed against: `requested` (from `?baseline=`) when it names one of
 * the runs, else the first run; null without runs.
 */
export function resolveBaseline(
  runs: readonly { id: string }[],
  requested: string | null | undefined,
): string | null {
  if (requested && runs.some((r) => r.id === requested)) return requested;
  return runs[0]?.id ?? null;
}

/** Digits a recomputed delta keeps: drops float noise (0.7 − 0.9 = −0.20000000000000007). */
const DELTA_DIGITS = 12;

/** `a − b`, null when either is missing, rounded to {@link DELTA_DIGITS} decimals. */
function delta(a: number | null | undefined, b: number | null | undefined): number | null {
  if (a === null || a === undefined || b === null || b === undefined) return null;
  if (!Number.isFinite(a) || !Number.isFinite(b)) return null;
  return Number((a - b).toFixed(DELTA_DIGITS));
}

/**
 * Per-class metrics with every run's deltas recomputed against `baselineId` (the API measures
 * them against the first run): precision, recall and F1 of each run minus the baseline's, null
 * where either is missing. The baseline's own deltas are 0 (or null where it has no value).
 * An id that is not among the runs gives null deltas everywhere.
 */
export function perClassAgainst(
  perClass: Comparison['perClass'],
  baselineId: string,
): Comparison['perClass'] {
  return perClass.map((c) => {
    const base = c.metrics.find((m) => m.runId === baselineId);
    return {
      ...c,
      deltas: c.metrics.map((m) => ({
        runId: m.runId,
        precision: delta(m.precision, base?.precision),
        recall: delta(m.recall, base?.recall),
        f1: delta(m.f1, base?.f1),
      })),
    };
  });
}

/** A JSON value in a canonical text (object keys sorted) to compare values for equality. */
function canonical(value: unknown): string {
  if (value === undefined) return 'null';
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) =>
    a < b ? -1 : a > b ? 1 : 0,
  );
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`;
}

/**
 * For one hyperparameter's values (one per run, in run order): whether each run's value differs
 * from the baseline's (index `baselineIndex`). Missing (null/undefined) equals missing; the
 * baseline's own entry is false. An out-of-range index compares against a missing value.
 */
export function differsFromBaseline(values: readonly unknown[], baselineIndex: number): boolean[] {
  const base = canonical(values[baselineIndex]);
  return values.map((v, i) => i !== baselineIndex && canonical(v) !== base);
}

/** Hyperparameter keys read as the batch size, most specific first (TF.js runs, then Python ones). */
const BATCH_SIZE_KEYS = ['batchSize', 'batch_size'] as const;

/**
 * The batch size in a run's hyperparameters: `batchSize` or `batch_size` at the top level, else
 * the first dotted/nested key ending in one of them (`training.batchSize`); a positive finite
 * number, or null when there is none.
 */
export function batchSizeOf(hyperparameters: unknown): number | null {
  const usable = (v: unknown): number | null =>
    typeof v === 'number' && Number.isFinite(v) && v > 0 ? v : null;
  if (!isJsonObject(hyperparameters)) return null;
  for (const key of BATCH_SIZE_KEYS) {
    const v = usable(hyperparameters[key]);
    if (v !== null) return v;
  }
  for (const [key, value] of Object.entries(hyperparameters)) {
    const last = key.split('.').at(-1) ?? key;
    if ((BATCH_SIZE_KEYS as readonly string[]).includes(last) && usable(value) !== null)
      return usable(value);
    const nested = isJsonObject(value) ? batchSizeOf(value) : null;
    if (nested !== null) return nested;
  }
  return null;
}

/** The x axis of compared batch-level curves (`batch_loss`): what it counts and its title. */
export interface BatchAxis {
  /** `samples`: step × batch size per run (comparable across batch sizes); `step`: raw batches. */
  unit: 'samples' | 'step';
  /** Axis title. */
  label: string;
}

/**
 * Puts batch-level series (`batch_*`, logged at the global batch step) on a common x: samples
 * seen = step × the run's batch size, when every run with points has a batch size; otherwise
 * the raw step, titled so that it says batches of different sizes are not comparable. Points
 * keep their values; only `step` (the x) changes.
 */
export function batchSeriesOnCommonX<
  P extends { step: number },
  S extends { runId: string; points: readonly P[] },
>(
  series: S[],
  runs: readonly Pick<ComparedRun, 'id' | 'hyperparameters'>[],
): { series: S[]; axis: BatchAxis } {
  const sizeOf = new Map(runs.map((r) => [r.id, batchSizeOf(r.hyperparameters)]));
  const plotted = series.filter((s) => s.points.length > 0);
  const allKnown =
    plotted.length > 0 && plotted.every((s) => (sizeOf.get(s.runId) ?? null) !== null);
  if (!allKnown)
    return {
      series,
      axis: {
        unit: 'step',
        label:
          plotted.length > 1 ? 'batch (batch sizes unknown: not comparable across runs)' : 'batch',
      },
    };
  return {
    series: series.map((s) => {
      const size = sizeOf.get(s.runId) ?? 1;
      return { ...s, points: s.points.map((p) => ({ ...p, step: p.step * size })) };
    }),
    axis: { unit: 'samples', label: 'samples seen (step × batch size)' },
  };
}

/**
 * Whether a per-class delta is an improvement: precision, recall and F1 are all higher-is-better.
 * Returns 'better' / 'worse' / 'same' (|delta| below half a unit of the shown precision).
 */
export function deltaTone(
  delta: number | null,
  epsilon = 0.0005,
): 'better' | 'worse' | 'same' | null {
  if (delta === null || !Number.isFinite(delta)) return null;
  if (Math.abs(delta) < epsilon) return 'same';
  return delta > 0 ? 'better' : 'worse';
}

/** Signed delta text: "+0.050", "−0.013", "±0.000". */
export function formatDelta(delta: number, digits = 3): string {
  const text = Math.abs(delta).toFixed(digits);
  if (Number(text) === 0) return `±${text}`;
  return `${delta > 0 ? '+' : '−'}${text}`;
}

/** Metric choices of the parallel-coordinates plot: best.<m> and final.<m> of every metric of any run. */
export function metricChoices(runs: readonly ComparedRun[]): string[] {
  const names = [...new Set(runs.flatMap((r) => r.summary.map((s) => s.name)))].sort();
  return [...names.map((n) => `best.${n}`), ...names.map((n) => `final.${n}`)];
}

/** Value of a `best.<m>` / `final.<m>` choice for a run (null when missing). */
export function metricValue(
  run: ComparedRun,
  choice: string,
  best: (summary: MetricSummary[], name: string) => number | null,
): number | null {
  const dot = choice.indexOf('.');
  const kind = choice.slice(0, dot);
  const name = choice.slice(dot + 1);
  if (kind === 'best') return best(run.summary, name);
  const s = run.summary.find((m) => m.name === name);
  return s && Number.isFinite(s.last) ? s.last : null;
}
