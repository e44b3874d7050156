// Input of saveView (its state's shape: saved-view.state.ts).
import { Field, InputType } from 'type-graphql';
import { JSONScalar } from '../common/json-scalar';

/** Arguments of saveView. */
@InputType({
  description:
    'A view to save: upserted by project and name (saving an existing name replaces its state).',
})
export class SaveViewInput {
  @Field(() => String, {
    description: 'Project name; the caller needs the editor role in it.',
  })
  project!: string;

  @Field(() => String, {
    description:
      'View name: trimmed, 1-100 characters, no control, bidirectional-control or invisible characters.',
  })
  name!: string;

  @Field(() => JSONScalar, {
    description:
      'A JSON object { query?: string (at most 4,000 characters), status?: RunStatus name, columns?: [string] (at most 200 keys of at most 300 characters), sort?: { key, dir: "asc"|"desc" }, groupBy?: string }; no other keys; at most 16 KiB serialised. Anything else fails with BAD_USER_INPUT.',
  })
  state!: unknown;
}
