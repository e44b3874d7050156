// Thin GraphQL layer for saved runs-table views: checks the project role, delegates to the service.
import { Arg, Ctx, ID, Mutation, Query, Resolver } from 'type-graphql';
import type { Role } from '../auth/roles';
import { notFound } from '../common/errors';
import type { ApiContext } from '../common/context';
import type { SavedViewResult } from './saved-view.service';
import { SaveViewInput } from './saved-view.input';
import { SavedView } from './saved-view.type';

/** The id of the project called `name` once the caller has `need` in it (NOT_FOUND otherwise). */
async function projectWith(ctx: ApiContext, name: string, need: Role): Promise<string> {
  ctx.guard.allowAnyone();
  const project = await ctx.services.project.findByName(name);
  if (!project) throw notFound('Project', name);
  await ctx.guard.requireProject(project.id, need, 'Project', name);
  return project.id;
}

/** Queries and mutations on saved views. */
@Resolver(() => SavedView)
export class SavedViewResolver {
  @Query(() => [SavedView], {
    description:
      'The saved views of a project, by name (at most 100: a project holds no more). Needs the viewer role; an unknown or unreadable project fails with NOT_FOUND.',
  })
  async savedViews(
    @Arg('project', () => String, { description: 'The project name.' }) project: string,
    @Ctx() ctx: ApiContext,
  ): Promise<SavedViewResult[]> {
    return ctx.services.savedView.list(await projectWith(ctx, project, 'viewer'));
  }

  @Mutation(() => SavedView, {
    description:
      "Saves a view of a project's runs table (editor role), replacing the state of a view of the same name. A new view beyond 100 in the project, a bad name or a bad state fail with BAD_USER_INPUT.",
  })
  async saveView(
    @Arg('input', () => SaveViewInput, { description: 'Project, name and state of the view.' })
    input: SaveViewInput,
    @Ctx() ctx: ApiContext,
  ): Promise<SavedViewResult> {
    // Anonymous callers are refused before any lookup, whatever the project name.
    const user = ctx.guard.requireUser();
    const projectId = await projectWith(ctx, input.project, 'editor');
    return ctx.services.savedView.save(projectId, input, user.userId);
  }

  @Mutation(() => SavedView, {
    description:
      'Deletes a saved view (editor role in its project) and returns it as it was. An unknown or unreadable id fails with NOT_FOUND naming it.',
  })
  async deleteView(
    @Arg('id', () => ID, { description: 'The view id.' }) id: string,
    @Ctx() ctx: ApiContext,
  ): Promise<SavedViewResult> {
    ctx.guard.requireUser();
    const view = await ctx.services.savedView.find(id);
    if (!view) throw notFound('SavedView', id);
    await ctx.guard.requireProject(view.projectId, 'editor', 'SavedView', id);
    const deleted = await ctx.services.savedView.delete(id);
    if (!deleted) throw notFound('SavedView', id);
    return deleted;
  }
}
