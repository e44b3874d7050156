// GraphQL type of a project.
import { Field, ID, Int, ObjectType } from 'type-graphql';
import { DateTimeResolver } from 'graphql-scalars';

/** A named group of runs. */
@ObjectType({ description: 'A named group of runs.' })
export class Project {
  @Field(() => ID)
  id!: string;

  @Field(() => String)
  name!: string;

  @Field(() => String, { nullable: true })
  description!: string | null;

  @Field(() => String, { description: 'private (members only) or public (anyone may read).' })
  visibility!: string;

  @Field(() => DateTimeResolver)
  createdAt!: Date;

  /** Resolved by ProjectResolver.runCount (batched). */
  @Field(() => Int)
  runCount?: number;
}
