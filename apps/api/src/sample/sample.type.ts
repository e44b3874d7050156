// GraphQL type of a run's stored sample images.
import { Field, Int, ObjectType } from 'type-graphql';

/** The evaluated images of a split stored with a run (artifact `<split>-samples.bin`). */
@ObjectType({
  description:
    'The evaluated images of a split stored with a run (artifact <split>-samples.bin). Image i is the prediction ' +
    'with sample index i; GET /runs/{runId}/samples/{i}.png[?scale=N] serves it as PNG.',
})
export class SampleImages {
  @Field(() => String, { description: 'The split, e.g. "test".' })
  split!: string;

  @Field(() => Int, { description: 'Images stored: sample indices 0 to count - 1.' })
  count!: number;

  @Field(() => Int, {
    description: 'Images in the evaluated split (more than count when the upload was bounded).',
  })
  total!: number;

  @Field(() => Int, { description: 'Image height in pixels.' })
  height!: number;

  @Field(() => Int, { description: 'Image width in pixels.' })
  width!: number;

  @Field(() => Int, { description: '1 (gray), 2 (gray + alpha), 3 (RGB) or 4 (RGBA).' })
  channels!: number;

  @Field(() => String, { description: 'Hash of the stored bytes; changes when they are replaced.' })
  sha256!: string;
}
