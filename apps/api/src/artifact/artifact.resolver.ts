// Run.artifacts, batched per request.
import { Arg, Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import type { ApiContext } from '../common/context';
import { Run } from '../run/run.type';
import type { RunModel } from '../run/run.model';
import { Artifact } from './artifact.type';
import type { ArtifactModel } from './artifact.service';

/** Artifact fields of Run (uploads go through the HTTP routes). */
@Resolver(() => Run)
export class ArtifactResolver {
  @FieldResolver(() => [Artifact])
  async artifacts(
    @Root() run: RunModel,
    @Arg('kind', () => String, { nullable: true }) kind: string | null | undefined,
    @Ctx() ctx: ApiContext,
  ): Promise<ArtifactModel[]> {
    const all = await ctx.loaders.artifactsByRunId.load(run.id);
    return kind ? all.filter((a) => a.kind === kind) : all;
  }
}
