// Thin GraphQL layer for projects: validates arguments and delegates to ProjectService.
import { Arg, Ctx, FieldResolver, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { ApiContext } from '../common/context.js';
import { Project } from './project.type.js';

/** Queries and mutations on projects. */
@Resolver(() => Project)
export class ProjectResolver {
  @Query(() => [Project])
  projects(@Ctx() ctx: ApiContext): Promise<Project[]> {
    return ctx.services.project.list();
  }

  @Query(() => Project, { nullable: true })
  project(
    @Arg('name', () => String) name: string,
    @Ctx() ctx: ApiContext,
  ): Promise<Project | null> {
    return ctx.services.project.findByName(name);
  }

  @Mutation(() => Project, { description: 'Idempotent on name.' })
  createProject(
    @Arg('name', () => String) name: string,
    @Arg('description', () => String, { nullable: true }) description: string | null | undefined,
    @Ctx() ctx: ApiContext,
  ): Promise<Project> {
    return ctx.services.project.ensure(name, description);
  }

  @FieldResolver(() => Int)
  runCount(@Root() project: Project, @Ctx() ctx: ApiContext): Promise<number> {
    return ctx.loaders.runCountByProjectId.load(project.id);
  }
}
