// Thin GraphQL layer of logPredictions: check access, delegate to LoggedPredictionsService.
import { Arg, Ctx, ID, Mutation, Resolver } from 'type-graphql';
import type { ApiContext } from '../common/context';
import { LIMITS } from '../common/limits';
import { Evaluation } from './evaluation.type';
import type { EvaluationModel } from './evaluation.service';
import { LogPredictionsInput } from './logged-predictions.input';
import { LoggedPredictionsService } from './logged-predictions.service';

/** The logPredictions mutation. */
@Resolver()
export class LoggedPredictionsResolver {
  @Mutation(() => Evaluation, {
    description:
      'Stores a new evaluation of a run from the per-sample labels and class probabilities alone: the server computes the ' +
      'report exactly as the TF.js client (libs/ml evaluateClassification, scikit-learn 1.2 definitions) does before ' +
      'logEvaluation (accuracy, top-k, confusion matrix, per-class precision/recall/F1/specificity and one-vs-rest ROC ' +
      'AUC and curves, macro and weighted averages, log loss, 15-bin calibration and ECE) and stores it with every ' +
      "prediction under logEvaluation's rules; it becomes the run's latest evaluation. Needs the editor role in the " +
      "run's project. Bad input (limits in LogPredictionsInput): BAD_USER_INPUT naming the field; nothing is stored. " +
      'An unknown run, or one the caller may not read: NOT_FOUND naming the id. A run holds at most ' +
      `${LIMITS.evaluationsPerRun.toLocaleString('en-US')} evaluations (logEvaluation and logPredictions together): one more fails with ` +
      'BAD_USER_INPUT (field evaluations, limit) and stores nothing; a retry with the clientRequestId of a stored ' +
      'evaluation still returns it.',
  })
  async logPredictions(
    @Arg('runId', () => ID, { description: 'The run evaluated.' }) runId: string,
    @Arg('input', () => LogPredictionsInput, {
      description: 'The labels and predicted probabilities of every sample of the split.',
    })
    input: LogPredictionsInput,
    @Ctx() ctx: ApiContext,
  ): Promise<EvaluationModel> {
    await ctx.guard.requireRun(runId, 'editor');
    return new LoggedPredictionsService(ctx.services.evaluation).log(runId, input);
  }
}
