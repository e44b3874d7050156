// GET /live/events: a server-sent-event stream of change notices for the dashboard. Plain SSE
// on express rather than GraphQL subscriptions: the notices carry ids only and the dashboard
// re-reads through its existing typed queries, so no subscription schema, PubSub or client
// library is needed; EventSource reconnects by itself and goes through the dashboard's
// same-origin rewrite like any GET.
import { Router, type Request, type Response } from 'express';
import { z } from 'zod';
import { AccessGuard } from '../auth/access.guard';
import type { AccessRepository } from '../auth/access.repository';
import { guardOf, principalOf } from '../auth/http-guard';
import type { Principal } from '../auth/principal';
import { badInput, notFound } from '../common/errors';
import { HttpProblem, sendHttpError } from '../common/http-errors';
import type { ProjectService } from '../project/project.service';
import type { LiveHub, StreamFilter } from './live-hub';

const scopeSchema = z
  .object({
    project: z.string().min(1).max(200).optional(),
    run: z.string().min(1).max(100).optional(),
  })
  .strict()
  .refine((s) => !(s.project && s.run), { message: 'give project or run, not both' });

/** Who the stream budget counts: the user (whatever their session or key), or the address. */
function principalKeyOf(principal: Principal, req: Request): string {
  return principal.kind === 'user' ? `user:${principal.userId}` : `anon:${req.ip ?? '?'}`;
}

/**
 * Whether the caller may read a project's events, decided once per project and stream (a fresh
 * guard: memberships granted after the stream opened count). A revoked membership shows on
 * the next reconnect, at the latest after the stream's maximum age.
 */
function projectCheck(principal: Principal, access: AccessRepository) {
  const decided = new Map<string, Promise<boolean>>();
  return (projectId: string): boolean | Promise<boolean> => {
    let verdict = decided.get(projectId);
    if (!verdict) {
      verdict = new AccessGuard(principal, access).roleIn(projectId).then((role) => role !== null);
      if (decided.size > 1000) decided.clear();
      decided.set(projectId, verdict);
    }
    return verdict;
  };
}

/** The stream's filter after checking its scope (404 for a project or run the caller may not read). */
async function filterFor(
  req: Request,
  res: Response,
  deps: { projects: ProjectService; access: AccessRepository },
): Promise<StreamFilter> {
  const parsed = scopeSchema.safeParse(req.query);
  if (!parsed.success)
    throw badInput(
      `Bad live stream scope: ${parsed.error.issues.map((i) => `${i.path.join('.') || 'query'}: ${i.message}`).join('; ')}`,
      { field: 'query' },
    );
  const guard = guardOf(res);
  const principal = principalOf(res);
  const { project, run } = parsed.data;
  if (run) {
    await guard.requireRun(run, 'viewer');
    return (e) => e.runId === run;
  }
  if (project) {
    const row = await deps.projects.findByName(project);
    if (!row) throw notFound('Project', project);
    await guard.requireProject(row.id, 'viewer', 'Project', project);
    return (e) => e.projectId === row.id;
  }
  // Every project the caller may read; queue notices without a project go to signed-in users.
  guard.allowAnyone();
  const may = projectCheck(principal, deps.access);
  return (e) => (e.projectId === null ? principal.kind === 'user' : may(e.projectId));
}

/** Express router of the live stream. */
export function liveRoutes(
  hub: LiveHub,
  deps: { projects: ProjectService; access: AccessRepository },
): Router {
  const router = Router();
  router.get('/live/events', async (req: Request, res: Response) => {
    try {
      const accepts = await filterFor(req, res, deps);
      const key = principalKeyOf(principalOf(res), req);
      const refused = hub.refusal(key);
      if (refused) {
        res.setHeader('Retry-After', '30');
        throw new HttpProblem(429, 'TOO_MANY_STREAMS', refused, {
          limit: hub.limits.maxStreamsPerPrincipal,
        });
      }
      hub.open(req, res, key, accepts);
    } catch (err) {
      sendHttpError(res, err, 'live stream');
    }
  });
  return router;
}
