// GraphQL types of the uncertainty module.
import { Field, Float, ID, Int, ObjectType } from 'type-graphql';
import { DateTimeResolver } from 'graphql-scalars';
import { PageInfo } from '../run/run.type';

/** Five-number summary of one class's probability over the stochastic passes. */
@ObjectType({
  description:
    "Five-number summary of one class's probability over the passes (numpy linear percentiles), for a boxplot.",
})
export class ClassBoxplot {
  @Field(() => Int, { description: 'Class index.' })
  class!: number;

  @Field(() => String)
  className!: string;

  @Field(() => Float)
  min!: number;

  @Field(() => Float, { description: 'First quartile.' })
  q1!: number;

  @Field(() => Float)
  median!: number;

  @Field(() => Float, { description: 'Third quartile.' })
  q3!: number;

  @Field(() => Float)
  max!: number;
}

/** One sample of an uncertainty evaluation. */
@ObjectType()
export class UncertaintySample {
  @Field(() => Int, { description: 'Sample index within the split.' })
  index!: number;

  @Field(() => Int, { description: 'True class index.' })
  label!: number;

  @Field(() => Int, { description: 'Argmax of the mean probabilities.' })
  predicted!: number;

  @Field(() => Boolean)
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
@ObjectType()
export class UncertaintySampleConnection {
  @Field(() => Int)
  totalCount!: number;

  @Field(() => PageInfo)
  pageInfo!: PageInfo;

  @Field(() => [UncertaintySample])
  nodes!: UncertaintySample[];
}

/** A Monte Carlo uncertainty evaluation of a run on one split. */
@ObjectType({
  description:
    'Predictive uncertainty of a run on one split from T stochastic passes (MC dropout or a variational latent).',
})
export class Uncertainty {
  @Field(() => ID)
  id!: string;

  /** Not exposed: used by field resolvers. */
  runId!: string;

  @Field(() => String)
  split!: string;

  @Field(() => String, { description: '"mc-dropout" or "variational".' })
  method!: string;

  @Field(() => Int, { description: 'Stochastic forward passes T.' })
  passes!: number;

  @Field(() => Int)
  numSamples!: number;

  @Field(() => Int)
  numClasses!: number;

  @Field(() => [String])
  classNames!: string[];

  @Field(() => Float, { description: 'Accuracy of the argmax of the mean probabilities.' })
  accuracy!: number;

  @Field(() => Float, {
    nullable: true,
    description: 'Macro one-vs-rest ROC AUC of the mean probabilities.',
  })
  auc!: number | null;

  @Field(() => [Float], {
    nullable: 'items',
    description: 'One-vs-rest AUC per class; null where undefined.',
  })
  perClassAuc!: (number | null)[];

  @Field(() => Float, { description: 'Mean predictive entropy over the samples (nats).' })
  meanEntropy!: number;

  @Field(() => Float, { description: 'Mean mutual information over the samples (nats).' })
  meanMutualInformation!: number;

  @Field(() => DateTimeResolver)
  createdAt!: Date;
}
