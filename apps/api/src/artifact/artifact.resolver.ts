// Run.artifacts as a Relay connection, batched per request: the runs of one request asking for
// the same page (kind, direction, cursor, size) share one loader.
import DataLoader from 'dataloader';
import { Arg, Args, Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import { ConnectionArgs, type ConnectionPage } from '../common/connection';
import type { ApiContext } from '../common/context';
import { Run } from '../run/run.type';
import type { RunModel } from '../run/run.model';
import { Artifact, ArtifactConnection } from './artifact.type';
import type { ArtifactPageRequest, ArtifactRow } from './artifact.repository';
import type { ArtifactModel } from './artifact.service';

// One loader per request and page request, kept beside the request's loaders (a WeakMap, so it
// goes with the request).
const loaders = new WeakMap<object, Map<string, DataLoader<string, ArtifactRow[]>>>();
function pageLoader(ctx: ApiContext, page: ArtifactPageRequest): DataLoader<string, ArtifactRow[]> {
  let byPage = loaders.get(ctx.loaders);
  if (!byPage) loaders.set(ctx.loaders, (byPage = new Map()));
  const key = JSON.stringify(page);
  let loader = byPage.get(key);
  if (!loader) {
    loader = new DataLoader((runIds: readonly string[]) =>
      ctx.services.artifact.pagesOf(runIds, page),
    );
    byPage.set(key, loader);
  }
  return loader;
}

// One loader per request for Run.artifact(name): every (run, name) asked in a request, one query.
const byName = new WeakMap<
  object,
  DataLoader<{ runId: string; name: string }, ArtifactModel | null, string>
>();
function nameLoader(ctx: ApiContext) {
  let loader = byName.get(ctx.loaders);
  if (!loader) {
    loader = new DataLoader((keys) => ctx.services.artifact.byKeys(keys), {
      cacheKeyFn: ({ runId, name }) => `${runId}\u0000${name}`,
    });
    byName.set(ctx.loaders, loader);
  }
  return loader;
}

/** Artifact fields of Run (uploads go through the HTTP routes). */
@Resolver(() => Run)
export class ArtifactResolver {
  @FieldResolver(() => ArtifactConnection, {
    description:
      'Files attached to the run, ordered by name (then id). Relay cursor pagination: first/after forward, ' +
      'last/before backward, 0-1000 per page, default 100.',
  })
  async artifacts(
    @Root() run: RunModel,
    @Args(() => ConnectionArgs) args: ConnectionArgs,
    @Arg('kind', () => String, {
      nullable: true,
      description: 'Only artifacts of this kind (e.g. "model", "weights"); default: every kind.',
    })
    kind: string | null | undefined,
    @Ctx() ctx: ApiContext,
  ): Promise<ConnectionPage<ArtifactModel>> {
    const { request, page } = ctx.services.artifact.pageRequest({ ...args, kind });
    const rows = await pageLoader(ctx, page).load(run.id);
    return ctx.services.artifact.toPage(rows, request);
  }

  @FieldResolver(() => Artifact, {
    nullable: true,
    description:
      'One file of the run by its exact name (e.g. "model.json"); null when the run has none of that name. ' +
      'Clients that need a known file ask for it here rather than searching a page of artifacts.',
  })
  artifact(
    @Root() run: RunModel,
    @Arg('name', () => String, { description: 'The artifact name, 1-255 characters.' })
    name: string,
    @Ctx() ctx: ApiContext,
  ): Promise<ArtifactModel | null> {
    return nameLoader(ctx).load({ runId: run.id, name });
  }
}
