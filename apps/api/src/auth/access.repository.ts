// Prisma access for what permission checks read and what user/key management writes outside
// better-auth: project members, project visibility, the project of a run or job, key listings.
import type { Db } from '../db/prisma';

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

/** Reads and writes memberships, visibility and the identity rows our own API lists. */
export class AccessRepository {
  constructor(private readonly prisma: Db) {}

  /** Every membership of a user: projectId -> role. */
  async rolesOfUser(userId: string): Promise<Map<string, string>> {
    const rows = await this.prisma.projectMember.findMany({
      where: { userId },
      select: { projectId: true, role: true },
    });
    return new Map(rows.map((r) => [r.projectId, r.role]));
  }

  /** Ids of the public projects. */
  async publicProjectIds(): Promise<string[]> {
    const rows = await this.prisma.project.findMany({
      where: { visibility: 'public' },
      select: { id: true },
    });
    return rows.map((r) => r.id);
  }

  /** Visibility of projects by id (missing ids are absent). */
  async visibilityOf(projectIds: readonly string[]): Promise<Map<string, string>> {
    const rows = await this.prisma.project.findMany({
      where: { id: { in: [...projectIds] } },
      select: { id: true, visibility: true },
    });
    return new Map(rows.map((r) => [r.id, r.visibility]));
  }

  /** The project of each run id (missing runs are absent). */
  async projectsOfRuns(runIds: readonly string[]): Promise<Map<string, string>> {
    const rows = await this.prisma.run.findMany({
      where: { id: { in: [...runIds] } },
      select: { id: true, projectId: true },
    });
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

  /** Members of a project, owners first. */
  members(projectId: string): Promise<MemberRow[]> {
    return this.prisma.projectMember.findMany({
      where: { projectId },
      select: memberSelect,
      orderBy: [{ role: 'desc' }, { createdAt: 'asc' }],
    });
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
    const row = await this.prisma.project.findUnique({
      where: { id: projectId },
      select: { visibility: true },
    });
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

  /** Number of users. */
  countUsers(): Promise<number> {
    return this.prisma.user.count();
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

  /** One API key by id. */
  apiKey(id: string): Promise<ApiKeyRow | null> {
    return this.prisma.apikey.findUnique({ where: { id }, select: keySelect });
  }
}
