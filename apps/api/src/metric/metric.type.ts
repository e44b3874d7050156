// GraphQL types of the metric module.
import { Field, Float, Int, ObjectType } from 'type-graphql';
import { DateTimeResolver } from 'graphql-scalars';

/** One logged value. */
@ObjectType()
export class MetricPoint {
  @Field(() => Int)
  step!: number;

  @Field(() => Float)
  value!: number;

  @Field(() => DateTimeResolver)
  time!: Date;
}

/** One metric of a run. */
@ObjectType({
  description:
    'One metric of a run; points are downsampled server-side (extremes and the last point kept) when longer than maxPoints.',
})
export class MetricSeries {
  @Field(() => String)
  name!: string;

  @Field(() => Int)
  totalPoints!: number;

  @Field(() => Boolean)
  downsampled!: boolean;

  @Field(() => [MetricPoint])
  points!: MetricPoint[];
}

/** Per-metric summary over the whole series. */
@ObjectType({ description: 'Per-metric summary over the whole series (not downsampled).' })
export class MetricSummary {
  @Field(() => String)
  name!: string;

  @Field(() => Float)
  last!: number;

  @Field(() => Int)
  lastStep!: number;

  @Field(() => Float)
  min!: number;

  @Field(() => Float)
  max!: number;

  @Field(() => Int)
  count!: number;
}

/** Outcome of logMetrics. */
@ObjectType()
export class LogMetricsResult {
  @Field(() => Int, { description: 'Points newly stored.' })
  accepted!: number;

  @Field(() => Int, {
    description: 'Points already stored with the same value (retries), ignored.',
  })
  duplicates!: number;
}
