// Thin GraphQL layer for evaluations: the logEvaluation mutation, the Run fields that read
// evaluations and predictions, and the Evaluation fields read from the stored report (all
// batched per request through DataLoaders).
import { Arg, Ctx, FieldResolver, ID, Int, Mutation, Resolver, Root } from 'type-graphql';
import { badInput } from '../common/errors';
import type { ApiContext } from '../common/context';
import { Run } from '../run/run.type';
import type { RunModel } from '../run/run.model';
import { EvaluationInput, PredictionFilter, PredictionOrder } from './evaluation.input';
import {
  AveragedMetrics,
  CalibrationBin,
  Evaluation,
  PerClassMetrics,
  PredictionConnection,
  RocCurve,
  TopKAccuracy,
} from './evaluation.type';
import type { Averaged, Bin, EvaluationReport, PerClass, Roc } from './evaluation-report';
import type { EvaluationModel, PredictionPage } from './evaluation.service';

/** logEvaluation and the evaluation fields of Run. */
@Resolver(() => Run)
export class EvaluationResolver {
  @Mutation(() => Evaluation, {
    description:
      'Stores an evaluation of a run: the per-sample labels and probabilities plus the report the client computed from them ' +
      '(libs/ml evaluateClassification). The server validates shapes, finiteness, probability rows, label range and the ' +
      'consistency of the report with the samples (BAD_USER_INPUT), then stores everything in one transaction. ' +
      'Idempotent with clientRequestId. Unknown run: NOT_FOUND.',
  })
  async logEvaluation(
    @Arg('runId', () => ID) runId: string,
    @Arg('input', () => EvaluationInput) input: EvaluationInput,
    @Ctx() ctx: ApiContext,
  ): Promise<EvaluationModel> {
    await ctx.guard.requireRun(runId, 'editor');
    return ctx.services.evaluation.log(runId, input);
  }

  @FieldResolver(() => Evaluation, {
    nullable: true,
    description: 'The latest evaluation of the run; null when none.',
  })
  async evaluation(@Root() run: RunModel, @Ctx() ctx: ApiContext): Promise<EvaluationModel | null> {
    return (await ctx.loaders.evaluationsByRunId.load(run.id))[0] ?? null;
  }

  @FieldResolver(() => [Evaluation], { description: 'All evaluations of the run, newest first.' })
  evaluations(@Root() run: RunModel, @Ctx() ctx: ApiContext): Promise<EvaluationModel[]> {
    return ctx.loaders.evaluationsByRunId.load(run.id);
  }

  @FieldResolver(() => PredictionConnection, {
    description:
      'Per-sample predictions of the latest evaluation (or of evaluationId), ordered by sample index or by orderBy; ' +
      'cursor pagination (first defaults to 100, at most 1000; a cursor is valid for the order it came from).',
  })
  async predictions(
    @Root() run: RunModel,
    @Arg('filter', () => PredictionFilter, { nullable: true })
    filter: PredictionFilter | null | undefined,
    @Arg('first', () => Int, { nullable: true }) first: number | null | undefined,
    @Arg('after', () => String, { nullable: true }) after: string | null | undefined,
    @Arg('evaluationId', () => ID, { nullable: true }) evaluationId: string | null | undefined,
    @Arg('orderBy', () => PredictionOrder, { nullable: true })
    orderBy: PredictionOrder | null | undefined,
    @Ctx() ctx: ApiContext,
  ): Promise<PredictionPage> {
    const id = evaluationId
      ? (await ctx.services.evaluation.findOfRun(run.id, evaluationId)).id
      : ((await ctx.loaders.evaluationsByRunId.load(run.id))[0]?.id ?? null);
    return ctx.services.evaluation.predictions(id, { filter, first, after, orderBy });
  }
}

async function report(ev: EvaluationModel, ctx: ApiContext): Promise<EvaluationReport | null> {
  return ctx.loaders.evaluationReportById.load(ev.id);
}

/** Evaluation fields read from the stored report. */
@Resolver(() => Evaluation)
export class EvaluationFieldsResolver {
  @FieldResolver(() => [TopKAccuracy])
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

  @FieldResolver(() => AveragedMetrics, { nullable: true })
  async macro(@Root() ev: EvaluationModel, @Ctx() ctx: ApiContext): Promise<Averaged | null> {
    return (await report(ev, ctx))?.macro ?? null;
  }

  @FieldResolver(() => AveragedMetrics, { nullable: true })
  async weighted(@Root() ev: EvaluationModel, @Ctx() ctx: ApiContext): Promise<Averaged | null> {
    return (await report(ev, ctx))?.weighted ?? null;
  }

  @FieldResolver(() => [CalibrationBin])
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
    @Arg('label', () => String) label: string,
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
