// GraphQL inputs of the uncertainty module.
import { Field, Float, InputType, Int, registerEnumType } from 'type-graphql';

/**
 * Input of logUncertainty: the per-sample statistics of T stochastic passes (libs/ml
 * mcPredict) as flat row-major arrays, plus the scores of the mean prediction.
 */
@InputType({
  description:
    'Input of logUncertainty: per-sample statistics of T stochastic passes as flat row-major arrays ' +
    '(1-1,000,000 samples, 2-10,000 classes, at most 20,000,000 quantiles), plus the scores of the mean prediction.',
})
export class UncertaintyInput {
  @Field(() => String, {
    nullable: true,
    defaultValue: 'test',
    description: 'Split evaluated (default "test").',
  })
  split?: string | null;

  @Field(() => String, { description: '"mc-dropout" or "variational".' })
  method!: string;

  @Field(() => Int, { description: 'Stochastic forward passes T (1-100,000).' })
  passes!: number;

  @Field(() => [String], {
    nullable: true,
    description: 'Class names in class-index order (default "0", "1", ...).',
  })
  classNames?: string[] | null;

  @Field(() => Int, {
    nullable: true,
    description: 'Number of classes (default: classNames length).',
  })
  numClasses?: number | null;

  @Field(() => [Int], { description: 'True class index of each sample.' })
  labels!: number[];

  @Field(() => [Float], { description: 'Row-major [numSamples, numClasses] mean probabilities.' })
  meanProbabilities!: number[];

  @Field(() => [Float], {
    description: 'Row-major [numSamples, numClasses] standard deviations over the passes.',
  })
  std!: number[];

  @Field(() => [Float], { description: 'Predictive entropy per sample (nats).' })
  entropy!: number[];

  @Field(() => [Float], { description: 'Mutual information per sample (nats).' })
  mutualInformation!: number[];

  @Field(() => [Float], {
    description: 'Row-major [numSamples, numClasses, 5]: min, q1, median, q3, max over the passes.',
  })
  quantiles!: number[];

  @Field(() => Float, { description: 'Accuracy of the argmax of the means (checked).' })
  accuracy!: number;

  @Field(() => Float, { nullable: true, description: 'Macro one-vs-rest ROC AUC.' })
  auc?: number | null;

  @Field(() => [Float], {
    nullable: 'itemsAndList',
    description: 'One-vs-rest AUC per class; null where undefined.',
  })
  perClassAuc?: (number | null)[] | null;

  @Field(() => String, {
    nullable: true,
    description: 'Idempotency key: a retry with the same key returns the stored evaluation.',
  })
  clientRequestId?: string | null;
}

/** Order of Uncertainty.samples. */
export enum UncertaintySampleOrder {
  ENTROPY_DESC = 'ENTROPY_DESC',
  INDEX = 'INDEX',
  MI_DESC = 'MI_DESC',
}

registerEnumType(UncertaintySampleOrder, {
  name: 'UncertaintySampleOrder',
  description: 'Order of Uncertainty.samples; ties break on the sample index.',
  valuesConfig: {
    INDEX: { description: 'By sample index (the default).' },
    ENTROPY_DESC: { description: 'Highest predictive entropy first.' },
    MI_DESC: { description: 'Highest mutual information first (the most epistemic).' },
  },
});
