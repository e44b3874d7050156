// Thin GraphQL layer for sweeps: checks the project role, validates, delegates to SweepService.
import { Arg, Args, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import { readable } from '../auth/readable';
import { ConnectionArgs } from '../common/connection';
import type { ApiContext } from '../common/context';
import { notFound } from '../common/errors';
import { Project } from '../project/project.type';
import type { ProjectRow } from '../project/project.repository';
import { RunConnection } from '../run/run.type';
import type { RunModel } from '../run/run.model';
import type { RunPage } from '../run/run.service';
import {
  SWEEP_PAGE,
  SWEEP_RUN_PAGE,
  type SweepModel,
  type SweepPage,
  type SweepPointModel,
  type SweepProgressModel,
} from './sweep.service';
import {
  Sweep,
  SweepConnection,
  SweepMetric,
  SweepParameterImportance,
  SweepPoint,
  SweepProgress,
} from './sweep.type';

const CONFIG_HELP =
  'YAML or JSON text (at most 64 KiB): { method: grid|random|asha, metric: { name, goal: maximize|minimize }, ' +
  'parameters: { <training override>: { values: [...] } | { min, max, distribution: uniform|log_uniform|int_uniform } | { value } }, ' +
  'budget: { maxRuns (1-1000), parallel }, seed?, base?: { preset, model, training, data } (the experiment every run starts from), ' +
  'asha?: { minResource, eta, maxResource } (method asha: runs train maxResource epochs and are judged at minResource * eta^k) }.';

/** The sweep `id` once the caller has `need` in its project (NOT_FOUND otherwise). */
async function sweepWith(
  ctx: ApiContext,
  id: string,
  need: 'viewer' | 'editor',
): Promise<SweepModel> {
  ctx.guard.allowAnyone();
  const sweep = await ctx.services.sweep.find(id);
  if (!sweep) throw notFound('Sweep', id);
  await ctx.guard.requireProject(sweep.projectId, need, 'Sweep', id);
  return sweep;
}

/** Queries, mutations and fields of sweeps. */
@Resolver(() => Sweep)
export class SweepResolver {
  @Query(() => Sweep, {
    nullable: true,
    description: 'A sweep by id; null when the id names no sweep the caller may read.',
  })
  async sweep(
    @Arg('id', () => ID, { description: 'The sweep id.' }) id: string,
    @Ctx() ctx: ApiContext,
  ): Promise<SweepModel | null> {
    ctx.guard.allowAnyone();
    const sweep = await ctx.services.sweep.find(id);
    if (!sweep) return null;
    if (!(await readable(() => ctx.guard.requireProject(sweep.projectId, 'viewer', 'Sweep', id))))
      return null;
    return sweep;
  }

  @Query(() => SweepConnection, {
    description: `The sweeps of a project, newest first (viewer role; NOT_FOUND for a project the caller cannot read). first/last: 0-${SWEEP_PAGE.maxSize}, default ${SWEEP_PAGE.defaultSize}.`,
  })
  async sweeps(
    @Arg('projectId', () => ID, { description: 'The project id.' }) projectId: string,
    @Args(() => ConnectionArgs) page: ConnectionArgs,
    @Ctx() ctx: ApiContext,
  ): Promise<SweepPage> {
    await ctx.guard.requireProject(projectId, 'viewer');
    return ctx.services.sweep.page(projectId, page);
  }

  @Mutation(() => Sweep, {
    description:
      'Creates a sweep in a project (editor role) and queues its first runs (up to budget.parallel). A bad config fails with BAD_USER_INPUT naming the field (extensions.field, e.g. config.budget.maxRuns).',
  })
  async createSweep(
    @Arg('projectId', () => ID, { description: 'The project the runs are queued in.' })
    projectId: string,
    @Arg('name', () => String, { description: 'Name (1-200 characters).' }) name: string,
    @Arg('config', () => String, { description: CONFIG_HELP }) config: string,
    @Ctx() ctx: ApiContext,
  ): Promise<SweepModel> {
    const user = ctx.guard.requireUser();
    // Bad input is refused before any lookup.
    const prepared = ctx.services.sweep.prepare(name, config);
    await ctx.guard.requireProject(projectId, 'editor');
    return ctx.services.sweep.create(user, projectId, prepared);
  }

  @Mutation(() => Sweep, {
    description:
      'Pauses a RUNNING sweep (editor role): it queues no more runs; runs in flight go on. A STOPPED or FINISHED sweep fails with INVALID_STATE.',
  })
  async pauseSweep(
    @Arg('id', () => ID, { description: 'The sweep id.' }) id: string,
    @Ctx() ctx: ApiContext,
  ): Promise<SweepModel> {
    ctx.guard.requireUser();
    await sweepWith(ctx, id, 'editor');
    return ctx.services.sweep.pause(id);
  }

  @Mutation(() => Sweep, {
    description:
      'Resumes a PAUSED sweep (editor role) and queues runs up to budget.parallel. A STOPPED or FINISHED sweep fails with INVALID_STATE.',
  })
  async resumeSweep(
    @Arg('id', () => ID, { description: 'The sweep id.' }) id: string,
    @Ctx() ctx: ApiContext,
  ): Promise<SweepModel> {
    const user = ctx.guard.requireUser();
    await sweepWith(ctx, id, 'editor');
    return ctx.services.sweep.resume(user, id);
  }

  @Mutation(() => Sweep, {
    description:
      'Stops a sweep for good (editor role): cancels its queued runs and asks its running ones to stop (they end CANCELLED). A FINISHED sweep fails with INVALID_STATE; stopping a STOPPED one again is a no-op.',
  })
  async stopSweep(
    @Arg('id', () => ID, { description: 'The sweep id.' }) id: string,
    @Ctx() ctx: ApiContext,
  ): Promise<SweepModel> {
    const user = ctx.guard.requireUser();
    await sweepWith(ctx, id, 'editor');
    return ctx.services.sweep.stop(user, id);
  }

  @FieldResolver(() => Project, { description: 'The project the sweep queues runs in.' })
  project(@Root() sweep: SweepModel, @Ctx() ctx: ApiContext): Promise<ProjectRow> {
    return ctx.loaders.projectById.load(sweep.projectId);
  }

  @FieldResolver(() => SweepMetric, { description: 'The target metric and its goal.' })
  metric(@Root() sweep: SweepModel): SweepMetric {
    return sweep.config.metric;
  }

  @FieldResolver(() => SweepProgress, {
    description: "Counts of the sweep's runs by status, and its budget.",
  })
  progress(@Root() sweep: SweepModel, @Ctx() ctx: ApiContext): Promise<SweepProgressModel> {
    return ctx.services.sweep.progress(sweep);
  }

  @FieldResolver(() => [String], {
    description: 'The parameter names of the config, in its order.',
  })
  parameterNames(@Root() sweep: SweepModel): string[] {
    return Object.keys(sweep.config.parameters);
  }

  @FieldResolver(() => SweepPoint, {
    nullable: true,
    description:
      'The run with the best value of the target metric so far (max or min by the goal); null before any run logged it.',
  })
  bestRun(@Root() sweep: SweepModel, @Ctx() ctx: ApiContext): Promise<SweepPointModel | null> {
    return ctx.services.sweep.bestRun(sweep);
  }

  @FieldResolver(() => [SweepPoint], {
    description:
      'Every run of the sweep (at most budget.maxRuns, 1,000) with its parameters and target metric, in creation order: the parallel-coordinates chart.',
  })
  points(@Root() sweep: SweepModel, @Ctx() ctx: ApiContext): Promise<SweepPointModel[]> {
    return ctx.services.sweep.points(sweep);
  }

  @FieldResolver(() => [SweepParameterImportance], {
    description:
      'Importance of each parameter for the target metric: Pearson correlation and random-forest permutation importance, most important first.',
  })
  importance(
    @Root() sweep: SweepModel,
    @Ctx() ctx: ApiContext,
  ): Promise<SweepParameterImportance[]> {
    return ctx.services.sweep.importance(sweep);
  }

  @FieldResolver(() => RunConnection, {
    description: `The sweep's runs in creation order (Relay connection). first/last: 0-${SWEEP_RUN_PAGE.maxSize}, default ${SWEEP_RUN_PAGE.defaultSize}.`,
  })
  async runs(
    @Root() sweep: SweepModel,
    @Args(() => ConnectionArgs) page: ConnectionArgs,
    @Ctx() ctx: ApiContext,
  ): Promise<RunPage> {
    const ids = await ctx.services.sweep.runPage(sweep.id, page);
    const wanted = ids.nodes.map((n) => n.id);
    const loaded = wanted.length
      ? (
          await ctx.services.run.list({
            first: wanted.length,
            filter: { ids: wanted, archived: 'ALL' },
          })
        ).nodes
      : [];
    const byId = new Map<string, RunModel>(loaded.map((r) => [r.id, r]));
    const edges = ids.edges.flatMap((e) => {
      const node = byId.get(e.node.id);
      return node ? [{ cursor: e.cursor, node }] : [];
    });
    return {
      edges,
      nodes: edges.map((e) => e.node),
      pageInfo: ids.pageInfo,
      totalCount: ids.totalCount,
    };
  }
}
