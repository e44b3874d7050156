import type { Json, MetricPoint, MetricSummary, RunStatus } from './types';

/** Side-by-side comparison of runs (any projects), everything in the order of the ids. */
export const COMPARE_QUERY = /* GraphQL */ `
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
          name
          last
          lastStep
          min
          max
          count
        }
      }
      metrics {
        name
        series {
          runId
          downsampled
          points {
            step
            value
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
          runId
          precision
          recall
          f1
        }
        deltas {
          runId
          precision
          recall
          f1
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
`;

export interface ComparedRun {
  id: string;
  name: string;
  status: RunStatus;
  project: { name: string };
  hyperparameters: Json;
  summary: MetricSummary[];
}

export interface ClassMetrics {
  runId: string;
  precision: number | null;
  recall: number | null;
  f1: number | null;
}

export interface Comparison {
  runs: ComparedRun[];
  metrics: {
    name: string;
    series: { runId: string; downsampled: boolean; points: MetricPoint[] }[];
  }[];
  hyperparameters: { key: string; differs: boolean; values: Json[] }[];
  perClass: { label: string; metrics: ClassMetrics[]; deltas: ClassMetrics[] }[];
  topK: { runId: string; evaluationId: string | null; topK: { k: number; accuracy: number }[] }[];
}

export interface CompareData {
  compareRuns: Comparison;
}

/** Ids of the runs matching a query-language filter (to add them to a comparison). */
export const RUN_IDS_QUERY = /* GraphQL */ `
  query RunIds($filter: RunFilter, $first: Int) {
    runs(filter: $filter, first: $first, orderBy: { field: CREATED_AT, direction: DESC }) {
      nodes {
        id
      }
    }
  }
`;

export interface RunIdsData {
  runs: { nodes: { id: string }[] };
}

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

/** The compare URL of a selection. */
export function compareHref(ids: readonly string[]): string {
  return ids.length > 0 ? `/compare?runs=${ids.map(encodeURIComponent).join(',')}` : '/compare';
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
