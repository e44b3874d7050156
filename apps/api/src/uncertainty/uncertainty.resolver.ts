// Thin GraphQL layer for uncertainty: the logUncertainty mutation, the Run fields that read
// uncertainty evaluations, and the paged samples (all batched per request through DataLoaders).
import { Arg, Ctx, FieldResolver, ID, Int, Mutation, Resolver, Root } from 'type-graphql';
import type { ApiContext } from '../common/context';
import { Run } from '../run/run.type';
import type { RunModel } from '../run/run.model';
import { UncertaintyInput, UncertaintySampleOrder } from './uncertainty.input';
import { Uncertainty, UncertaintySampleConnection } from './uncertainty.type';
import type { UncertaintyModel, UncertaintySamplePage } from './uncertainty.service';

/** logUncertainty and the uncertainty fields of Run. */
@Resolver(() => Run)
export class UncertaintyResolver {
  @Mutation(() => Uncertainty, {
    description:
      'Stores the predictive uncertainty of a run (T stochastic passes summarised per sample by the client, libs/ml mcPredict). ' +
      'The server validates lengths, finiteness, ranges and that accuracy matches the mean predictions (BAD_USER_INPUT naming the field), ' +
      'computes the mean entropy and mutual information, and stores everything in one transaction. ' +
      'Idempotent with clientRequestId. Unknown run: NOT_FOUND.',
  })
  async logUncertainty(
    @Arg('runId', () => ID) runId: string,
    @Arg('input', () => UncertaintyInput) input: UncertaintyInput,
    @Ctx() ctx: ApiContext,
  ): Promise<UncertaintyModel> {
    await ctx.guard.requireRun(runId, 'editor');
    return ctx.services.uncertainty.log(runId, input);
  }

  @FieldResolver(() => Uncertainty, {
    nullable: true,
    description:
      'The latest uncertainty evaluation of the run (or the one with id); null when none.',
  })
  async uncertainty(
    @Root() run: RunModel,
    @Arg('id', () => ID, { nullable: true }) id: string | null | undefined,
    @Ctx() ctx: ApiContext,
  ): Promise<UncertaintyModel | null> {
    if (id) return ctx.services.uncertainty.findOfRun(run.id, id);
    return (await ctx.loaders.uncertaintiesByRunId.load(run.id))[0] ?? null;
  }

  @FieldResolver(() => [Uncertainty], {
    description: 'All uncertainty evaluations of the run, newest first.',
  })
  uncertainties(@Root() run: RunModel, @Ctx() ctx: ApiContext): Promise<UncertaintyModel[]> {
    return ctx.loaders.uncertaintiesByRunId.load(run.id);
  }
}

/** Uncertainty.samples, batched across evaluations requested with the same page arguments. */
@Resolver(() => Uncertainty)
export class UncertaintyFieldsResolver {
  @FieldResolver(() => UncertaintySampleConnection, {
    description:
      'Per-sample statistics, by sample index or by orderBy (ties by index); cursor pagination ' +
      '(first defaults to 100, at most 1000; a cursor is valid for the order it came from).',
  })
  async samples(
    @Root() uncertainty: UncertaintyModel,
    @Arg('first', () => Int, { nullable: true }) first: number | null | undefined,
    @Arg('after', () => String, { nullable: true }) after: string | null | undefined,
    @Arg('orderBy', () => UncertaintySampleOrder, { nullable: true })
    orderBy: UncertaintySampleOrder | null | undefined,
    @Ctx() ctx: ApiContext,
  ): Promise<UncertaintySamplePage> {
    const request = ctx.services.uncertainty.pageRequest({ first, after, orderBy });
    const rows = await ctx.loaders.uncertaintySamplePage.load({
      uncertaintyId: uncertainty.id,
      ...request.key,
    });
    return ctx.services.uncertainty.toPage(uncertainty, rows, request);
  }
}
