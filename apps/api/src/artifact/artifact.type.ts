// GraphQL type of an artifact.
import { Field, ID, Int, ObjectType } from 'type-graphql';
import { DateTimeResolver } from 'graphql-scalars';
import { JSONScalar } from '../common/json-scalar';

/** A file attached to a run (model, weights, image, ...). */
@ObjectType({ description: 'A file attached to a run, stored content-addressed.' })
export class Artifact {
  @Field(() => ID)
  id!: string;

  @Field(() => String)
  kind!: string;

  @Field(() => String)
  name!: string;

  @Field(() => String)
  sha256!: string;

  @Field(() => Int)
  bytes!: number;

  @Field(() => String)
  mimeType!: string;

  @Field(() => JSONScalar, { nullable: true })
  metadata!: unknown;

  @Field(() => DateTimeResolver)
  createdAt!: Date;

  @Field(() => String, {
    description: 'Absolute URL on the API host: {API public origin}/runs/{runId}/artifacts/{name}',
  })
  url!: string;
}
