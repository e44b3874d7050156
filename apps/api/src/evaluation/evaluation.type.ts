// GraphQL types of the evaluation module.
import { Field, Float, ID, Int, ObjectType } from 'type-graphql';
import { DateTimeResolver } from 'graphql-scalars';
import { connectionOf } from '../common/connection';

/** Top-k accuracy for one k. */
@ObjectType({ description: 'Top-k accuracy for one k.' })
export class TopKAccuracy {
  @Field(() => Int, { description: 'How many of the most probable classes may hold the label.' })
  k!: number;

  @Field(() => Float, {
    description: 'Fraction of samples whose label is among the top k, in [0, 1].',
  })
  accuracy!: number;
}

/** One-vs-rest metrics of one class. */
@ObjectType({
  description:
    'One-vs-rest metrics of one class (undefined ratios are 0, as scikit-learn zero_division=0).',
})
export class PerClassMetrics {
  @Field(() => String, { description: 'Class name.' })
  label!: string;

  @Field(() => Float, { description: 'TP / (TP + FP).' })
  precision!: number;

  @Field(() => Float, { description: 'TP / (TP + FN).' })
  recall!: number;

  @Field(() => Float, { description: 'Harmonic mean of precision and recall.' })
  f1!: number;

  @Field(() => Float, { description: 'True positive rate, TP / (TP + FN) (equals recall).' })
  sensitivity!: number;

  @Field(() => Float, { description: 'True negative rate, TN / (TN + FP).' })
  specificity!: number;

  @Field(() => Int, { description: 'Samples whose true class is this one.' })
  support!: number;

  @Field(() => Float, {
    nullable: true,
    description: 'One-vs-rest ROC AUC; null when the class is absent or is every sample.',
  })
  auc!: number | null;
}

/** Precision, recall and F1 averaged over classes. */
@ObjectType({ description: 'Precision, recall and F1 averaged over the classes.' })
export class AveragedMetrics {
  @Field(() => Float, { description: 'Averaged precision, in [0, 1].' })
  precision!: number;

  @Field(() => Float, { description: 'Averaged recall, in [0, 1].' })
  recall!: number;

  @Field(() => Float, { description: 'Averaged F1, in [0, 1].' })
  f1!: number;
}

/** A one-vs-rest ROC curve (scikit-learn 1.2 roc_curve). */
@ObjectType({
  description:
    'A one-vs-rest ROC curve (scikit-learn 1.2 roc_curve); the three lists have one entry per point.',
})
export class RocCurve {
  @Field(() => [Float], { description: 'False positive rate of each point, non-decreasing.' })
  fpr!: number[];

  @Field(() => [Float], { description: 'True positive rate of each point, non-decreasing.' })
  tpr!: number[];

  @Field(() => [Float], { description: 'Decreasing thresholds; the first is max(score) + 1.' })
  thresholds!: number[];
}

/** One equal-width confidence bin of the reliability diagram. */
@ObjectType({ description: 'One equal-width confidence bin of the reliability diagram.' })
export class CalibrationBin {
  @Field(() => Float, { description: 'Lower edge of the bin.' })
  binLower!: number;

  @Field(() => Float, { description: 'Upper edge of the bin.' })
  binUpper!: number;

  @Field(() => Float, {
    nullable: true,
    description: 'Mean top-label confidence; null when the bin is empty.',
  })
  confidence!: number | null;

  @Field(() => Float, {
    nullable: true,
    description: 'Fraction correct; null when the bin is empty.',
  })
  accuracy!: number | null;

  @Field(() => Int, { description: 'Samples whose top-label confidence falls in the bin.' })
  count!: number;
}

/** A classification evaluation of a run on one split. Report fields are resolved from the stored report. */
@ObjectType({
  description: 'A classification evaluation of a run on one split (e.g. the test set).',
})
export class Evaluation {
  @Field(() => ID, { description: 'Unique id; ids sort by creation.' })
  id!: string;

  /** Not exposed: used by field resolvers. */
  runId!: string;

  @Field(() => String, { description: 'Split evaluated, e.g. "test".' })
  split!: string;

  @Field(() => Int, { description: 'Samples evaluated (1-1,000,000).' })
  numSamples!: number;

  @Field(() => Int, { description: 'Number of classes.' })
  numClasses!: number;

  @Field(() => [String], { description: 'Class names in class-index order.' })
  classNames!: string[];

  @Field(() => Float, { description: 'Fraction of samples whose argmax is the label.' })
  accuracy!: number;

  @Field(() => Float, { description: 'Mean cross-entropy of the true class (nats).' })
  logLoss!: number;

  @Field(() => Float, { description: 'Expected calibration error of the top-label confidence.' })
  ece!: number;

  @Field(() => DateTimeResolver, { description: 'When it was stored.' })
  createdAt!: Date;
}

/** One evaluated sample. */
@ObjectType({ description: 'The prediction of one sample of an evaluation.' })
export class Prediction {
  @Field(() => ID, {
    description:
      'Stable id "<evaluationId>:<index>": the same sample of the same evaluation has the same id in every request.',
  })
  id!: string;

  @Field(() => Int, { description: 'Sample index within the split (0-based).' })
  index!: number;

  @Field(() => Int, { description: 'True class index.' })
  label!: number;

  @Field(() => Int, { description: 'Predicted (argmax) class index.' })
  predicted!: number;

  @Field(() => Float, { description: 'Probability of the predicted class, in [0, 1].' })
  confidence!: number;

  @Field(() => Boolean, { description: 'True when predicted equals label.' })
  correct!: boolean;

  @Field(() => [Float], { description: 'Full probability vector, class-index order.' })
  probabilities!: number[];
}

/** A page of predictions. */
@ObjectType({ description: 'A page of the predictions of one evaluation (Relay connection).' })
export class PredictionConnection extends connectionOf(Prediction, 'Prediction') {
  @Field(() => Int, { description: 'Predictions matching the filter, over all pages.' })
  totalCount!: number;
}
