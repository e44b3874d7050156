// GraphQL types of the metric module.
import { Field, Float, ID, Int, ObjectType } from 'type-graphql';
import { DateTimeResolver } from 'graphql-scalars';
import { connectionOf } from '../common/connection';

/** One logged value. */
@ObjectType({ description: 'One logged value of a metric: one per (run, metric, step).' })
export class MetricPoint {
  @Field(() => ID, { description: 'Stable id: `<runId>:<metric>:<step>`.' })
  id!: string;

  @Field(() => Int, { description: 'Training step (0 to 2,147,483,647).' })
  step!: number;

  @Field(() => Float, { description: 'The value, exactly as logged (a finite double).' })
  value!: number;

  @Field(() => DateTimeResolver, { description: 'When the value was measured (or received).' })
  time!: Date;
}

/** One metric of a run. */
@ObjectType({
  description:
    'One metric of a run; points are downsampled server-side (extremes and the last point kept) when longer than maxPoints. ' +
    'Run.metricPoints pages through every point instead.',
})
export class MetricSeries {
  @Field(() => ID, { description: 'Stable id: `<runId>:<metric>`.' })
  id!: string;

  @Field(() => String, { description: 'The metric name.' })
  name!: string;

  @Field(() => Int, { description: 'Points stored (before downsampling).' })
  totalPoints!: number;

  @Field(() => Boolean, { description: 'True when points holds fewer than totalPoints.' })
  downsampled!: boolean;

  @Field(() => [MetricPoint], {
    description:
      'At most maxPoints points, by step: the first and last, then min and max per bucket.',
  })
  points!: MetricPoint[];
}

/** A page of one metric's points. */
@ObjectType({
  description: "A page of one metric's points by step (Relay connection), not downsampled.",
})
export class MetricPointConnection extends connectionOf(MetricPoint, 'MetricPoint') {
  @Field(() => Int, {
    description: 'Points of the metric over all pages (0 when the run lacks it).',
  })
  totalCount!: number;
}

/** Per-metric summary over the whole series. */
@ObjectType({ description: 'Per-metric summary over the whole series (not downsampled).' })
export class MetricSummary {
  @Field(() => String, { description: 'The metric name.' })
  name!: string;

  @Field(() => Float, { description: 'Value at the last (highest) step.' })
  last!: number;

  @Field(() => Int, { description: 'The highest step.' })
  lastStep!: number;

  @Field(() => Float, { description: 'Smallest value.' })
  min!: number;

  @Field(() => Float, { description: 'Largest value.' })
  max!: number;

  @Field(() => Int, { description: 'Points stored.' })
  count!: number;
}

/** Outcome of logMetrics. */
@ObjectType({ description: 'Outcome of logMetrics.' })
export class LogMetricsResult {
  @Field(() => Int, { description: 'Points newly stored.' })
  accepted!: number;

  @Field(() => Int, {
    description: 'Points already stored with the same value (retries), ignored.',
  })
  duplicates!: number;
}
