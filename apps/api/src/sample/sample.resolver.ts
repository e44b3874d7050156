// Run.samples, read from the run's artifacts (batched per request by the artifacts loader).
import { Arg, Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import type { ApiContext } from '../common/context.js';
import { Run } from '../run/run.type.js';
import type { RunModel } from '../run/run.model.js';
import { SampleImages } from './sample.type.js';
import type { SampleSetModel } from './sample.service.js';

/** Sample-image fields of Run (the images themselves are served over HTTP). */
@Resolver(() => Run)
export class SampleResolver {
  @FieldResolver(() => SampleImages, {
    nullable: true,
    description: 'The stored images of an evaluated split (default "test"); null when none.',
  })
  async samples(
    @Root() run: RunModel,
    @Arg('split', () => String, { defaultValue: 'test' }) split: string,
    @Ctx() ctx: ApiContext,
  ): Promise<SampleSetModel | null> {
    return ctx.services.sample.fromArtifacts(
      await ctx.loaders.artifactsByRunId.load(run.id),
      split,
    );
  }
}
