// Prisma access for what permission checks read and what user/key management writes outside
// better-auth: project members, project visibility, the project of a run or job, key listings.
import type { Db } from '../db/prisma';
import { ROLES, type Role } from './roles';

/** A member of a project. */
export interface MemberRow {
  projectId: string;
  userId: string;
  role: string;
  createdAt: Date;
  user: { email: string; name: string };
}

/** A user as listed to admins. */
export interface UserRow {
  id: string;
  email: string;
  name: string;
  role: string | null;
  banned: boolean | null;
  createdAt: Date;
}

/** An API key as listed (never the key, only its first characters). */
export interface ApiKeyRow {
  id: string;
  name: string | null;
  start: string | null;
  referenceId: string;
  enabled: boolean | null;
  metadata: string | null;
  lastRequest: Date | null;
  expiresAt: Date | null;
  createdAt: Date;
}

/** One page of a keyset-ordered list, as the repository reads it. */
export interface KeysetPage<K> {
  /** forward: in list order; backward: the reverse. */
  direction: 'forward' | 'backward';
  /** The sort key of the cursor's row; null = from the start (forward) or end (backward). */
  key: K | null;
  /** Rows to read (the page size plus one). */
  take: number;
}

const memberSelect = {
  projectId: true,
  userId: true,
  role: true,
  createdAt: true,
  user: { select: { email: true, name: true } },
} as const;

const userSelect = {
  id: true,
  email: true,
  name: true,
  role: true,
  banned: true,
  createdAt: true,
} as const;

const keySelect = {
  id: true,
  name: true,
  start: true,
  referenceId: true,
  enabled: true,
  metadata: true,
  lastRequest: true,
  expiresAt: true,
  createdAt: true,
} as const;

/** `?` (SQLite) or `$1..$n` (PostgreSQL) placeholders for `count` parameters. */
function placeholders(dialect: 'sqlite' | 'postgresql', count: number): string {
  return Array.from({ length: count }, (_, i) => (dialect === 'sqlite' ? '?' : `$${i + 1}`)).join(
    ', ',
  );
}

/**
 * Reads and writes memberships, visibility and the identity rows our own API lists. The reads
 * every request's permission check makes are plain SQL: a Prisma model query compiles its plan
 * on each call (about 2 ms of CPU), a raw one costs about a quarter of that.
 */
export class AccessRepository {
  constructor(
    private readonly prisma: Db,
    private readonly dialect: 'sqlite' | 'postgresql',
  ) {}

  /** Every membership of a user: projectId -> role. */
  async rolesOfUser(userId: string): Promise<Map<string, string>> {
    const rows = await this.prisma.$queryRawUnsafe<{ projectId: string; role: string }[]>(
      `SELECT "projectId", "role" FROM "ProjectMember" WHERE "userId" = ${placeholders(this.dialect, 1)}`,
      userId,
    );
    return new Map(rows.map((r) => [r.projectId, r.role]));
  }

  /** Ids of the public projects. */
  async publicProjectIds(): Promise<string[]> {
    const rows = await this.prisma.$queryRawUnsafe<{ id: string }[]>(
      `SELECT "id" FROM "Project" WHERE "visibility" = 'public'`,
    );
    return rows.map((r) => r.id);
  }

  /** Visibility of projects by id (missing ids are absent). */
  async visibilityOf(projectIds: readonly string[]): Promise<Map<string, string>> {
    if (projectIds.length === 0) return new Map();
    const rows = await this.prisma.$queryRawUnsafe<{ id: string; visibility: string }[]>(
      `SELECT "id", "visibility" FROM "Project" WHERE "id" IN (${placeholders(this.dialect, projectIds.length)})`,
      ...projectIds,
    );
    return new Map(rows.map((r) => [r.id, r.visibility]));
  }

  /** The project of each run id (missing runs are absent). */
  async projectsOfRuns(runIds: readonly string[]): Promise<Map<string, string>> {
    if (runIds.length === 0) return new Map();
    const rows = await this.prisma.$queryRawUnsafe<{ id: string; projectId: string }[]>(
      `SELECT "id", "projectId" FROM "Run" WHERE "id" IN (${placeholders(this.dialect, runIds.length)})`,
      ...runIds,
    );
    return new Map(rows.map((r) => [r.id, r.projectId]));
  }

  /** The run of an explanation job, or null. */
  async runOfExplanationJob(jobId: string): Promise<string | null> {
    const row = await this.prisma.explanationJob.findUnique({
      where: { id: jobId },
      select: { runId: true },
    });
    return row?.runId ?? null;
  }

  /** The project id of a project name, or null. */
  async projectIdByName(name: string): Promise<string | null> {
    const row = await this.prisma.project.findUnique({ where: { name }, select: { id: true } });
    return row?.id ?? null;
  }

  /** Sets (creates or changes) a member's role. */
  async setMember(projectId: string, userId: string, role: string): Promise<void> {
    await this.prisma.projectMember.upsert({
      where: { projectId_userId: { projectId, userId } },
      create: { projectId, userId, role },
      update: { role },
    });
  }

  /** Adds a member unless one exists (creators of a project become its owner). */
  async addMemberIfMissing(projectId: string, userId: string, role: string): Promise<void> {
    await this.prisma.projectMember.upsert({
      where: { projectId_userId: { projectId, userId } },
      create: { projectId, userId, role },
      update: {},
    });
  }

  /** Removes a member; false if there was none. */
  async removeMember(projectId: string, userId: string): Promise<boolean> {
    const r = await this.prisma.projectMember.deleteMany({ where: { projectId, userId } });
    return r.count > 0;
  }

  /**
   * Members of a project (at most MAX_PROJECT_MEMBERS by construction): owners, then editors,
   * then viewers, each by when they were added.
   */
  async members(projectId: string): Promise<MemberRow[]> {
    const rows = await this.prisma.projectMember.findMany({
      where: { projectId },
      select: memberSelect,
      orderBy: [{ createdAt: 'asc' }, { userId: 'asc' }],
    });
    // Role names do not sort by strength (viewer > owner > editor as text): rank them here.
    const rank = (role: string) => -ROLES.indexOf(role as Role);
    return rows.sort((a, b) => rank(a.role) - rank(b.role));
  }

  /** Number of owners of a project. */
  countOwners(projectId: string): Promise<number> {
    return this.prisma.projectMember.count({ where: { projectId, role: 'owner' } });
  }

  /** Sets a project's visibility. */
  async setVisibility(projectId: string, visibility: string): Promise<void> {
    await this.prisma.project.update({ where: { id: projectId }, data: { visibility } });
  }

  /** Visibility of one project. */
  async visibility(projectId: string): Promise<string | null> {
    const [row] = await this.prisma.$queryRawUnsafe<{ visibility: string }[]>(
      `SELECT "visibility" FROM "Project" WHERE "id" = ${placeholders(this.dialect, 1)}`,
      projectId,
    );
    return row?.visibility ?? null;
  }

  /** Users by email (case-insensitive match is done by the caller: emails are stored lower-case). */
  userByEmail(email: string): Promise<UserRow | null> {
    return this.prisma.user.findUnique({ where: { email }, select: userSelect });
  }

  /** A user by id. */
  userById(id: string): Promise<UserRow | null> {
    return this.prisma.user.findUnique({ where: { id }, select: userSelect });
  }

  /** A page of users by email. */
  users(first: number, afterEmail: string | null): Promise<UserRow[]> {
    return this.prisma.user.findMany({
      where: afterEmail ? { email: { gt: afterEmail } } : {},
      select: userSelect,
      orderBy: { email: 'asc' },
      take: first,
    });
  }

  /**
   * One page of users in walking order (by e-mail then id forward, the reverse backward): the
   * rows strictly past the cursor's (email, id).
   */
  usersPage(page: KeysetPage<[string, string]>): Promise<UserRow[]> {
    if (page.take <= 0) return Promise.resolve([]);
    const forward = page.direction === 'forward';
    const order = forward ? ('asc' as const) : ('desc' as const);
    const [email, id] = page.key ?? ['', ''];
    // (email, id) > (cursor email, cursor id), written out for SQLite and PostgreSQL alike.
    const keyset = page.key
      ? {
          OR: [
            { email: forward ? { gt: email } : { lt: email } },
            { email, id: forward ? { gt: id } : { lt: id } },
          ],
        }
      : {};
    return this.prisma.user.findMany({
      where: keyset,
      select: userSelect,
      orderBy: [{ email: order }, { id: order }],
      take: page.take,
    });
  }

  /** Number of users. */
  countUsers(): Promise<number> {
    return this.prisma.user.count();
  }

  /** Number of server admins. */
  countAdmins(): Promise<number> {
    return this.prisma.user.count({ where: { role: 'admin' } });
  }

  /** The first admin, by creation. */
  firstAdmin(): Promise<UserRow | null> {
    return this.prisma.user.findFirst({
      where: { role: 'admin' },
      select: userSelect,
      orderBy: { createdAt: 'asc' },
    });
  }

  /** API keys of one user (or of everyone when userId is null), newest first. */
  apiKeys(userId: string | null): Promise<ApiKeyRow[]> {
    return this.prisma.apikey.findMany({
      where: userId ? { referenceId: userId } : {},
      select: keySelect,
      orderBy: { createdAt: 'desc' },
      take: 500,
    });
  }

  /**
   * One page of the API keys of one user (or of everyone when userId is null) in walking order
   * (newest first forward: createdAt desc, id desc; the reverse backward): the rows strictly
   * past the cursor's (createdAt in ms, id).
   */
  apiKeysPage(userId: string | null, page: KeysetPage<[number, string]>): Promise<ApiKeyRow[]> {
    if (page.take <= 0) return Promise.resolve([]);
    const forward = page.direction === 'forward';
    const order = forward ? ('desc' as const) : ('asc' as const);
    let keyset = {};
    if (page.key) {
      const createdAt = new Date(page.key[0]);
      const id = page.key[1];
      keyset = {
        OR: [
          { createdAt: forward ? { lt: createdAt } : { gt: createdAt } },
          { createdAt, id: forward ? { lt: id } : { gt: id } },
        ],
      };
    }
    return this.prisma.apikey.findMany({
      where: { ...(userId ? { referenceId: userId } : {}), ...keyset },
      select: keySelect,
      orderBy: [{ createdAt: order }, { id: order }],
      take: page.take,
    });
  }

  /** Number of API keys of one user (or of everyone when userId is null). */
  countApiKeys(userId: string | null): Promise<number> {
    return this.prisma.apikey.count({ where: userId ? { referenceId: userId } : {} });
  }

  /** One API key by id. */
  apiKey(id: string): Promise<ApiKeyRow | null> {
    return this.prisma.apikey.findUnique({ where: { id }, select: keySelect });
  }
}
