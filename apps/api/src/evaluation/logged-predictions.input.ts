// The input of logPredictions: per-sample labels and class probabilities only; the server
// computes the report (logged-predictions.service.ts). The limits in the descriptions are the
// ones logEvaluation applies (evaluation-validation.ts), written out from the same constants.
import { Field, Float, InputType, Int } from 'type-graphql';
import { LIMITS } from '../common/limits';
import { DEFAULT_REQUEST_LIMITS } from '../common/request-limits';
import { MAX_CLASSES, MAX_SAMPLES, MAX_VALUES, ROW_SUM_TOLERANCE } from './evaluation-validation';

const fmt = (n: number) => n.toLocaleString('en-US');

/** Input of logPredictions (see {@link LoggedPredictionsService}). */
@InputType({
  description:
    'The per-sample results of evaluating a classifier on one split: the true label and the predicted class ' +
    'probabilities of each sample. The server computes the report from them.',
})
export class LogPredictionsInput {
  @Field(() => String, {
    nullable: true,
    defaultValue: 'test',
    description: `Split evaluated, 1-${LIMITS.splitName} characters (default "test").`,
  })
  split?: string | null;

  @Field(() => [String], {
    description:
      `Class names in class-index order: ${fmt(2)}-${fmt(MAX_CLASSES)} names, all different, each 1-${LIMITS.className} ` +
      'characters without control, bidirectional or invisible characters. Their number is the number of classes.',
  })
  classNames!: string[];

  @Field(() => [Int], {
    description: `True class index of each sample, in [0, number of classes); 1-${fmt(MAX_SAMPLES)} samples.`,
  })
  labels!: number[];

  @Field(() => [[Float]], {
    description:
      'One row per sample (same order and count as labels) of one probability per class (class-index order): ' +
      `finite values in [0, 1], each row summing to 1 within ${ROW_SUM_TOLERANCE}. At most ${fmt(MAX_VALUES)} ` +
      'values in all (samples x classes). Send the lists as variables: the request body may be 64 MiB (about ' +
      `3 million probabilities as JSON), a document only ${fmt(DEFAULT_REQUEST_LIMITS.maxTokens)} tokens by default.`,
  })
  probabilities!: number[][];

  @Field(() => String, {
    nullable: true,
    description:
      `Idempotency key, 1-${LIMITS.clientRequestId} characters: a retry with the same key returns the evaluation the ` +
      'first attempt stored instead of storing another (the same keys as logEvaluation, per run).',
  })
  clientRequestId?: string | null;
}
