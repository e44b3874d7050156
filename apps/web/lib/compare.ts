import { graphql } from './gql';
import type { CompareQuery, RunClassMetricsFieldsFragment } from './gql/graphql';
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
