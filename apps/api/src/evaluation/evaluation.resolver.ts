// Thin GraphQL layer for evaluations: the logEvaluation mutation, the Run fields that read
// evaluations and predictions, and the Evaluation fields read from the stored report (all
// batched per request through DataLoaders).
import { Arg, Args, Ctx, FieldResolver, ID, Int, Mutation, Resolver, Root } from 'type-graphql';
import { ConnectionArgs } from '../common/connection';
import { badInput } from '../common/errors';
import type { ApiContext } from '../common/context';
import { Run } from '../run/run.type';
import type { RunModel } from '../run/run.model';
import {
  EvaluationInput,
  evaluationData,
  PredictionFilter,
  PredictionOrder,
} from './evaluation.input';
import {
  AveragedMetrics,
  CalibrationBin,
  Evaluation,
  PerClassMetrics,
  PredictionConnection,
  RocCurve,
  TopKAccuracy,
} from './evaluation.type';
import { LIMITS } from '../common/limits';
import type { Averaged, Bin, EvaluationReport, PerClass, Roc } from './evaluation-report';
import type { EvaluationModel, PredictionPage } from './evaluation.service';

/** The per-run bound of Run.evaluations, for descriptions. */
const EVALUATIONS_PER_RUN = LIMITS.evaluationsPerRun.toLocaleString('en-US');

/** logEvaluation and the evaluation fields of Run. */
@Resolver(() => Run)
export class EvaluationResolver {
  @Mutation(() => Evaluation, {
    description:
      'Stores an evaluation of a run: the per-sample labels and probabilities plus the report the client computed from them ' +
      '(libs/ml evaluateClassification). The server validates shapes, finiteness, probability rows, label range and the ' +
      'consistency of the report with the samples (BAD_USER_INPUT), then stores everything in one transaction. ' +
      "Idempotent with clientRequestId. Needs the editor role in the run's project. An unknown run, or one the caller " +
      `may not read: NOT_FOUND naming the id. A run holds at most ${EVALUATIONS_PER_RUN} evaluations (logEvaluation and ` +
      'logPredictions together, finished runs included): one more fails with BAD_USER_INPUT (field evaluations, limit) ' +
      'and stores nothing; a retry with the clientRequestId of a stored evaluation still returns it.',
  })
  async logEvaluation(
    @Arg('runId', () => ID, { description: 'The run evaluated.' }) runId: string,
    @Arg('input', () => EvaluationInput, { description: 'The samples and the report.' })
    input: EvaluationInput,
    @Ctx() ctx: ApiContext,
  ): Promise<EvaluationModel> {
    await ctx.guard.requireRun(runId, 'editor');
    return ctx.services.evaluation.log(runId, evaluationData(input));
  }

  @FieldResolver(() => Evaluation, {
    nullable: true,
    description: 'The latest evaluation of the run; null when none.',
  })
  async evaluation(@Root() run: RunModel, @Ctx() ctx: ApiContext): Promise<EvaluationModel | null> {
    return (await ctx.loaders.evaluationsByRunId.load(run.id))[0] ?? null;
  }

  @FieldResolver(() => [Evaluation], {
    description: `All evaluations of the run, newest first. Bounded, not paged: a run holds at most ${EVALUATIONS_PER_RUN} evaluations (logEvaluation and logPredictions refuse more).`,
  })
  evaluations(@Root() run: RunModel, @Ctx() ctx: ApiContext): Promise<EvaluationModel[]> {
    return ctx.loaders.evaluationsByRunId.load(run.id);
  }

  @FieldResolver(() => PredictionConnection, {
    description:
      'Per-sample predictions of the latest evaluation (or of evaluationId), ordered by sample index or by orderBy; ' +
      'an empty page when the run has no evaluation. Relay cursor pagination: first/after forward, last/before ' +
      'backward, 1-1000 per page (0 allowed), default 100; a cursor is valid only for the orderBy it came from ' +
      '(another: BAD_USER_INPUT).',
  })
  async predictions(
    @Root() run: RunModel,
    @Args(() => ConnectionArgs) page: ConnectionArgs,
    @Arg('filter', () => PredictionFilter, {
      nullable: true,
      description: 'Only predictions matching every condition given.',
    })
    filter: PredictionFilter | null | undefined,
    @Arg('evaluationId', () => ID, {
      nullable: true,
      description:
        "One of the run's evaluations (default: the latest). An id that names no evaluation of this run: NOT_FOUND naming it.",
    })
    evaluationId: string | null | undefined,
    @Arg('orderBy', () => PredictionOrder, {
      nullable: true,
      description: 'Order of the list (default INDEX).',
    })
    orderBy: PredictionOrder | null | undefined,
    @Ctx() ctx: ApiContext,
  ): Promise<PredictionPage> {
    const id = evaluationId
      ? (await ctx.services.evaluation.findOfRun(run.id, evaluationId)).id
      : ((await ctx.loaders.evaluationsByRunId.load(run.id))[0]?.id ?? null);
    return ctx.services.evaluation.predictions(id, { ...page, filter, orderBy });
  }
}

async function report(ev: EvaluationModel, ctx: ApiContext): Promise<EvaluationReport | null> {
  return ctx.loaders.evaluationReportById.load(ev.id);
}

/**
 * The report of an evaluation for its non-null fields: every stored evaluation has one (logEvaluation
 * checks it whole before storing), so a missing one is a corrupt database, an internal error.
 */
async function storedReport(ev: EvaluationModel, ctx: ApiContext): Promise<EvaluationReport> {
  const r = await report(ev, ctx);
  if (!r) throw new Error(`Evaluation ${ev.id} has no readable report`);
  return r;
}

/** Evaluation fields read from the stored report. */
@Resolver(() => Evaluation)
export class EvaluationFieldsResolver {
  @FieldResolver(() => [TopKAccuracy], {
    description: 'Top-k accuracy for each k the client computed, in increasing k.',
  })
  async topK(
    @Root() ev: EvaluationModel,
    @Ctx() ctx: ApiContext,
  ): Promise<{ k: number; accuracy: number }[]> {
    return (await report(ev, ctx))?.topK ?? [];
  }

  @FieldResolver(() => [PerClassMetrics], { description: 'In class-index order.' })
  async perClass(@Root() ev: EvaluationModel, @Ctx() ctx: ApiContext): Promise<PerClass[]> {
    return (await report(ev, ctx))?.perClass ?? [];
  }

  @FieldResolver(() => [[Int]], {
    description: 'Counts; rows = true class, columns = predicted class.',
  })
  async confusionMatrix(@Root() ev: EvaluationModel, @Ctx() ctx: ApiContext): Promise<number[][]> {
    return (await report(ev, ctx))?.confusionMatrix ?? [];
  }

  @FieldResolver(() => AveragedMetrics, {
    description:
      'Unweighted mean over classes of precision, recall and F1 (scikit-learn average="macro").',
  })
  async macro(@Root() ev: EvaluationModel, @Ctx() ctx: ApiContext): Promise<Averaged> {
    return (await storedReport(ev, ctx)).macro;
  }

  @FieldResolver(() => AveragedMetrics, {
    description:
      'Mean over classes weighted by support of precision, recall and F1 (scikit-learn average="weighted").',
  })
  async weighted(@Root() ev: EvaluationModel, @Ctx() ctx: ApiContext): Promise<Averaged> {
    return (await storedReport(ev, ctx)).weighted;
  }

  @FieldResolver(() => [CalibrationBin], {
    description: 'The reliability diagram: equal-width confidence bins from 0 to 1.',
  })
  async calibration(@Root() ev: EvaluationModel, @Ctx() ctx: ApiContext): Promise<Bin[]> {
    return (await report(ev, ctx))?.calibration ?? [];
  }

  @FieldResolver(() => RocCurve, {
    nullable: true,
    description:
      'One-vs-rest ROC curve of a class (by class name, or class index as a string); null when undefined ' +
      '(the class has no samples, or every sample is of it). Unknown class: BAD_USER_INPUT.',
  })
  async roc(
    @Root() ev: EvaluationModel,
    @Arg('label', () => String, { description: 'Class name, or class index as a string.' })
    label: string,
    @Ctx() ctx: ApiContext,
  ): Promise<Roc | null> {
    let c = ev.classNames.indexOf(label);
    if (c < 0 && /^\d+$/.test(label) && Number(label) < ev.numClasses) c = Number(label);
    if (c < 0)
      throw badInput(
        `Unknown class "${label}"; classes are ${ev.classNames.map((n) => `"${n}"`).join(', ')}`,
        { field: 'label' },
      );
    return (await report(ev, ctx))?.roc[c] ?? null;
  }
}
