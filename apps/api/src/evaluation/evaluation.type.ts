// GraphQL types of the evaluation module.
import { Field, Float, ID, Int, ObjectType } from 'type-graphql';
import { DateTimeResolver } from 'graphql-scalars';
import { PageInfo } from '../run/run.type';

/** Top-k accuracy for one k. */
@ObjectType()
export class TopKAccuracy {
  @Field(() => Int)
  k!: number;

  @Field(() => Float)
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

  @Field(() => Float, {
    nullable: true,
    description: 'One-vs-rest ROC AUC; null when the class is absent or is every sample.',
  })
  auc!: number | null;
}

/** Precision, recall and F1 averaged over classes. */
@ObjectType()
export class AveragedMetrics {
  @Field(() => Float)
  precision!: number;

  @Field(() => Float)
  recall!: number;

  @Field(() => Float)
  f1!: number;
}

/** A one-vs-rest ROC curve (scikit-learn 1.2 roc_curve). */
@ObjectType()
export class RocCurve {
  @Field(() => [Float])
  fpr!: number[];

  @Field(() => [Float])
  tpr!: number[];

  @Field(() => [Float], { description: 'Decreasing thresholds; the first is max(score) + 1.' })
  thresholds!: number[];
}

/** One equal-width confidence bin of the reliability diagram. */
@ObjectType()
export class CalibrationBin {
  @Field(() => Float)
  binLower!: number;

  @Field(() => Float)
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

  @Field(() => Int)
  count!: number;
}

/** A classification evaluation of a run on one split. Report fields are resolved from the stored report. */
@ObjectType({
  description: 'A classification evaluation of a run on one split (e.g. the test set).',
})
export class Evaluation {
  @Field(() => ID)
  id!: string;

  /** Not exposed: used by field resolvers. */
  runId!: string;

  @Field(() => String)
  split!: string;

  @Field(() => Int)
  numSamples!: number;

  @Field(() => Int)
  numClasses!: number;

  @Field(() => [String], { description: 'Class names in class-index order.' })
  classNames!: string[];

  @Field(() => Float)
  accuracy!: number;

  @Field(() => Float)
  logLoss!: number;

  @Field(() => Float, { description: 'Expected calibration error of the top-label confidence.' })
  ece!: number;

  @Field(() => DateTimeResolver)
  createdAt!: Date;
}

/** One evaluated sample. */
@ObjectType()
export class Prediction {
  @Field(() => Int, { description: 'Sample index within the split.' })
  index!: number;

  @Field(() => Int, { description: 'True class index.' })
  label!: number;

  @Field(() => Int, { description: 'Predicted (argmax) class index.' })
  predicted!: number;

  @Field(() => Float, { description: 'Probability of the predicted class.' })
  confidence!: number;

  @Field(() => Boolean)
  correct!: boolean;

  @Field(() => [Float], { description: 'Full probability vector, class-index order.' })
  probabilities!: number[];
}

/** A page of predictions. */
@ObjectType()
export class PredictionConnection {
  @Field(() => Int)
  totalCount!: number;

  @Field(() => PageInfo)
  pageInfo!: PageInfo;

  @Field(() => [Prediction])
  nodes!: Prediction[];
}
