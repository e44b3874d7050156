// Thin GraphQL layer for metrics: the logMetrics mutation and the Run fields that read
// series (batched per request through DataLoaders, then downsampled).
import { Arg, Ctx, FieldResolver, ID, Int, Mutation, Resolver, Root } from 'type-graphql';
import type { ApiContext } from '../common/context';
import { pointsBudget } from '../common/request-limits';
import { Run } from '../run/run.type';
import type { RunModel } from '../run/run.model';
import { MetricPointInput } from './metric.input';
import { LogMetricsResult, MetricPoint, MetricSeries, MetricSummary } from './metric.type';
import {
  resolveMaxPoints,
  resolveMetricName,
  resolveMetricNames,
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

/** Metric mutation and Run metric fields. */
@Resolver(() => Run)
export class MetricResolver {
  @Mutation(() => LogMetricsResult, {
    description:
      'Idempotent: re-sending a point with the same (name, step, value) is counted as a duplicate and ignored. ' +
      'The same (name, step) with a different value fails with code STEP_CONFLICT and stores nothing from the batch. ' +
      'NaN/Infinity (or null) fail with INVALID_METRIC_VALUE. At most 200,000 points and 500 different names per batch; ' +
      'a COMPLETED or FAILED run takes no new points (INVALID_STATE).',
  })
  async logMetrics(
    @Arg('runId', () => ID) runId: string,
    @Arg('points', () => [MetricPointInput]) points: MetricPointInput[],
    @Ctx() ctx: ApiContext,
  ): Promise<LogMetricsResult> {
    await ctx.guard.requireRun(runId, 'editor');
    return ctx.services.metric.log(runId, points);
  }

  @FieldResolver(() => [String])
  metricNames(@Root() run: RunModel, @Ctx() ctx: ApiContext): Promise<string[]> {
    return ctx.loaders.metricNamesByRunId.load(run.id);
  }

  @FieldResolver(() => [MetricPoint], {
    description: 'Points of one metric, ordered by step; maxPoints defaults to 1000.',
  })
  async metric(
    @Root() run: RunModel,
    @Arg('name', () => String) name: string,
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

  @FieldResolver(() => [MetricSeries])
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
      return toSeries(name, loaded);
    });
  }

  @FieldResolver(() => [MetricSummary])
  summary(@Root() run: RunModel, @Ctx() ctx: ApiContext): Promise<MetricSummary[]> {
    return ctx.loaders.summaryByRunId.load(run.id);
  }
}
