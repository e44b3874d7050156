// Thin GraphQL layer for runs: delegates to RunService; Run.project is batched per request.
import {
  Arg,
  Ctx,
  FieldResolver,
  Float,
  ID,
  Int,
  Mutation,
  Query,
  Resolver,
  Root,
} from 'type-graphql';
import { authorizeProjectWrite, precheckProjectWrite } from '../auth/project-access';
import { readable } from '../auth/readable';
import type { ApiContext } from '../common/context';
import { Project } from '../project/project.type';
import { FinalRunStatus, RunStatus } from './run-status';
import { CreateRunInput, RunFilter, RunOrder } from './run.input';
import { Run, RunConnection } from './run.type';
import type { RunModel } from './run.model';

/** Queries and mutations on runs. */
@Resolver(() => Run)
export class RunResolver {
  @Query(() => Run, {
    nullable: true,
    description: 'A run by id; null when unknown or not readable by the caller.',
  })
  async run(@Arg('id', () => ID) id: string, @Ctx() ctx: ApiContext): Promise<RunModel | null> {
    if (!(await readable(() => ctx.guard.requireRun(id, 'viewer')))) return null;
    return ctx.services.run.find(id);
  }

  @Query(() => RunConnection)
  async runs(
    @Arg('filter', () => RunFilter, { nullable: true }) filter: RunFilter | null | undefined,
    @Arg('first', () => Int, { nullable: true }) first: number | null | undefined,
    @Arg('after', () => String, { nullable: true }) after: string | null | undefined,
    @Arg('orderBy', () => RunOrder, { nullable: true }) orderBy: RunOrder | null | undefined,
    @Ctx() ctx: ApiContext,
  ) {
    // Across projects: only those the caller may read.
    const readableProjectIds = await ctx.guard.readableProjectIds();
    return ctx.services.run.list({ filter, first, after, orderBy, readableProjectIds });
  }

  @Mutation(() => Run)
  async createRun(
    @Arg('input', () => CreateRunInput) input: CreateRunInput,
    @Ctx() ctx: ApiContext,
  ): Promise<RunModel> {
    ctx.services.run.prepareCreate(input); // bad input is refused before any lookup
    await precheckProjectWrite(ctx, input.project);
    return ctx.services.run.create(input, {
      authorize: (project, created) => authorizeProjectWrite(ctx, project, created),
    });
  }

  @Mutation(() => Run)
  async startRun(
    @Arg('id', () => ID) id: string,
    @Arg('backend', () => String, { nullable: true }) backend: string | null | undefined,
    @Arg('backendReason', () => String, { nullable: true })
    backendReason: string | null | undefined,
    @Ctx() ctx: ApiContext,
  ): Promise<RunModel> {
    await ctx.guard.requireRun(id, 'editor');
    return ctx.services.run.start(id, backend, backendReason);
  }

  @Mutation(() => Run)
  async heartbeat(@Arg('id', () => ID) id: string, @Ctx() ctx: ApiContext): Promise<RunModel> {
    await ctx.guard.requireRun(id, 'editor');
    return ctx.services.run.heartbeat(id);
  }

  @Mutation(() => Run)
  async finishRun(
    @Arg('id', () => ID) id: string,
    @Arg('status', () => FinalRunStatus) status: FinalRunStatus,
    @Arg('error', () => String, { nullable: true }) error: string | null | undefined,
    @Ctx() ctx: ApiContext,
  ): Promise<RunModel> {
    await ctx.guard.requireRun(id, 'editor');
    return ctx.services.run.finish(
      id,
      status === FinalRunStatus.COMPLETED ? RunStatus.COMPLETED : RunStatus.FAILED,
      error,
    );
  }

  @Mutation(() => Run)
  async updateRun(
    @Arg('id', () => ID) id: string,
    @Arg('notes', () => String, { nullable: true }) notes: string | null | undefined,
    @Arg('tags', () => [String], { nullable: true }) tags: string[] | null | undefined,
    @Ctx() ctx: ApiContext,
  ): Promise<RunModel> {
    await ctx.guard.requireRun(id, 'editor');
    return ctx.services.run.update(id, notes, tags);
  }

  @FieldResolver(() => Project)
  async project(@Root() run: RunModel, @Ctx() ctx: ApiContext): Promise<Project> {
    return ctx.loaders.projectById.load(run.projectId);
  }

  @FieldResolver(() => Float, {
    nullable: true,
    description: 'endedAt (or now while running) minus startedAt.',
  })
  durationMs(@Root() run: RunModel): number | null {
    if (!run.startedAt) return null;
    return (run.endedAt ?? new Date()).getTime() - run.startedAt.getTime();
  }
}
