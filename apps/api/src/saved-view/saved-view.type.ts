// GraphQL type of a saved runs-table view.
import { Field, ID, ObjectType } from 'type-graphql';
import { DateTimeResolver } from 'graphql-scalars';
import { JSONScalar } from '../common/json-scalar';
import type { SavedViewState } from './saved-view.state';

/** A named runs-table view of a project: query, columns, sort and grouping. */
@ObjectType({
  description:
    "A named view of a project's runs table (query, columns, sort, groupBy). Unique by project and name; at most 100 per project.",
})
export class SavedView {
  @Field(() => ID, { description: 'Unique, stable id.' })
  id!: string;

  @Field(() => String, { description: 'Name, unique in its project (1-100 characters).' })
  name!: string;

  @Field(() => JSONScalar, {
    description:
      'The view as saved: { query, columns, sort: { key, dir }, groupBy, status } (at most 16 KiB of JSON; see SaveViewInput.state).',
  })
  state!: SavedViewState;

  @Field(() => DateTimeResolver, { description: 'When the view was first saved.' })
  createdAt!: Date;

  @Field(() => DateTimeResolver, { description: 'When the view was last saved.' })
  updatedAt!: Date;
}
