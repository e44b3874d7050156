// The one permission check. Every resolver and HTTP route asks this guard before it reads or
// writes; a global middleware (guard-enforcer.ts) fails any root field that forgot to.
//
// Effective role in a project = the user's membership role (admins: owner everywhere), capped
// by the API key's role and project list; anyone (signed in or not) is at least a viewer of a
// public project. A project the caller cannot read answers NOT_FOUND, as an unknown id does, so
// private names and ids do not leak.
import {
  apiError,
  badInput,
  ErrorCode,
  forbidden,
  notFound,
  unauthenticated,
} from '../common/errors';
import type { AccessRepository } from './access.repository';
import { markGuardChecked } from './guard-enforcer';
import type { Principal, UserPrincipal } from './principal';
import { minRole, parseRole, roleAtLeast, type Role } from './roles';

const SIGN_IN_HINT =
  'Sign in to the dashboard, or send an API key as "Authorization: Bearer <key>" (npm run keys -- create)';

/** Most run ids one request may name (compare, batch reads). */
export const MAX_CHECKED_IDS = 500;

/** Per-request permission checks for one caller. */
export class AccessGuard {
  private memberships?: Promise<Map<string, string>>;
  private readonly visibility = new Map<string, Promise<string | null>>();
  private readonly runProjects = new Map<string, string | null>();

  constructor(
    readonly principal: Principal,
    private readonly repo: AccessRepository,
  ) {}

  /** The signed-in user; UNAUTHENTICATED for anonymous callers. */
  requireUser(): UserPrincipal {
    markGuardChecked();
    if (this.principal.kind !== 'user')
      throw unauthenticated(`This needs a signed-in user. ${SIGN_IN_HINT}`);
    return this.principal;
  }

  /** A server admin (user management). */
  requireAdmin(): UserPrincipal {
    const user = this.requireUser();
    if (!user.isAdmin) throw forbidden('Only a server admin may do this', { required: 'admin' });
    if (user.cap && user.cap.role !== 'owner')
      throw forbidden('This API key is limited to the ' + user.cap.role + ' role', {
        required: 'admin',
      });
    return user;
  }

  /** Marks a public, credential-free operation as checked (e.g. `me`). */
  allowAnyone(): void {
    markGuardChecked();
  }

  /** The caller's effective role in a project (null: may not even read it). */
  async roleIn(projectId: string): Promise<Role | null> {
    const p = this.principal;
    let role: Role | null = null;
    if (p.kind === 'user') {
      const inScope = !p.cap?.projectIds || p.cap.projectIds.includes(projectId);
      if (inScope) {
        const base = p.isAdmin ? 'owner' : parseRole((await this.roles()).get(projectId));
        role = p.cap ? minRole(base, p.cap.role) : base;
      }
    }
    if (role === null && (await this.visibilityOf(projectId)) === 'public') role = 'viewer';
    return role;
  }

  /** Anonymous callers may only read: any write asks for a credential before anything else. */
  private refuseAnonymousWrite(need: Role): void {
    if (need !== 'viewer' && this.principal.kind === 'anonymous')
      throw unauthenticated(`Writing needs a signed-in user. ${SIGN_IN_HINT}`);
  }

  /**
   * Throws unless the caller has at least `need` in the project: NOT_FOUND when it may not read
   * the project, UNAUTHENTICATED for an anonymous write, FORBIDDEN when the role is too low.
   */
  async requireProject(
    projectId: string,
    need: Role,
    entity = 'Project',
    id = projectId,
  ): Promise<void> {
    markGuardChecked();
    this.refuseAnonymousWrite(need);
    const role = await this.roleIn(projectId);
    if (role === null) {
      if (this.principal.kind === 'anonymous' && (await this.visibilityOf(projectId)) !== null)
        throw unauthenticated(`${entity} ${id} is private. ${SIGN_IN_HINT}`);
      throw notFound(entity, id);
    }
    if (!roleAtLeast(role, need)) {
      if (this.principal.kind === 'anonymous')
        throw unauthenticated(`Writing needs a signed-in user. ${SIGN_IN_HINT}`);
      throw forbidden(`This needs the ${need} role in the project; the caller has ${role}`, {
        required: need,
        role,
      });
    }
  }

  /** Checks access to a run's project; NOT_FOUND for unknown runs. Returns the project id. */
  async requireRun(runId: string, need: Role): Promise<string> {
    markGuardChecked();
    this.refuseAnonymousWrite(need);
    const projectId = await this.projectOfRun(runId);
    if (!projectId) throw notFound('Run', runId);
    await this.requireProject(projectId, need, 'Run', runId);
    return projectId;
  }

  /** Checks every run (compare, batch reads). */
  async requireRuns(runIds: readonly string[], need: Role): Promise<void> {
    markGuardChecked();
    this.refuseAnonymousWrite(need);
    if (runIds.length > MAX_CHECKED_IDS)
      throw badInput(`At most ${MAX_CHECKED_IDS} run ids per request, got ${runIds.length}`, {
        field: 'ids',
      });
    const missing = runIds.filter((id) => !this.runProjects.has(id));
    if (missing.length) {
      const found = await this.repo.projectsOfRuns([...new Set(missing)]);
      for (const id of missing) this.runProjects.set(id, found.get(id) ?? null);
    }
    // Unknown and unreadable runs are named together, as one NOT_FOUND (as an unknown id is).
    const hidden: string[] = [];
    for (const id of new Set(runIds)) {
      const projectId = this.runProjects.get(id) ?? null;
      if (!projectId || (await this.roleIn(projectId)) === null) hidden.push(id);
    }
    if (hidden.length) {
      if (this.principal.kind === 'anonymous')
        throw unauthenticated(`Run ${hidden[0]} is private or unknown. ${SIGN_IN_HINT}`);
      throw apiError(ErrorCode.NOT_FOUND, `Run not found: ${hidden.join(', ')}`, {
        entity: 'Run',
        ids: hidden,
      });
    }
    for (const id of runIds) await this.requireRun(id, need);
  }

  /** Checks access to an explanation job through its run. */
  async requireExplanationJob(jobId: string, need: Role): Promise<void> {
    markGuardChecked();
    this.refuseAnonymousWrite(need);
    const runId = await this.repo.runOfExplanationJob(jobId);
    if (!runId) throw notFound('ExplanationJob', jobId);
    const projectId = await this.projectOfRun(runId);
    if (!projectId) throw notFound('ExplanationJob', jobId);
    await this.requireProject(projectId, need, 'ExplanationJob', jobId);
  }

  /**
   * Project ids the caller may read, or null for "every project" (an admin without a
   * project-limited key). Lists across projects filter on this.
   */
  async readableProjectIds(): Promise<string[] | null> {
    return this.projectIdsWith('viewer');
  }

  /** Project ids where the caller has at least `need` (null = all). */
  async projectIdsWith(need: Role): Promise<string[] | null> {
    markGuardChecked();
    const p = this.principal;
    const ids = new Set<string>();
    if (p.kind === 'user') {
      if (p.isAdmin && !p.cap?.projectIds && (!p.cap || roleAtLeast(p.cap.role, need))) return null;
      if (!p.cap || roleAtLeast(p.cap.role, need)) {
        const candidates = p.isAdmin ? (p.cap?.projectIds ?? []) : [...(await this.roles()).keys()];
        for (const id of candidates) if (roleAtLeast(await this.roleIn(id), need)) ids.add(id);
      }
    }
    if (need === 'viewer') for (const id of await this.repo.publicProjectIds()) ids.add(id);
    return [...ids];
  }

  /** Remembers that the caller created a project and owns it. */
  async becomeOwner(projectId: string): Promise<void> {
    const user = this.requireUser();
    if (user.cap?.projectIds)
      throw forbidden('This API key is limited to some projects and cannot create new ones');
    await this.repo.addMemberIfMissing(projectId, user.userId, 'owner');
    this.memberships = undefined;
  }

  /** Whether the caller may create a project (signed in, key not limited to some projects). */
  requireProjectCreator(): UserPrincipal {
    const user = this.requireUser();
    if (user.cap?.projectIds)
      throw forbidden('This API key is limited to some projects and cannot create new ones');
    if (user.cap && !roleAtLeast(user.cap.role, 'editor'))
      throw forbidden(`This API key is limited to the ${user.cap.role} role`);
    return user;
  }

  private roles(): Promise<Map<string, string>> {
    const p = this.principal;
    if (p.kind !== 'user') return Promise.resolve(new Map());
    this.memberships ??= this.repo.rolesOfUser(p.userId);
    return this.memberships;
  }

  private visibilityOf(projectId: string): Promise<string | null> {
    let v = this.visibility.get(projectId);
    if (!v) {
      v = this.repo.visibility(projectId);
      this.visibility.set(projectId, v);
    }
    return v;
  }

  private async projectOfRun(runId: string): Promise<string | null> {
    if (!this.runProjects.has(runId)) {
      const found = await this.repo.projectsOfRuns([runId]);
      this.runProjects.set(runId, found.get(runId) ?? null);
    }
    return this.runProjects.get(runId) ?? null;
  }
}
