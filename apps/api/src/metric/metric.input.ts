// GraphQL inputs of the metric module.
import { Field, Float, InputType, Int } from 'type-graphql';
import { DateTimeResolver } from 'graphql-scalars';

/** One point sent to logMetrics. */
@InputType({ description: 'One point sent to logMetrics.' })
export class MetricPointInput {
  @Field(() => String, {
    description:
      'Trimmed, 1-200 characters, no control, bidirectional-control or invisible characters; at most 500 different names per batch.',
  })
  name!: string;

  @Field(() => Int, { description: '0 to 2,147,483,647.' })
  step!: number;

  @Field(() => Float, { description: 'A finite number (NaN and Infinity are refused).' })
  value!: number;

  @Field(() => DateTimeResolver, {
    nullable: true,
    description: 'Default: now. Between 1970-01-01 and 9999-12-31.',
  })
  time?: Date | null;
}

/** The points of one metric sent to logMetricSeries, as columns. */
@InputType({
  description:
    'The points of one metric sent to logMetricSeries, as columns (entry i of each list is one point): the same points as ' +
    'MetricPointInput objects, for a fraction of the request parsing.',
})
export class MetricSeriesInput {
  @Field(() => String, {
    description:
      'Trimmed, 1-200 characters, no control, bidirectional-control or invisible characters; at most 500 different names per batch.',
  })
  name!: string;

  @Field(() => [Int], { description: 'The steps, each 0 to 2,147,483,647.' })
  steps!: number[];

  @Field(() => [Float], {
    nullable: 'items',
    description:
      'The values, as many as steps, each finite: null (what JSON makes of NaN and Infinity) fails with INVALID_METRIC_VALUE.',
  })
  values!: (number | null)[];

  @Field(() => [DateTimeResolver], {
    nullable: 'itemsAndList',
    description:
      'When each point was measured, as many as steps (null entries, or no list: now). Between 1970-01-01 and 9999-12-31.',
  })
  times?: (Date | null)[] | null;
}
