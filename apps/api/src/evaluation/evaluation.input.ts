// GraphQL inputs of the evaluation module.
import { Field, Float, InputType, Int, registerEnumType } from 'type-graphql';

/** Top-k accuracy for one k, as computed by the client. */
@InputType()
export class TopKAccuracyInput {
  @Field(() => Int)
  k!: number;

  @Field(() => Float)
  accuracy!: number;
}

/** One-vs-rest metrics of one class, as computed by the client. */
@InputType()
export class PerClassMetricsInput {
  @Field(() => String)
  label!: string;

  @Field(() => Float)
  precision!: number;

  @Field(() => Float)
  recall!: number;

  @Field(() => Float)
  f1!: number;

  @Field(() => Float)
  sensitivity!: number;

  @Field(() => Float)
  specificity!: number;

  @Field(() => Int)
  support!: number;

  @Field(() => Float, { nullable: true })
  auc?: number | null;
}

/** Averaged precision, recall and F1. */
@InputType()
export class AveragedMetricsInput {
  @Field(() => Float)
  precision!: number;

  @Field(() => Float)
  recall!: number;

  @Field(() => Float)
  f1!: number;
}

/** One calibration bin. */
@InputType()
export class CalibrationBinInput {
  @Field(() => Float)
  binLower!: number;

  @Field(() => Float)
  binUpper!: number;

  @Field(() => Float, { nullable: true })
  confidence?: number | null;

  @Field(() => Float, { nullable: true })
  accuracy?: number | null;

  @Field(() => Int)
  count!: number;
}

/** One ROC curve. */
@InputType()
export class RocCurveInput {
  @Field(() => [Float])
  fpr!: number[];

  @Field(() => [Float])
  tpr!: number[];

  @Field(() => [Float])
  thresholds!: number[];
}

/** The report computed by the client (libs/ml evaluateClassification + rocCurve per class). */
@InputType()
export class EvaluationReportInput {
  @Field(() => Float)
  accuracy!: number;

  @Field(() => Float)
  logLoss!: number;

  @Field(() => Float)
  ece!: number;

  @Field(() => [TopKAccuracyInput])
  topK!: TopKAccuracyInput[];

  @Field(() => [PerClassMetricsInput], {
    description: 'One entry per class, in class-index order.',
  })
  perClass!: PerClassMetricsInput[];

  @Field(() => [[Int]], {
    description: 'numClasses x numClasses counts; rows = true class, columns = predicted.',
  })
  confusionMatrix!: number[][];

  @Field(() => AveragedMetricsInput)
  macro!: AveragedMetricsInput;

  @Field(() => AveragedMetricsInput)
  weighted!: AveragedMetricsInput;

  @Field(() => [CalibrationBinInput])
  calibration!: CalibrationBinInput[];

  @Field(() => [RocCurveInput], {
    nullable: 'itemsAndList',
    description:
      'One-vs-rest ROC curve per class in class-index order; null for a class without positives or negatives.',
  })
  roc?: (RocCurveInput | null)[] | null;
}

/** Input of logEvaluation: the per-sample results plus the report computed from them. */
@InputType()
export class EvaluationInput {
  @Field(() => String, { nullable: true, description: 'Split evaluated (default "test").' })
  split?: string | null;

  @Field(() => [String], {
    nullable: true,
    description: 'Class names in class-index order (default "0", "1", ...).',
  })
  classNames?: string[] | null;

  @Field(() => Int, {
    nullable: true,
    description: 'Number of classes; required with flatProbabilities.',
  })
  numClasses?: number | null;

  @Field(() => [Int], { description: 'True class index of each sample.' })
  labels!: number[];

  @Field(() => [[Float]], {
    nullable: true,
    description: 'Probability vector of each sample (give this or flatProbabilities).',
  })
  probabilities?: number[][] | null;

  @Field(() => [Float], {
    nullable: true,
    description: 'Row-major [numSamples, numClasses] probabilities (compact upload).',
  })
  flatProbabilities?: number[] | null;

  @Field(() => EvaluationReportInput)
  report!: EvaluationReportInput;

  @Field(() => String, {
    nullable: true,
    description: 'Idempotency key: a retry with the same key returns the stored evaluation.',
  })
  clientRequestId?: string | null;
}

/** Filter of Run.predictions (all conditions combined with AND). */
@InputType()
export class PredictionFilter {
  @Field(() => Boolean, { nullable: true })
  misclassifiedOnly?: boolean | null;

  @Field(() => Int, { nullable: true, description: 'True class index.' })
  label?: number | null;

  @Field(() => Int, { nullable: true, description: 'Predicted class index.' })
  predicted?: number | null;

  @Field(() => Float, { nullable: true })
  minConfidence?: number | null;

  @Field(() => Float, { nullable: true })
  maxConfidence?: number | null;
}

/** Order of Run.predictions. */
export enum PredictionOrder {
  INDEX = 'INDEX',
  CONFIDENCE_DESC = 'CONFIDENCE_DESC',
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
