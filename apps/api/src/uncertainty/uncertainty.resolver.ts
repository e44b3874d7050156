// Thin GraphQL layer for uncertainty: the logUncertainty mutation, the Run fields that read
// uncertainty evaluations, and the paged samples (all batched per request through DataLoaders).
import { Arg, Args, Ctx, FieldResolver, ID, Mutation, Resolver, Root } from 'type-graphql';
import { ConnectionArgs } from '../common/connection';
import type { ApiContext } from '../common/context';
import { LIMITS } from '../common/limits';
import { Run } from '../run/run.type';
import type { RunModel } from '../run/run.model';
import { UncertaintyInput, UncertaintySampleOrder } from './uncertainty.input';
import { Uncertainty, UncertaintySampleConnection } from './uncertainty.type';
import type { UncertaintyModel, UncertaintySamplePage } from './uncertainty.service';

/** The per-run bound of Run.uncertainties, for descriptions. */
const UNCERTAINTIES_PER_RUN = LIMITS.uncertaintiesPerRun.toLocaleString('en-US');

/** logUncertainty and the uncertainty fields of Run. */
@Resolver(() => Run)
export class UncertaintyResolver {
  @Mutation(() => Uncertainty, {
    description:
      'Stores the predictive uncertainty of a run (T stochastic passes summarised per sample by the client, libs/ml mcPredict). ' +
      'The server validates lengths, finiteness, ranges and that accuracy matches the mean predictions (BAD_USER_INPUT naming the field), ' +
      'computes the mean entropy and mutual information, and stores everything in one transaction. ' +
      "Idempotent with clientRequestId. Needs the editor role in the run's project. An unknown run, or one the " +
      `caller may not read: NOT_FOUND naming the id. A run holds at most ${UNCERTAINTIES_PER_RUN} uncertainty ` +
      'evaluations (finished runs included): one more fails with BAD_USER_INPUT (field uncertainties, limit) and ' +
      'stores nothing; a retry with the clientRequestId of a stored one still returns it.',
  })
  async logUncertainty(
    @Arg('runId', () => ID, { description: 'The run evaluated.' }) runId: string,
    @Arg('input', () => UncertaintyInput, { description: 'The per-sample statistics.' })
    input: UncertaintyInput,
    @Ctx() ctx: ApiContext,
  ): Promise<UncertaintyModel> {
    await ctx.guard.requireRun(runId, 'editor');
    return ctx.services.uncertainty.log(runId, input);
  }

  @FieldResolver(() => Uncertainty, {
    nullable: true,
    description:
      'The latest uncertainty evaluation of the run, or the one with id; null when the run has none, or when id ' +
      'names no uncertainty evaluation of this run (an unknown id answers null, never an error).',
  })
  async uncertainty(
    @Root() run: RunModel,
    @Arg('id', () => ID, {
      nullable: true,
      description: "One of the run's uncertainty evaluations (default: the latest).",
    })
    id: string | null | undefined,
    @Ctx() ctx: ApiContext,
  ): Promise<UncertaintyModel | null> {
    if (id) return ctx.services.uncertainty.findOfRun(run.id, id);
    return (await ctx.loaders.uncertaintiesByRunId.load(run.id))[0] ?? null;
  }

  @FieldResolver(() => [Uncertainty], {
    description: `All uncertainty evaluations of the run, newest first. Bounded, not paged: a run holds at most ${UNCERTAINTIES_PER_RUN} (logUncertainty refuses more).`,
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
      'Per-sample statistics, by sample index or by orderBy (ties by index). Relay cursor pagination: ' +
      'first/after forward, last/before backward, 1-1000 per page (0 allowed), default 100; a cursor is valid ' +
      'only for the orderBy it came from (another: BAD_USER_INPUT).',
  })
  async samples(
    @Root() uncertainty: UncertaintyModel,
    @Args(() => ConnectionArgs) page: ConnectionArgs,
    @Arg('orderBy', () => UncertaintySampleOrder, {
      nullable: true,
      description: 'Order of the list (default INDEX).',
    })
    orderBy: UncertaintySampleOrder | null | undefined,
    @Ctx() ctx: ApiContext,
  ): Promise<UncertaintySamplePage> {
    const request = ctx.services.uncertainty.pageRequest({ ...page, orderBy });
    const rows = await ctx.loaders.uncertaintySamplePage.load({
      uncertaintyId: uncertainty.id,
      ...request.key,
    });
    return ctx.services.uncertainty.toPage(uncertainty, rows, request);
  }
}
