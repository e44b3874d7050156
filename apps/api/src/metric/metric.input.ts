// GraphQL inputs of the metric module.
import { Field, Float, InputType, Int } from 'type-graphql';
import { DateTimeResolver } from 'graphql-scalars';

/** One point sent to logMetrics. */
@InputType()
export class MetricPointInput {
  @Field(() => String)
  name!: string;

  @Field(() => Int)
  step!: number;

  @Field(() => Float)
  value!: number;

  @Field(() => DateTimeResolver, { nullable: true })
  time?: Date | null;
}
