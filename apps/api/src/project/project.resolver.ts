// Thin GraphQL layer for projects: validates arguments and delegates to ProjectService.
import { Arg, Args, Ctx, FieldResolver, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import { authorizeProjectWrite, precheckProjectWrite } from '../auth/project-access';
import { readable } from '../auth/readable';
import { ConnectionArgs, type ConnectionPage } from '../common/connection';
import type { ApiContext } from '../common/context';
import type { ProjectRow } from './project.repository';
import { Project, ProjectConnection } from './project.type';

/** Queries and mutations on projects. */
@Resolver(() => Project)
export class ProjectResolver {
  @Query(() => ProjectConnection, {
    description:
      'The projects the caller may read (members: theirs; anyone: the public ones; server admins: all), ' +
      'ordered by name, then id. Relay cursor pagination: first/after forward, last/before backward, ' +
      '0-500 per page, default 100.',
  })
  async projects(
    @Args(() => ConnectionArgs) args: ConnectionArgs,
    @Ctx() ctx: ApiContext,
  ): Promise<ConnectionPage<ProjectRow> & { totalCount: number }> {
    return ctx.services.project.page(await ctx.guard.readableProjectIds(), args);
  }

  @Query(() => Project, {
    nullable: true,
    description:
      'A project by name; null when no project of that name is readable by the caller (unknown or private: the same answer).',
  })
  async project(
    @Arg('name', () => String, { description: 'The project name.' }) name: string,
    @Ctx() ctx: ApiContext,
  ): Promise<Project | null> {
    ctx.guard.allowAnyone();
    const project = await ctx.services.project.findByName(name);
    if (!project || !(await readable(() => ctx.guard.requireProject(project.id, 'viewer'))))
      return null;
    return project;
  }

  @Mutation(() => Project, {
    description:
      'Creates a project owned by the caller; idempotent on name (an existing project needs the editor role).',
  })
  async createProject(
    @Arg('name', () => String, {
      description:
        'Trimmed, 1-200 characters, no control, bidirectional-control or invisible characters.',
    })
    name: string,
    @Arg('description', () => String, {
      nullable: true,
      description: 'At most 64 KiB; stored only when the project has no description yet.',
    })
    description: string | null | undefined,
    @Ctx() ctx: ApiContext,
  ): Promise<Project> {
    await precheckProjectWrite(ctx, name);
    const { project, created } = await ctx.services.project.ensureCreated(name, description);
    await authorizeProjectWrite(ctx, project, created);
    return project;
  }

  @FieldResolver(() => Int, { description: 'Runs in the project.' })
  runCount(@Root() project: Project, @Ctx() ctx: ApiContext): Promise<number> {
    return ctx.loaders.runCountByProjectId.load(project.id);
  }
}
