// GraphQL types of compareRuns.
import { Field, Float, ID, Int, ObjectType } from 'type-graphql';
import { TopKAccuracy } from '../evaluation/evaluation.type';
import { MetricPoint } from '../metric/metric.type';
import { Run } from '../run/run.type';
import { JSONScalar } from '../common/json-scalar';

/** One run's series of a compared metric. */
@ObjectType({
  description: "One run's (downsampled) series of a metric; empty when the run lacks the metric.",
})
export class RunSeries {
  @Field(() => ID, { description: 'Stable id: `<runId>:<metric>` (as MetricSeries.id).' })
  id!: string;

  @Field(() => ID, { description: 'The run.' })
  runId!: string;

  @Field(() => Int, {
    description: 'Points stored (before downsampling); 0 when the run lacks the metric.',
  })
  totalPoints!: number;

  @Field(() => Boolean, { description: 'True when points holds fewer than totalPoints.' })
  downsampled!: boolean;

  @Field(() => [MetricPoint], { description: 'At most maxPoints points, by step.' })
  points!: MetricPoint[];
}

/** A metric across the compared runs. */
@ObjectType({
  description: 'A metric across the compared runs: one series per run, in the order of the ids.',
})
export class ComparedMetric {
  @Field(() => String, { description: 'The metric name.' })
  name!: string;

  @Field(() => [RunSeries], { description: 'One series per run, in the order of the ids.' })
  series!: RunSeries[];
}

/** A hyperparameter across the compared runs. */
@ObjectType({ description: 'A hyperparameter across the compared runs.' })
export class ComparedHyperparameter {
  @Field(() => String, { description: 'The hyperparameter name (a top-level key).' })
  key!: string;

  @Field(() => [JSONScalar], {
    nullable: 'items',
    description: 'One value per run, in the order of the ids; null when missing.',
  })
  values!: unknown[];

  @Field(() => Boolean, {
    description:
      'True unless every run has the same value (a missing value differs from any present one).',
  })
  differs!: boolean;
}

/** One run's metrics of one class (from its latest evaluation). */
@ObjectType({
  description:
    "One run's one-vs-rest metrics of a class, from its latest evaluation; null when it has none or lacks the class.",
})
export class RunClassMetrics {
  @Field(() => ID, { description: 'The run.' })
  runId!: string;

  @Field(() => Float, { nullable: true, description: 'One-vs-rest precision (0-1).' })
  precision!: number | null;

  @Field(() => Float, { nullable: true, description: 'One-vs-rest recall (0-1).' })
  recall!: number | null;

  @Field(() => Float, { nullable: true, description: 'One-vs-rest F1 score (0-1).' })
  f1!: number | null;

  @Field(() => Float, {
    nullable: true,
    description: 'One-vs-rest ROC AUC (0-1); null when undefined (a class without positives).',
  })
  auc!: number | null;
}

/** A class across the compared runs. */
@ObjectType({ description: 'Per-class metrics across the compared runs.' })
export class ComparedClass {
  @Field(() => String, { description: 'The class label.' })
  label!: string;

  @Field(() => [RunClassMetrics], { description: 'One per run, in the order of the ids.' })
  metrics!: RunClassMetrics[];

  @Field(() => [RunClassMetrics], {
    description:
      "Each run's metrics minus the first run's (null where either is missing); the first run's are 0.",
  })
  deltas!: RunClassMetrics[];
}

/** Top-k accuracies of one run's latest evaluation. */
@ObjectType({ description: "Top-k accuracies of one run's latest evaluation." })
export class RunTopK {
  @Field(() => ID, { description: 'The run.' })
  runId!: string;

  @Field(() => ID, {
    nullable: true,
    description: 'The latest evaluation; null when the run has none.',
  })
  evaluationId!: string | null;

  @Field(() => [TopKAccuracy], { description: 'Empty when the run has no evaluation.' })
  topK!: TopKAccuracy[];
}

/** Side-by-side comparison of runs. */
@ObjectType({
  description:
    'Side-by-side comparison of runs (of any projects), everything in the order of the ids.',
})
export class RunComparison {
  @Field(() => [Run], { description: 'The runs, in the order of the ids.' })
  runs!: Run[];

  @Field(() => [ComparedMetric], { description: 'Every metric any run has, by name.' })
  metrics!: ComparedMetric[];

  @Field(() => [ComparedHyperparameter], {
    description: 'Every hyperparameter key any run has, sorted.',
  })
  hyperparameters!: ComparedHyperparameter[];

  @Field(() => [ComparedClass], {
    description: 'Classes of the latest evaluations; empty when no run has one.',
  })
  perClass!: ComparedClass[];

  @Field(() => [RunTopK], { description: 'One per run, in the order of the ids.' })
  topK!: RunTopK[];
}
