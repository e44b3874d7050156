// Thin GraphQL layer for metrics: the logMetrics mutation and the Run fields that read
// series (batched per request through DataLoaders, then downsampled).
import { Arg, Args, Ctx, FieldResolver, ID, Int, Mutation, Resolver, Root } from 'type-graphql';
import { ConnectionArgs, type ConnectionPage } from '../common/connection';
import type { ApiContext } from '../common/context';
import { LIMITS } from '../common/limits';
import { pointsBudget } from '../common/request-limits';
import { Run } from '../run/run.type';
import type { RunModel } from '../run/run.model';
import { MetricPointInput, MetricSeriesInput } from './metric.input';
import {
  LogMetricsResult,
  MetricPoint,
  MetricPointConnection,
  MetricSeries,
  MetricSummary,
} from './metric.type';
import {
  DEFAULT_POINTS_PAGE,
  MAX_POINTS_PAGE,
  metricPointsRequest,
  resolveMaxPoints,
  resolveMetricName,
  resolveMetricNames,
  seriesPoints,
  toSeries,
  type MetricSeriesModel,
} from './metric.service';
import type { MetricPointRow } from './metric.repository';

const MAX_POINTS_DESCRIPTION =
  "Most points returned per series (default 1000, at most METRIC_MAX_POINTS, 100,000); each series costs the points it returns (its stored length, at most maxPoints) of the request's metric points budget (METRIC_POINTS_BUDGET, 500,000).";

/** Stored length of each named series (0 for a name the run lacks). */
function storedLengths(
  summaries: readonly { name: string; count: number }[],
  names: readonly string[],
): number[] {
  const count = new Map(summaries.map((s) => [s.name, s.count]));
  return names.map((name) => count.get(name) ?? 0);
}

/** The per-run bound of Run.metricNames, Run.summary and Run.metrics, for descriptions. */
const METRIC_NAMES_PER_RUN = LIMITS.metricNamesPerRun.toLocaleString('en-US');

/**
 * The project of a run the caller may edit (the permission check of a metric write, fresh on
 * every request): the run's project read cheaply (a prepared statement on SQLite's connection
 * or a connection of the PostgreSQL pool), then the guard's usual role check; an unknown run, or
 * no cheap read, goes through requireRun for its usual answer.
 */
async function editableRunProject(runId: string, ctx: ApiContext): Promise<string> {
  const known = await ctx.services.metric.projectOfRun(runId);
  if (typeof known !== 'string') return ctx.guard.requireRun(runId, 'editor');
  await ctx.guard.requireProject(known, 'editor', 'Run', runId);
  return known;
}

/** Metric mutations and Run metric fields. */
@Resolver(() => Run)
export class MetricResolver {
  @Mutation(() => LogMetricsResult, {
    description:
      'Idempotent: re-sending a point with the same (name, step, value) is counted as a duplicate and ignored. ' +
      'The same (name, step) with a different value fails with code STEP_CONFLICT and stores nothing from the batch. ' +
      'NaN/Infinity (or null) fail with INVALID_METRIC_VALUE. At most 200,000 points and 500 different names per batch; ' +
      `a COMPLETED or FAILED run takes no new points (INVALID_STATE). A run holds at most ${METRIC_NAMES_PER_RUN} ` +
      'different metric names: a batch that would add more fails with BAD_USER_INPUT (field metricNames, limit) and ' +
      'stores nothing (points of names the run already has are always taken).',
  })
  async logMetrics(
    @Arg('runId', () => ID, {
      description:
        'The run (editor role); an id naming no run the caller may read fails with NOT_FOUND naming it.',
    })
    runId: string,
    @Arg('points', () => [MetricPointInput], { description: 'The points, in any order.' })
    points: MetricPointInput[],
    @Ctx() ctx: ApiContext,
    @Arg('attempt', () => Int, {
      nullable: true,
      description:
        "A queue worker's job attempt (claimJob's attempt) for the run it trains: unless the run's job is ACTIVE in that attempt, " +
        'the batch fails with INVALID_STATE, reason LEASE_LOST (the lease was lost and the job retried elsewhere: stop), and stores nothing. ' +
        'Omitted by scripts that created their run themselves.',
    })
    attempt?: number | null,
  ): Promise<LogMetricsResult> {
    const projectId = await editableRunProject(runId, ctx);
    return ctx.services.metric.log(runId, points, projectId, attempt);
  }

  @Mutation(() => LogMetricsResult, {
    description:
      'The points of logMetrics sent as columns, one MetricSeriesInput per metric (what the libs/ml RunTracker sends): ' +
      'the same points, answers, errors and limits (at most 200,000 points and 500 different names per batch; a series whose ' +
      'lists differ in length fails with BAD_USER_INPUT), for a fraction of the parsing of one object per point.',
  })
  async logMetricSeries(
    @Arg('runId', () => ID, {
      description:
        'The run (editor role); an id naming no run the caller may read fails with NOT_FOUND naming it.',
    })
    runId: string,
    @Arg('series', () => [MetricSeriesInput], {
      description: 'The points, one entry per metric (a name may appear in several).',
    })
    series: MetricSeriesInput[],
    @Ctx() ctx: ApiContext,
    @Arg('attempt', () => Int, {
      nullable: true,
      description:
        "A queue worker's job attempt, as for logMetrics: unless the run's job is ACTIVE in that attempt the batch fails with " +
        'INVALID_STATE, reason LEASE_LOST, and stores nothing.',
    })
    attempt?: number | null,
  ): Promise<LogMetricsResult> {
    const projectId = await editableRunProject(runId, ctx);
    return ctx.services.metric.log(runId, seriesPoints(series), projectId, attempt);
  }

  @FieldResolver(() => [String], {
    description: `Names of the metrics the run has, sorted. Bounded, not paged: a run holds at most ${METRIC_NAMES_PER_RUN} metric names (logMetrics refuses more).`,
  })
  metricNames(@Root() run: RunModel, @Ctx() ctx: ApiContext): Promise<string[]> {
    return ctx.loaders.metricNamesByRunId.load(run.id);
  }

  @FieldResolver(() => [MetricPoint], {
    description:
      'Points of one metric, ordered by step, downsampled to at most maxPoints (default 1000); empty when the run lacks the metric. ' +
      'Run.metricPoints pages through every point.',
  })
  async metric(
    @Root() run: RunModel,
    @Arg('name', () => String, { description: 'The metric name (1-200 characters).' })
    name: string,
    @Arg('maxPoints', () => Int, { nullable: true, description: MAX_POINTS_DESCRIPTION })
    maxPoints: number | null | undefined,
    @Ctx() ctx: ApiContext,
  ): Promise<MetricPointRow[]> {
    const max = resolveMaxPoints(maxPoints);
    const metric = resolveMetricName(name);
    const stored = await ctx.loaders.summaryByRunId.load(run.id);
    pointsBudget(ctx).charge('Run.metric', max, storedLengths(stored, [metric]));
    return (await ctx.loaders.seriesByKey.load({ runId: run.id, name: metric, maxPoints: max }))
      .points;
  }

  @FieldResolver(() => MetricPointConnection, {
    description:
      `Every point of one metric by step, as a Relay connection (keyset cursors on the step; only the page is read, nothing downsampled). ` +
      `first/last: 0-${MAX_POINTS_PAGE.toLocaleString('en-US')}, default ${DEFAULT_POINTS_PAGE}; each page costs its size (at most the stored length) ` +
      "of the request's metric points budget (METRIC_POINTS_BUDGET, 500,000). Empty when the run lacks the metric.",
  })
  async metricPoints(
    @Root() run: RunModel,
    @Arg('name', () => String, { description: 'The metric name (1-200 characters).' })
    name: string,
    @Args(() => ConnectionArgs) page: ConnectionArgs,
    @Ctx() ctx: ApiContext,
  ): Promise<ConnectionPage<MetricPointRow> & { totalCount: number }> {
    const metric = resolveMetricName(name);
    const request = metricPointsRequest(page);
    const [total = 0] = storedLengths(await ctx.loaders.summaryByRunId.load(run.id), [metric]);
    // Charged before loading, like Run.metric: the page costs what it can return.
    pointsBudget(ctx).charge('Run.metricPoints', request.size, [total]);
    return ctx.services.metric.pointsPage(run.id, metric, request, total);
  }

  @FieldResolver(() => [MetricSeries], {
    description:
      'Series of several metrics, each downsampled to at most maxPoints. Bounded, not paged: at most 200 names, or ' +
      `without names every metric of the run (at most ${METRIC_NAMES_PER_RUN}: logMetrics refuses more).`,
  })
  async metrics(
    @Root() run: RunModel,
    @Arg('names', () => [String], {
      nullable: true,
      description: 'At most 200 metric names (default: every metric of the run).',
    })
    names: string[] | null | undefined,
    @Arg('maxPoints', () => Int, { nullable: true, description: MAX_POINTS_DESCRIPTION })
    maxPoints: number | null | undefined,
    @Ctx() ctx: ApiContext,
  ): Promise<MetricSeriesModel[]> {
    const max = resolveMaxPoints(maxPoints);
    const requested = names ? resolveMetricNames(names) : null;
    // The summaries (one batched query per request) give the names and each series' length.
    const stored = await ctx.loaders.summaryByRunId.load(run.id);
    const wanted = requested ?? stored.map((s) => s.name);
    // Charged before loading: an over-budget request loads nothing more.
    pointsBudget(ctx).charge('Run.metrics', max, storedLengths(stored, wanted));
    const series = await ctx.loaders.seriesByKey.loadMany(
      wanted.map((name) => ({ runId: run.id, name, maxPoints: max })),
    );
    return wanted.map((name, i) => {
      const loaded = series[i];
      if (loaded instanceof Error) throw loaded;
      if (!loaded) throw new Error(`no series loaded for metric ${name}`);
      return toSeries(run.id, name, loaded);
    });
  }

  @FieldResolver(() => [MetricSummary], {
    description: `Count, min, max and last value of every metric of the run, by name. Bounded, not paged: one per metric name, at most ${METRIC_NAMES_PER_RUN} (logMetrics refuses more).`,
  })
  summary(@Root() run: RunModel, @Ctx() ctx: ApiContext): Promise<MetricSummary[]> {
    return ctx.loaders.summaryByRunId.load(run.id);
  }
}
