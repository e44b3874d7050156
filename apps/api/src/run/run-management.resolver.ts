// Thin GraphQL layer of run management: archive, unarchive, delete and move (updateRun lives in
// run.resolver.ts), and the Run.archived / Run.archivedAt fields. Every mutation needs the
// editor role in the run's project (a move: in the target project too).
import { Arg, Ctx, FieldResolver, ID, Mutation, Resolver, Root } from 'type-graphql';
import { DateTimeResolver } from 'graphql-scalars';
import type { ApiContext } from '../common/context';
import { notFound } from '../common/errors';
import { limits, LIMITS } from '../common/limits';
import { DeletedRun } from './run-management.input';
import type { DeletedRunModel } from './run-management.service';
import type { RunModel } from './run.model';
import { Run } from './run.type';

const ID_RULE =
  'An id naming no run the caller may read fails with NOT_FOUND naming it; a reader of the project gets FORBIDDEN.';

/** Archive, delete and move runs. */
@Resolver(() => Run)
export class RunManagementResolver {
  @Mutation(() => Run, {
    description: `Archives a run (editor role): it disappears from run lists unless RunFilter.archived asks for it; nothing else changes (a RUNNING run keeps training). Archiving an archived run keeps its archivedAt. ${ID_RULE}`,
  })
  async archiveRun(
    @Arg('id', () => ID, { description: 'The run id.' }) id: string,
    @Ctx() ctx: ApiContext,
  ): Promise<RunModel> {
    await ctx.guard.requireRun(limits.id(id, 'id'), 'editor');
    return ctx.services.runManagement.archive(id);
  }

  @Mutation(() => Run, {
    description: `Makes an archived run active again (editor role); a no-op for an active run. ${ID_RULE}`,
  })
  async unarchiveRun(
    @Arg('id', () => ID, { description: 'The run id.' }) id: string,
    @Ctx() ctx: ApiContext,
  ): Promise<RunModel> {
    await ctx.guard.requireRun(limits.id(id, 'id'), 'editor');
    return ctx.services.runManagement.unarchive(id);
  }

  @Mutation(() => DeletedRun, {
    description:
      'Deletes a run for good (editor role): its metrics, artifacts, evaluations, uncertainty results and explanation jobs go with it, ' +
      'and the artifact store drops every file of it that no other run references. A RUNNING run is refused with INVALID_STATE ' +
      '(finish it first; a run whose worker is lost is failed by the heartbeat reaper after RUN_HEARTBEAT_TIMEOUT_S, then it can be deleted). ' +
      ID_RULE,
  })
  async deleteRun(
    @Arg('id', () => ID, { description: 'The run id.' }) id: string,
    @Ctx() ctx: ApiContext,
  ): Promise<DeletedRunModel> {
    await ctx.guard.requireRun(limits.id(id, 'id'), 'editor');
    return ctx.services.runManagement.delete(id);
  }

  @Mutation(() => Run, {
    description:
      'Moves a run to another existing project (editor role in both). Its idempotency key moves with it unless the target already holds a run with the same key (then it is dropped). ' +
      `Moving a run to its own project changes nothing. An unknown or unreadable target project fails with NOT_FOUND naming it. ${ID_RULE}`,
  })
  async moveRun(
    @Arg('id', () => ID, { description: 'The run id.' }) id: string,
    @Arg('project', () => String, {
      description: `Name of the target project (1-${LIMITS.projectName} characters); it must exist.`,
    })
    project: string,
    @Ctx() ctx: ApiContext,
  ): Promise<RunModel> {
    const name = limits.name(project, 'project', LIMITS.projectName);
    await ctx.guard.requireRun(limits.id(id, 'id'), 'editor');
    const target = await ctx.services.project.findByName(name);
    if (!target) throw notFound('Project', name);
    await ctx.guard.requireProject(target.id, 'editor', 'Project', name);
    return ctx.services.runManagement.move(id, target);
  }

  @FieldResolver(() => Boolean, {
    description: 'True when the run is archived (archiveRun): hidden from run lists by default.',
  })
  archived(@Root() run: RunModel): boolean {
    return run.archivedAt !== null && run.archivedAt !== undefined;
  }

  @FieldResolver(() => DateTimeResolver, {
    nullable: true,
    description: 'When the run was archived; null while active.',
  })
  archivedAt(@Root() run: RunModel): Date | null {
    return run.archivedAt ?? null;
  }
}
