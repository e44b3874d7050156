// GraphQL types of artifacts.
import { Field, ID, Int, ObjectType } from 'type-graphql';
import { DateTimeResolver } from 'graphql-scalars';
import { connectionOf } from '../common/connection';
import { JSONScalar } from '../common/json-scalar';

/** A file attached to a run (model, weights, image, ...). */
@ObjectType({ description: 'A file attached to a run, stored content-addressed.' })
export class Artifact {
  @Field(() => ID, { description: 'Unique id.' })
  id!: string;

  @Field(() => String, {
    description: 'What the file is, e.g. "model", "weights", "samples" (default "file").',
  })
  kind!: string;

  @Field(() => String, { description: 'File name, unique within the run.' })
  name!: string;

  @Field(() => String, { description: 'The sha256 of the bytes (hex).' })
  sha256!: string;

  @Field(() => Int, { description: 'Size in bytes.' })
  bytes!: number;

  @Field(() => String, { description: 'Media type served with the download.' })
  mimeType!: string;

  @Field(() => JSONScalar, {
    nullable: true,
    description: 'JSON object given at upload; null when none.',
  })
  metadata!: unknown;

  @Field(() => DateTimeResolver, { description: 'When it was first stored.' })
  createdAt!: Date;

  @Field(() => String, {
    description: 'Absolute URL on the API host: {API public origin}/runs/{runId}/artifacts/{name}',
  })
  url!: string;
}

/** A page of a run's artifacts. */
@ObjectType({ description: "A page of a run's artifacts (Relay connection), by name then id." })
export class ArtifactConnection extends connectionOf(Artifact, 'Artifact') {}
