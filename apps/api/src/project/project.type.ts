// GraphQL type of a project.
import { Field, ID, Int, ObjectType } from 'type-graphql';
import { DateTimeResolver } from 'graphql-scalars';

/** A named group of runs. */
@ObjectType({ description: 'A named group of runs.' })
export class Project {
  @Field(() => ID, { description: 'Unique, stable id.' })
  id!: string;

  @Field(() => String, { description: 'Unique name (1-200 characters).' })
  name!: string;

  @Field(() => String, {
    nullable: true,
    description: 'Free text (at most 64 KiB); null when none.',
  })
  description!: string | null;

  @Field(() => String, {
    description: 'Who may read it: private (members only) or public (anyone).',
  })
  visibility!: string;

  @Field(() => DateTimeResolver, { description: 'When the project was created.' })
  createdAt!: Date;

  /** Resolved by ProjectResolver.runCount (batched). */
  @Field(() => Int, { description: 'Runs in the project.' })
  runCount?: number;
}
