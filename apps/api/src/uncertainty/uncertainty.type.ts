// GraphQL types of the uncertainty module.
import { Field, Float, ID, Int, ObjectType } from 'type-graphql';
import { DateTimeResolver } from 'graphql-scalars';
import { connectionOf } from '../common/connection';

/** Five-number summary of one class's probability over the stochastic passes. */
@ObjectType({
  description:
    "Five-number summary of one class's probability over the passes (numpy linear percentiles), for a boxplot.",
})
export class ClassBoxplot {
  @Field(() => Int, { description: 'Class index.' })
  class!: number;

  @Field(() => String, { description: 'Class name.' })
  className!: string;

  @Field(() => Float, { description: 'Smallest probability over the passes.' })
  min!: number;

  @Field(() => Float, { description: 'First quartile.' })
  q1!: number;

  @Field(() => Float, { description: 'Median probability over the passes.' })
  median!: number;

  @Field(() => Float, { description: 'Third quartile.' })
  q3!: number;

  @Field(() => Float, { description: 'Largest probability over the passes.' })
  max!: number;
}

/** One sample of an uncertainty evaluation. */
@ObjectType({ description: 'The statistics of one sample of an uncertainty evaluation.' })
export class UncertaintySample {
  @Field(() => ID, {
    description:
      'Stable id "<uncertaintyId>:<index>": the same sample of the same evaluation has the same id in every request.',
  })
  id!: string;

  @Field(() => Int, { description: 'Sample index within the split (0-based).' })
  index!: number;

  @Field(() => Int, { description: 'True class index.' })
  label!: number;

  @Field(() => Int, { description: 'Argmax of the mean probabilities.' })
  predicted!: number;

  @Field(() => Boolean, { description: 'True when predicted equals label.' })
  correct!: boolean;

  @Field(() => Float, { description: 'Mean probability of the predicted class.' })
  confidence!: number;

  @Field(() => [Float], { description: 'Mean probability per class over the passes.' })
  meanProbabilities!: number[];

  @Field(() => [Float], { description: 'Standard deviation per class over the passes.' })
  std!: number[];

  @Field(() => Float, { description: 'Predictive entropy of the mean (nats).' })
  entropy!: number;

  @Field(() => Float, {
    description: 'Mutual information (BALD): entropy minus the expected per-pass entropy (nats).',
  })
  mutualInformation!: number;

  @Field(() => [ClassBoxplot], { description: 'One per class, in class-index order.' })
  boxplots!: ClassBoxplot[];
}

/** A page of uncertainty samples. */
@ObjectType({
  description: 'A page of the samples of one uncertainty evaluation (Relay connection).',
})
export class UncertaintySampleConnection extends connectionOf(
  UncertaintySample,
  'UncertaintySample',
) {
  @Field(() => Int, { description: 'Samples of the evaluation, over all pages.' })
  totalCount!: number;
}

/** A Monte Carlo uncertainty evaluation of a run on one split. */
@ObjectType({
  description:
    'Predictive uncertainty of a run on one split from T stochastic passes (MC dropout or a variational latent).',
})
export class Uncertainty {
  @Field(() => ID, { description: 'Unique id; ids sort by creation.' })
  id!: string;

  /** Not exposed: used by field resolvers. */
  runId!: string;

  @Field(() => String, { description: 'Split evaluated, e.g. "test".' })
  split!: string;

  @Field(() => String, { description: '"mc-dropout" or "variational".' })
  method!: string;

  @Field(() => Int, { description: 'Stochastic forward passes T.' })
  passes!: number;

  @Field(() => Int, { description: 'Samples evaluated.' })
  numSamples!: number;

  @Field(() => Int, { description: 'Number of classes.' })
  numClasses!: number;

  @Field(() => [String], { description: 'Class names in class-index order.' })
  classNames!: string[];

  @Field(() => Float, { description: 'Accuracy of the argmax of the mean probabilities.' })
  accuracy!: number;

  @Field(() => Float, {
    nullable: true,
    description:
      'Macro one-vs-rest ROC AUC of the mean probabilities; null when the client sent none.',
  })
  auc!: number | null;

  @Field(() => [Float], {
    nullable: 'items',
    description:
      'One-vs-rest AUC per class, in class-index order; null where undefined or not sent.',
  })
  perClassAuc!: (number | null)[];

  @Field(() => Float, { description: 'Mean predictive entropy over the samples (nats).' })
  meanEntropy!: number;

  @Field(() => Float, { description: 'Mean mutual information over the samples (nats).' })
  meanMutualInformation!: number;

  @Field(() => DateTimeResolver, { description: 'When it was stored.' })
  createdAt!: Date;
}
