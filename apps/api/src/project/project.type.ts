// GraphQL types of a project and a page of projects.
import { Field, ID, Int, ObjectType } from 'type-graphql';
import { DateTimeResolver } from 'graphql-scalars';
import { ProjectVisibility } from '../auth/identity.type';
import { connectionOf } from '../common/connection';
import type { Visibility } from './project.repository';

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

  // The enum's values are the stored lower-case names, so the row's value serialises as is.
  @Field(() => ProjectVisibility, {
    description: 'Who may read it: PRIVATE (members only) or PUBLIC (anyone).',
  })
  visibility!: Visibility;

  @Field(() => DateTimeResolver, { description: 'When the project was created.' })
  createdAt!: Date;

  /** Resolved by ProjectResolver.runCount (batched). */
  @Field(() => Int, { description: 'Runs in the project.' })
  runCount?: number;
}

/** A page of the projects the caller may read. */
@ObjectType({
  description: 'A page of the projects the caller may read (Relay connection), by name then id.',
})
export class ProjectConnection extends connectionOf(Project, 'Project') {
  @Field(() => Int, { description: 'Projects the caller may read, over all pages.' })
  totalCount!: number;
}
