// Writing into a project named by a client (createRun, createProject): an existing project needs
// the editor role; a new one is owned by the caller who created it.
import type { ApiContext } from '../common/context';
import type { ProjectRow } from '../project/project.repository';

/**
 * Checks a project that a request just found or created (RunService.create's authorize hook):
 * only the request that created it becomes owner; anyone else needs the editor role.
 */
export async function authorizeProjectWrite(
  ctx: ApiContext,
  project: ProjectRow,
  created: boolean,
): Promise<void> {
  if (created) await ctx.guard.becomeOwner(project.id);
  else await ctx.guard.requireProject(project.id, 'editor', 'Project', project.name);
}

/** Checks before creating: a signed-in caller, allowed to create projects if `name` is new. */
export async function precheckProjectWrite(ctx: ApiContext, name: string): Promise<void> {
  ctx.guard.requireUser();
  const existing = await ctx.services.project.findByName(name.trim());
  if (existing) await ctx.guard.requireProject(existing.id, 'editor', 'Project', existing.name);
  else ctx.guard.requireProjectCreator();
}
