// compareRuns: metrics aligned by name, hyperparameter diff, per-class metrics of the latest
// evaluations with deltas against the first run, and top-k. Decorator-free (see schema-loader.ts).
import { apiError, badInput, ErrorCode } from '../common/errors';
import { limits, LIMITS } from '../common/limits';
import type { EvaluationReport } from '../evaluation/evaluation-report';
import { parseReport } from '../evaluation/evaluation.service';
import type { EvaluationRepository } from '../evaluation/evaluation.repository';
import {
  metricSeriesId,
  type MetricPointRow,
  type MetricRepository,
} from '../metric/metric.repository';
import { resolveMaxPoints } from '../metric/metric.service';
import { toRunModel, type RunModel } from '../run/run.model';
import type { RunRepository } from '../run/run.repository';

/** Most runs one comparison takes. */
export const MAX_COMPARED_RUNS = LIMITS.comparedRuns;

/** BAD_USER_INPUT unless `ids` names 1 to {@link MAX_COMPARED_RUNS} runs by well-formed ids. */
export function checkCompareIds(ids: readonly string[]): void {
  if (ids.length === 0) throw badInput('ids must name at least one run', { field: 'ids' });
  if (ids.length > MAX_COMPARED_RUNS)
    throw badInput(`At most ${MAX_COMPARED_RUNS} runs can be compared, got ${ids.length}`, {
      field: 'ids',
      limit: MAX_COMPARED_RUNS,
      found: ids.length,
    });
  limits.ids(ids, 'ids', MAX_COMPARED_RUNS);
}

/** Per-class numbers of one run (null when missing). */
export interface RunClassMetricsModel {
  runId: string;
  precision: number | null;
  recall: number | null;
  f1: number | null;
  auc: number | null;
}

/** Shape of RunComparison. */
export interface RunComparisonModel {
  runs: RunModel[];
  metrics: {
    name: string;
    series: {
      id: string;
      runId: string;
      totalPoints: number;
      downsampled: boolean;
      points: MetricPointRow[];
    }[];
  }[];
  hyperparameters: { key: string; values: unknown[]; differs: boolean }[];
  perClass: { label: string; metrics: RunClassMetricsModel[]; deltas: RunClassMetricsModel[] }[];
  topK: { runId: string; evaluationId: string | null; topK: { k: number; accuracy: number }[] }[];
}

/** Canonical JSON (sorted object keys) so equal values compare equal whatever their key order. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object') {
    return `{${Object.keys(value)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical((value as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(value) ?? 'undefined';
}

const FIELDS = ['precision', 'recall', 'f1', 'auc'] as const;

type SeriesMap = Map<string, { total: number; points: MetricPointRow[] }>;

/** BAD_USER_INPUT naming the ids given more than once. */
function rejectDuplicates(ids: readonly string[]): void {
  const duplicates = [...new Set(ids.filter((id, i) => ids.indexOf(id) !== i))];
  if (duplicates.length)
    throw badInput(`Duplicate run ids: ${duplicates.join(', ')}`, {
      field: 'ids',
      ids: duplicates,
    });
}

/** Every metric name any run has, each with one series per run (in `ids` order). */
function alignMetrics(
  ids: readonly string[],
  metricNames: readonly string[],
  series: SeriesMap,
): RunComparisonModel['metrics'] {
  return metricNames.map((name) => ({
    name,
    series: ids.map((runId) => {
      const s = series.get(`${runId}\u0000${name}`) ?? { total: 0, points: [] };
      return {
        id: metricSeriesId(runId, name),
        runId,
        totalPoints: s.total,
        downsampled: s.points.length < s.total,
        points: s.points,
      };
    }),
  }));
}

/** Sorted union of hyperparameter keys; a key differs when any two runs' values (or presence) do. */
function diffHyperparameters(runs: readonly RunModel[]): RunComparisonModel['hyperparameters'] {
  const keys = [...new Set(runs.flatMap((r) => Object.keys(r.hyperparameters)))].sort();
  return keys.map((key) => {
    const values = runs.map((r) =>
      Object.prototype.hasOwnProperty.call(r.hyperparameters, key)
        ? (r.hyperparameters[key] ?? null)
        : null,
    );
    const present = runs.map((r) => Object.prototype.hasOwnProperty.call(r.hyperparameters, key));
    const sig = values.map((v, i) => (present[i] ? canonical(v) : '\u0000missing'));
    return { key, values, differs: new Set(sig).size > 1 };
  });
}

/** One run's per-class numbers for `label` (nulls when its report lacks them). */
function classMetrics(
  runId: string,
  report: EvaluationReport | null | undefined,
  label: string,
): RunClassMetricsModel {
  const pc = report?.perClass.find((p) => p.label === label);
  return {
    runId,
    precision: pc?.precision ?? null,
    recall: pc?.recall ?? null,
    f1: pc?.f1 ?? null,
    auc: pc?.auc ?? null,
  };
}

/** `v - base` field by field; null where either side is missing. */
function classDelta(
  v: RunClassMetricsModel,
  base: RunClassMetricsModel | undefined,
): RunClassMetricsModel {
  const d: RunClassMetricsModel = {
    runId: v.runId,
    precision: null,
    recall: null,
    f1: null,
    auc: null,
  };
  for (const f of FIELDS) {
    const a = v[f];
    const b = base?.[f] ?? null;
    d[f] = a === null || b === null ? null : a - b;
  }
  return d;
}

/** Per-class metrics of each run's report, labels in first-seen order, deltas against the first run. */
function comparePerClass(
  ids: readonly string[],
  reports: ReadonlyMap<string, EvaluationReport | null>,
): RunComparisonModel['perClass'] {
  const labels: string[] = [];
  for (const runId of ids)
    for (const pc of reports.get(runId)?.perClass ?? [])
      if (!labels.includes(pc.label)) labels.push(pc.label);
  return labels.map((label) => {
    const values = ids.map((runId) => classMetrics(runId, reports.get(runId), label));
    const base = values[0];
    const deltas = values.map((v) => classDelta(v, base));
    return { label, metrics: values, deltas };
  });
}

/** The comparison use case. */
export class CompareService {
  constructor(
    private readonly runs: RunRepository,
    private readonly metrics: MetricRepository,
    private readonly evaluations: EvaluationRepository,
  ) {}

  /**
   * Compares runs given by id (order kept). BAD_USER_INPUT on duplicates, NOT_FOUND naming
   * unknown ids; `budget` is charged the points of each (run, metric) series (its stored length,
   * at most maxPoints) before they are loaded.
   */
  async compare(
    ids: readonly string[],
    maxPoints?: number | null,
    budget?: { charge(field: string, maxPoints: number, lengths: readonly number[]): void },
  ): Promise<RunComparisonModel> {
    checkCompareIds(ids);
    rejectDuplicates(ids);
    const max = resolveMaxPoints(maxPoints);
    const runs = await this.loadRuns(ids);

    const [names, evaluations] = await Promise.all([
      // Summaries: the names and each series' length (for the budget).
      this.metrics.summaries(ids),
      this.evaluations.findByRunIds(ids),
    ]);
    const metricNames = [...new Set(names.map((n) => n.name))].sort();
    budget?.charge(
      'compareRuns',
      max,
      names.map((n) => n.count),
    );
    const series: SeriesMap = names.length
      ? await this.metrics.series(names, max)
      : new Map<string, { total: number; points: MetricPointRow[] }>();
    const metrics = alignMetrics(ids, metricNames, series);
    const hyperparameters = diffHyperparameters(runs);

    // Latest evaluation per run (rows come newest first).
    const latest = new Map<string, string>();
    for (const ev of evaluations) if (!latest.has(ev.runId)) latest.set(ev.runId, ev.id);
    const reports = await this.latestReports(latest);
    const perClass = comparePerClass(ids, reports);

    const topK = ids.map((runId) => ({
      runId,
      evaluationId: latest.get(runId) ?? null,
      topK: reports.get(runId)?.topK ?? [],
    }));
    return { runs, metrics, hyperparameters, perClass, topK };
  }

  /** The runs in `ids` order; NOT_FOUND naming every unknown id. */
  private async loadRuns(ids: readonly string[]): Promise<RunModel[]> {
    const rows = new Map((await this.runs.findByIds(ids)).map((r) => [r.id, r]));
    const missing = ids.filter((id) => !rows.has(id));
    if (missing.length) {
      throw apiError(ErrorCode.NOT_FOUND, `Run not found: ${missing.join(', ')}`, {
        entity: 'Run',
        id: missing[0],
        ids: missing,
      });
    }
    return ids.map((id) => toRunModel(rows.get(id)!));
  }

  /** Parsed reports of the given evaluations, keyed by run id (null when unparseable). */
  private async latestReports(
    latest: ReadonlyMap<string, string>,
  ): Promise<Map<string, EvaluationReport | null>> {
    const texts = latest.size
      ? await this.evaluations.reports([...latest.values()])
      : new Map<string, string>();
    const reports = new Map<string, EvaluationReport | null>();
    for (const [runId, evId] of latest) reports.set(runId, parseReport(texts.get(evId)));
    return reports;
  }
}
