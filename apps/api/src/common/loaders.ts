// Per-request DataLoaders: every field resolver that needs related rows goes through one of
// these, so a page of N runs costs a constant number of queries instead of N.
import DataLoader from 'dataloader';
import type { ArtifactModel } from '../artifact/artifact.service';
import type { EvaluationReport } from '../evaluation/evaluation-report';
import {
  parseReport,
  toEvaluationModel,
  type EvaluationModel,
} from '../evaluation/evaluation.service';
import type { MetricPointRow, MetricSummaryRow } from '../metric/metric.repository';
import type { ProjectRow } from '../project/project.repository';
import type { SamplePageKey, UncertaintySampleRow } from '../uncertainty/uncertainty.repository';
import { toUncertaintyModel, type UncertaintyModel } from '../uncertainty/uncertainty.service';
import type { Repositories, Services } from './context';

/** Key of one (downsampled) metric series. */
export interface SeriesKey {
  runId: string;
  name: string;
  maxPoints: number;
}

/** A downsampled series and the length of the full one. */
export interface LoadedSeries {
  total: number;
  points: MetricPointRow[];
}

/** The loaders of one request. */
export interface Loaders {
  projectById: DataLoader<string, ProjectRow>;
  runCountByProjectId: DataLoader<string, number>;
  metricNamesByRunId: DataLoader<string, string[]>;
  seriesByKey: DataLoader<SeriesKey, LoadedSeries, string>;
  summaryByRunId: DataLoader<string, MetricSummaryRow[]>;
  artifactsByRunId: DataLoader<string, ArtifactModel[]>;
  /** Evaluations of a run (scalar columns only), newest first. */
  evaluationsByRunId: DataLoader<string, EvaluationModel[]>;
  /** The stored report of an evaluation (null if missing or unreadable). */
  evaluationReportById: DataLoader<string, EvaluationReport | null>;
  /** Uncertainty evaluations of a run, newest first. */
  uncertaintiesByRunId: DataLoader<string, UncertaintyModel[]>;
  /** One page of an uncertainty evaluation's samples (one more row than the page). */
  uncertaintySamplePage: DataLoader<SamplePageKey, UncertaintySampleRow[], string>;
}

function groupBy<T, K>(items: readonly T[], key: (t: T) => K): Map<K, T[]> {
  const map = new Map<K, T[]>();
  for (const item of items) {
    const k = key(item);
    const list = map.get(k);
    if (list) list.push(item);
    else map.set(k, [item]);
  }
  return map;
}

function samplePageKey(k: SamplePageKey): string {
  return JSON.stringify([k.uncertaintyId, k.order, k.direction, k.key, k.take]);
}

/** Creates fresh loaders (call once per request: their cache must not outlive it). */
export function createLoaders(repos: Repositories, services: Services): Loaders {
  return {
    projectById: new DataLoader(async (ids) => {
      const rows = new Map((await repos.project.findByIds(ids)).map((p) => [p.id, p]));
      return ids.map((id) => rows.get(id) ?? new Error(`Project not found: ${id}`));
    }),
    runCountByProjectId: new DataLoader(async (ids) => {
      const counts = await repos.project.countRuns(ids);
      return ids.map((id) => counts.get(id) ?? 0);
    }),
    metricNamesByRunId: new DataLoader(async (runIds) => {
      const byRun = groupBy(await repos.metric.names(runIds), (r) => r.runId);
      return runIds.map((id) => (byRun.get(id) ?? []).map((r) => r.name));
    }),
    seriesByKey: new DataLoader(
      async (keys) => {
        // One query per distinct maxPoints in the batch (normally exactly one).
        const found = new Map<string, LoadedSeries>();
        for (const [maxPoints, group] of groupBy(keys, (k) => k.maxPoints)) {
          for (const [key, series] of await repos.metric.series(group, maxPoints))
            found.set(`${key}\u0000${maxPoints}`, series);
        }
        return keys.map(
          (k) =>
            found.get(`${k.runId}\u0000${k.name}\u0000${k.maxPoints}`) ?? { total: 0, points: [] },
        );
      },
      { cacheKeyFn: (k) => `${k.runId}\u0000${k.name}\u0000${k.maxPoints}` },
    ),
    summaryByRunId: new DataLoader(async (runIds) => {
      const byRun = groupBy(await repos.metric.summaries(runIds), (r) => r.runId);
      return runIds.map((id) => byRun.get(id) ?? []);
    }),
    artifactsByRunId: new DataLoader(async (runIds) => {
      const byRun = groupBy(await repos.artifact.findByRunIds(runIds), (r) => r.runId);
      return runIds.map((id) => (byRun.get(id) ?? []).map((row) => services.artifact.toModel(row)));
    }),
    evaluationsByRunId: new DataLoader(async (runIds) => {
      // Rows come newest first; grouping keeps that order.
      const byRun = groupBy(await repos.evaluation.findByRunIds(runIds), (r) => r.runId);
      return runIds.map((id) => (byRun.get(id) ?? []).map(toEvaluationModel));
    }),
    evaluationReportById: new DataLoader(async (ids) => {
      const reports = await repos.evaluation.reports(ids);
      return ids.map((id) => parseReport(reports.get(id)));
    }),
    uncertaintiesByRunId: new DataLoader(async (runIds) => {
      // Rows come newest first; grouping keeps that order.
      const byRun = groupBy(await repos.uncertainty.findByRunIds(runIds), (r) => r.runId);
      return runIds.map((id) => (byRun.get(id) ?? []).map(toUncertaintyModel));
    }),
    uncertaintySamplePage: new DataLoader(
      async (keys) => {
        // One query per distinct page request (order, direction, cursor, size): normally one
        // for a whole runs page.
        const found = new Map<string, UncertaintySampleRow[]>();
        const requestOf = ({ uncertaintyId: _id, ...page }: SamplePageKey) => page;
        for (const [, group] of groupBy(keys, (k) => JSON.stringify(requestOf(k)))) {
          // groupBy makes no empty groups.
          const page = requestOf(group[0] as SamplePageKey);
          const ids = [...new Set(group.map((k) => k.uncertaintyId))];
          for (const [id, rows] of await repos.uncertainty.pages(ids, page))
            found.set(samplePageKey({ uncertaintyId: id, ...page }), rows);
        }
        return keys.map((k) => found.get(samplePageKey(k)) ?? []);
      },
      { cacheKeyFn: samplePageKey },
    ),
  };
}
