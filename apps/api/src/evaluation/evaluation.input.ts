// GraphQL inputs of the evaluation module.
import { Field, Float, InputType, Int, registerEnumType } from 'type-graphql';
import type { EvaluationData } from './evaluation-report';

/** Top-k accuracy for one k, as computed by the client. */
@InputType({ description: 'Top-k accuracy for one k, as computed by the client.' })
export class TopKAccuracyInput {
  @Field(() => Int, { description: 'How many of the most probable classes may hold the label.' })
  k!: number;

  @Field(() => Float, { description: 'Fraction of samples whose label is among the top k.' })
  accuracy!: number;
}

/** One-vs-rest metrics of one class, as computed by the client. */
@InputType({ description: 'One-vs-rest metrics of one class, as computed by the client.' })
export class PerClassMetricsInput {
  @Field(() => String, { description: 'Class name (must match classNames).' })
  label!: string;

  @Field(() => Float, { description: 'TP / (TP + FP), 0 when undefined.' })
  precision!: number;

  @Field(() => Float, { description: 'TP / (TP + FN), 0 when undefined.' })
  recall!: number;

  @Field(() => Float, { description: 'Harmonic mean of precision and recall.' })
  f1!: number;

  @Field(() => Float, { description: 'True positive rate (equals recall).' })
  sensitivity!: number;

  @Field(() => Float, { description: 'True negative rate, TN / (TN + FP).' })
  specificity!: number;

  @Field(() => Int, { description: 'Samples whose true class is this one.' })
  support!: number;

  @Field(() => Float, {
    nullable: true,
    description: 'One-vs-rest ROC AUC in [0, 1]; null when undefined.',
  })
  auc?: number | null;
}

/** Averaged precision, recall and F1. */
@InputType({ description: 'Precision, recall and F1 averaged over the classes.' })
export class AveragedMetricsInput {
  @Field(() => Float, { description: 'Averaged precision, in [0, 1].' })
  precision!: number;

  @Field(() => Float, { description: 'Averaged recall, in [0, 1].' })
  recall!: number;

  @Field(() => Float, { description: 'Averaged F1, in [0, 1].' })
  f1!: number;
}

/** One calibration bin. */
@InputType({ description: 'One equal-width confidence bin of the reliability diagram.' })
export class CalibrationBinInput {
  @Field(() => Float, { description: 'Lower edge of the bin.' })
  binLower!: number;

  @Field(() => Float, { description: 'Upper edge of the bin.' })
  binUpper!: number;

  @Field(() => Float, {
    nullable: true,
    description: 'Mean top-label confidence; null when the bin is empty.',
  })
  confidence?: number | null;

  @Field(() => Float, {
    nullable: true,
    description: 'Fraction correct; null when the bin is empty.',
  })
  accuracy?: number | null;

  @Field(() => Int, { description: 'Samples in the bin.' })
  count!: number;
}

/** One ROC curve. */
@InputType({ description: 'One one-vs-rest ROC curve (scikit-learn roc_curve).' })
export class RocCurveInput {
  @Field(() => [Float], { description: 'False positive rate of each point.' })
  fpr!: number[];

  @Field(() => [Float], { description: 'True positive rate of each point.' })
  tpr!: number[];

  @Field(() => [Float], { description: 'Decreasing thresholds, one per point.' })
  thresholds!: number[];
}

/** The report computed by the client (libs/ml evaluateClassification + rocCurve per class). */
@InputType({
  description:
    'The report computed by the client from the samples (libs/ml evaluateClassification); checked against them.',
})
export class EvaluationReportInput {
  @Field(() => Float, { description: "Fraction correct; must equal the samples' accuracy." })
  accuracy!: number;

  @Field(() => Float, { description: 'Mean cross-entropy of the true class (nats).' })
  logLoss!: number;

  @Field(() => Float, { description: 'Expected calibration error of the top-label confidence.' })
  ece!: number;

  @Field(() => [TopKAccuracyInput], { description: 'Top-k accuracies, any set of k.' })
  topK!: TopKAccuracyInput[];

  @Field(() => [PerClassMetricsInput], {
    description: 'One entry per class, in class-index order.',
  })
  perClass!: PerClassMetricsInput[];

  @Field(() => [[Int]], {
    description: 'numClasses x numClasses counts; rows = true class, columns = predicted.',
  })
  confusionMatrix!: number[][];

  @Field(() => AveragedMetricsInput, { description: 'Unweighted mean over classes.' })
  macro!: AveragedMetricsInput;

  @Field(() => AveragedMetricsInput, { description: 'Mean over classes weighted by support.' })
  weighted!: AveragedMetricsInput;

  @Field(() => [CalibrationBinInput], { description: 'Reliability bins (at most 1000).' })
  calibration!: CalibrationBinInput[];

  @Field(() => [RocCurveInput], {
    nullable: 'itemsAndList',
    description:
      'One-vs-rest ROC curve per class in class-index order; null for a class without positives or negatives.',
  })
  roc?: (RocCurveInput | null)[] | null;
}

/** The probabilities of logEvaluation, in exactly one of two layouts (a GraphQL one-of input). */
@InputType({
  description:
    'The class probabilities of every sample, in exactly one of two layouts (@oneOf: give rows or flat).',
})
export class EvaluationProbabilitiesInput {
  @Field(() => [[Float]], {
    nullable: true,
    description: 'One probability vector per sample, in sample order.',
  })
  rows?: number[][] | null;

  @Field(() => [Float], {
    nullable: true,
    description:
      'Row-major [numSamples, numClasses] probabilities (compact upload); EvaluationInput.numClasses gives the row length.',
  })
  flat?: number[] | null;
}

/** Input of logEvaluation: the per-sample results plus the report computed from them. */
@InputType({
  description:
    'Input of logEvaluation: the per-sample labels and probabilities (1-1,000,000 samples, at most 20,000,000 ' +
    'probabilities) plus the report computed from them.',
})
export class EvaluationInput {
  @Field(() => String, {
    nullable: true,
    defaultValue: 'test',
    description: 'Split evaluated (default "test").',
  })
  split?: string | null;

  @Field(() => [String], {
    nullable: true,
    description: 'Class names in class-index order (default "0", "1", ...).',
  })
  classNames?: string[] | null;

  @Field(() => Int, {
    nullable: true,
    description: 'Number of classes; required with probabilities.flat.',
  })
  numClasses?: number | null;

  @Field(() => [Int], { description: 'True class index of each sample.' })
  labels!: number[];

  @Field(() => EvaluationProbabilitiesInput, {
    description: 'The class probabilities of each sample: rows, or flat with numClasses.',
  })
  probabilities!: EvaluationProbabilitiesInput;

  @Field(() => EvaluationReportInput, { description: 'The report computed from these samples.' })
  report!: EvaluationReportInput;

  @Field(() => String, {
    nullable: true,
    description: 'Idempotency key: a retry with the same key returns the stored evaluation.',
  })
  clientRequestId?: string | null;
}

/** Filter of Run.predictions (all conditions combined with AND). */
@InputType({ description: 'Filter of Run.predictions: every condition given must hold.' })
export class PredictionFilter {
  @Field(() => Boolean, {
    nullable: true,
    description: 'True: only samples whose prediction is wrong.',
  })
  misclassifiedOnly?: boolean | null;

  @Field(() => Int, { nullable: true, description: 'True class index.' })
  label?: number | null;

  @Field(() => Int, { nullable: true, description: 'Predicted class index.' })
  predicted?: number | null;

  @Field(() => Float, {
    nullable: true,
    description: 'Only confidences at least this (finite).',
  })
  minConfidence?: number | null;

  @Field(() => Float, {
    nullable: true,
    description: 'Only confidences at most this (finite).',
  })
  maxConfidence?: number | null;
}

/** Order of Run.predictions. */
export enum PredictionOrder {
  CONFIDENCE_DESC = 'CONFIDENCE_DESC',
  INDEX = 'INDEX',
}

registerEnumType(PredictionOrder, {
  name: 'PredictionOrder',
  description: 'Order of Run.predictions.',
  valuesConfig: {
    INDEX: { description: 'By sample index (the default).' },
    CONFIDENCE_DESC: {
      description:
        'Most confident first, ties by sample index (with misclassifiedOnly: the most confident mistakes).',
    },
  },
});

/**
 * The service's view of a logEvaluation input: the one-of probabilities unpacked into the
 * `probabilities` (rows) or `flatProbabilities` fields the validation reads.
 */
export function evaluationData(input: EvaluationInput): EvaluationData {
  const { probabilities, ...rest } = input;
  return {
    ...rest,
    probabilities: probabilities.rows ?? null,
    flatProbabilities: probabilities.flat ?? null,
  };
}
