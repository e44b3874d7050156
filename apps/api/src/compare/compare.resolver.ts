// Thin GraphQL layer for compareRuns (delegates to CompareService).
import { Arg, Ctx, ID, Int, Query, Resolver } from 'type-graphql';
import type { ApiContext } from '../common/context';
import { pointsBudget } from '../common/request-limits';
import { RunComparison } from './compare.type';
import { checkCompareIds, type RunComparisonModel } from './compare.service';

/** compareRuns. */
@Resolver(() => RunComparison)
export class CompareResolver {
  @Query(() => RunComparison, {
    description:
      'Compares runs of any projects side by side, in the order of the ids: metrics aligned by name (downsampled like Run.metrics), ' +
      'hyperparameters with a differs flag, per-class metrics of each latest evaluation with deltas against the first run, and top-k. ' +
      'Ids naming no run the caller may read (unknown, or in a project the caller cannot read): NOT_FOUND naming them; ' +
      'duplicate ids or more than 50: BAD_USER_INPUT.',
  })
  async compareRuns(
    @Arg('ids', () => [ID], {
      description: 'The runs to compare (1-50, no duplicates), in display order.',
    })
    ids: string[],
    @Arg('maxPoints', () => Int, {
      nullable: true,
      description:
        "Per series; default 1000, at most METRIC_MAX_POINTS (100,000). Each (run, metric) series costs the points it returns (its stored length, at most maxPoints) of the request's metric points budget (METRIC_POINTS_BUDGET, 500,000).",
    })
    maxPoints: number | null | undefined,
    @Ctx() ctx: ApiContext,
  ): Promise<RunComparisonModel> {
    // Bounded before anything looks the ids up (40,000 ids overflowed SQLite's parameters).
    checkCompareIds(ids);
    // Checked before comparing: an unreadable run answers NOT_FOUND like an unknown one.
    await ctx.guard.requireRuns(ids, 'viewer');
    return ctx.services.compare.compare(ids, maxPoints, pointsBudget(ctx));
  }
}
