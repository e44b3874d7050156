// Thin GraphQL layer for identity: the caller, users (admins), API keys (own; admins all),
// project members and visibility (owners). Checks with the guard, then delegates.
import { Arg, Ctx, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { ApiContext } from '../common/context';
import { badInput, notFound } from '../common/errors';
import { Project } from '../project/project.type';
import type { ApiKeyRow, MemberRow, UserRow } from './access.repository';
import {
  ApiKey,
  CreateApiKeyInput,
  CreatedApiKey,
  CreateUserInput,
  ProjectMember,
  ProjectRole,
  ProjectVisibility,
  User,
  Viewer,
} from './identity.type';
import { parseKeyCap } from './roles';

function toUser(row: UserRow): User {
  return {
    id: row.id,
    email: row.email,
    name: row.name,
    isAdmin: row.role === 'admin',
    createdAt: row.createdAt,
  };
}

function toApiKey(row: ApiKeyRow): ApiKey {
  const cap = parseKeyCap(row.metadata);
  return {
    id: row.id,
    name: row.name,
    start: row.start,
    userId: row.referenceId,
    role: cap.role as ProjectRole,
    projectIds: cap.projectIds,
    enabled: row.enabled !== false,
    lastUsedAt: row.lastRequest,
    expiresAt: row.expiresAt,
    createdAt: row.createdAt,
  };
}

function toMember(row: MemberRow): ProjectMember {
  return {
    userId: row.userId,
    email: row.user.email,
    name: row.user.name,
    role: row.role as ProjectRole,
    since: row.createdAt,
  };
}

/** Resolves a project name the caller may act on with `need`, or fails like the guard. */
async function projectId(ctx: ApiContext, name: string, need: 'viewer' | 'owner'): Promise<string> {
  const project = await ctx.services.project.findByName(name);
  if (!project) {
    ctx.guard.allowAnyone();
    throw notFound('Project', name);
  }
  await ctx.guard.requireProject(project.id, need, 'Project', name);
  return project.id;
}

/** Identity queries and mutations. */
@Resolver()
export class IdentityResolver {
  @Query(() => Viewer, {
    nullable: true,
    description: 'The caller: null when not signed in and no API key was sent.',
  })
  me(@Ctx() ctx: ApiContext): Viewer | null {
    ctx.guard.allowAnyone();
    const p = ctx.guard.principal;
    if (p.kind !== 'user') return null;
    return {
      id: p.userId,
      email: p.email,
      name: p.name,
      isAdmin: p.isAdmin,
      via: p.via,
      keyId: p.keyId,
      keyRole: (p.cap?.role as ProjectRole | undefined) ?? null,
    };
  }

  @Query(() => [User], {
    description:
      'Users by e-mail (server admins only). `first` 1-500 (default 100), `after` an e-mail.',
  })
  async users(
    @Arg('first', () => Int, {
      nullable: true,
      description: 'Users to return, 1-500 (default 100).',
    })
    first: number | null | undefined,
    @Arg('after', () => String, {
      nullable: true,
      description: 'Return users whose e-mail sorts after this one.',
    })
    after: string | null | undefined,
    @Ctx() ctx: ApiContext,
  ): Promise<User[]> {
    ctx.guard.requireAdmin();
    return (await ctx.services.identity.users(first ?? 100, after ?? null)).map(toUser);
  }

  @Mutation(() => User, { description: 'Creates a user (server admins only).' })
  async createUser(
    @Arg('input', () => CreateUserInput, { description: 'The new user.' }) input: CreateUserInput,
    @Ctx() ctx: ApiContext,
  ): Promise<User> {
    ctx.guard.requireAdmin();
    return toUser(await ctx.services.identity.createUser(input));
  }

  @Mutation(() => User, {
    description: 'Makes a user a server admin or not (server admins only; the last admin stays).',
  })
  async setUserAdmin(
    @Arg('userId', () => ID, { description: 'The user (unknown: NOT_FOUND).' }) userId: string,
    @Arg('admin', () => Boolean, { description: 'True: make admin; false: remove admin.' })
    admin: boolean,
    @Ctx() ctx: ApiContext,
  ): Promise<User> {
    ctx.guard.requireAdmin();
    return toUser(await ctx.services.identity.setAdmin(userId, admin));
  }

  @Mutation(() => String, {
    description:
      'A one-time dashboard login link for a user, valid 15 minutes (server admins only).',
  })
  createLoginLink(
    @Arg('email', () => String, { description: "The user's e-mail address." }) email: string,
    @Ctx() ctx: ApiContext,
  ): Promise<string> {
    ctx.guard.requireAdmin();
    return ctx.services.identity.loginLink(email);
  }

  @Query(() => [ApiKey], {
    description:
      "The caller's API keys (newest first, at most 500); `all: true` lists every user's (server admins).",
  })
  async apiKeys(
    @Arg('all', () => Boolean, {
      nullable: true,
      description: "True: every user's keys (server admins only); default: the caller's.",
    })
    all: boolean | null | undefined,
    @Ctx() ctx: ApiContext,
  ): Promise<ApiKey[]> {
    const user = all ? ctx.guard.requireAdmin() : ctx.guard.requireUser();
    return (await ctx.services.identity.listApiKeys(all ? null : user.userId)).map(toApiKey);
  }

  @Mutation(() => CreatedApiKey, {
    description:
      'Creates an API key for the caller. The secret is in the answer only; it is stored hashed.',
  })
  async createApiKey(
    @Arg('input', () => CreateApiKeyInput, { description: 'The new key.' })
    input: CreateApiKeyInput,
    @Ctx() ctx: ApiContext,
  ): Promise<CreatedApiKey> {
    const user = ctx.guard.requireUser();
    // A key never gets more than the key that creates it.
    if (user.cap && user.cap.role !== 'owner')
      throw badInput('A limited API key cannot create keys; sign in or use an owner key', {
        field: 'input',
      });
    let projectIds: string[] | null = null;
    if (input.projects) {
      projectIds = [];
      for (const name of input.projects.slice(0, 101))
        projectIds.push(await projectId(ctx, name, 'viewer'));
    }
    const created = await ctx.services.identity.createApiKey({
      userId: user.userId,
      name: input.name,
      role: input.role,
      projectIds,
      expiresInDays: input.expiresInDays,
    });
    return { key: created.key, apiKey: toApiKey(created.apiKey) };
  }

  @Mutation(() => ApiKey, {
    description:
      'Revokes an API key of the caller (admins: any key). Takes effect within 10 s on every API instance.',
  })
  async revokeApiKey(
    @Arg('id', () => ID, { description: 'The key id (unknown: NOT_FOUND).' }) id: string,
    @Ctx() ctx: ApiContext,
  ): Promise<ApiKey> {
    const user = ctx.guard.requireUser();
    return toApiKey(await ctx.services.identity.revokeApiKey(id, user));
  }

  @Mutation(() => [ProjectMember], {
    description: "Sets a user's role in a project, adding them if needed (project owners).",
  })
  async setProjectMember(
    @Arg('project', () => String, { description: 'The project name.' }) project: string,
    @Arg('email', () => String, { description: "The user's e-mail address." }) email: string,
    @Arg('role', () => ProjectRole, { description: 'The role to give.' }) role: ProjectRole,
    @Ctx() ctx: ApiContext,
  ): Promise<ProjectMember[]> {
    const id = await projectId(ctx, project, 'owner');
    return (await ctx.services.identity.setMember(id, email, role)).map(toMember);
  }

  @Mutation(() => [ProjectMember], {
    description: 'Removes a member from a project (project owners; the last owner stays).',
  })
  async removeProjectMember(
    @Arg('project', () => String, { description: 'The project name.' }) project: string,
    @Arg('email', () => String, { description: "The member's e-mail address." }) email: string,
    @Ctx() ctx: ApiContext,
  ): Promise<ProjectMember[]> {
    const id = await projectId(ctx, project, 'owner');
    return (await ctx.services.identity.removeMember(id, email)).map(toMember);
  }

  @Mutation(() => Project, {
    description: 'Makes a project public-readable or private (project owners).',
  })
  async setProjectVisibility(
    @Arg('project', () => String, { description: 'The project name.' }) project: string,
    @Arg('visibility', () => ProjectVisibility, { description: 'Who may read it from now on.' })
    visibility: ProjectVisibility,
    @Ctx() ctx: ApiContext,
  ): Promise<Project> {
    const id = await projectId(ctx, project, 'owner');
    await ctx.services.identity.setVisibility(id, visibility);
    const row = await ctx.services.project.findByName(project);
    if (!row) throw notFound('Project', project);
    return row;
  }
}

/** Access fields of Project. */
@Resolver(() => Project)
export class ProjectAccessResolver {
  @FieldResolver(() => ProjectRole, {
    nullable: true,
    description:
      "The caller's role in the project (viewer for public projects; null never appears for a project you can read).",
  })
  myRole(@Root() project: Project, @Ctx() ctx: ApiContext): Promise<ProjectRole | null> {
    return ctx.guard.roleIn(project.id) as Promise<ProjectRole | null>;
  }

  @FieldResolver(() => [ProjectMember], {
    description: 'Members and their roles (visible to members and admins).',
  })
  async members(@Root() project: Project, @Ctx() ctx: ApiContext): Promise<ProjectMember[]> {
    const p = ctx.guard.principal;
    if (p.kind !== 'user') return [];
    const members = await ctx.services.identity.members(project.id);
    // Readers of a public project who are not members see no list: e-mails are for its people.
    if (!p.isAdmin && !members.some((m) => m.userId === p.userId)) return [];
    return members.map(toMember);
  }
}
