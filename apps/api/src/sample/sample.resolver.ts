// Run.samples, read from the run's artifacts (batched per request by the artifacts loader).
import { Arg, Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import type { ApiContext } from '../common/context';
import { Run } from '../run/run.type';
import type { RunModel } from '../run/run.model';
import { SampleImages } from './sample.type';
import type { SampleSetModel } from './sample.service';

/** Sample-image fields of Run (the images themselves are served over HTTP). */
@Resolver(() => Run)
export class SampleResolver {
  @FieldResolver(() => SampleImages, {
    nullable: true,
    description: 'The stored images of an evaluated split (default "test"); null when none.',
  })
  async samples(
    @Root() run: RunModel,
    @Arg('split', () => String, {
      defaultValue: 'test',
      description: 'The split (default "test").',
    })
    split: string,
    @Ctx() ctx: ApiContext,
  ): Promise<SampleSetModel | null> {
    return ctx.services.sample.fromArtifacts(
      await ctx.loaders.artifactsByRunId.load(run.id),
      split,
    );
  }
}
