// Thin GraphQL layer for identity: the caller, users (admins), API keys (own; admins all),
// project members and visibility (owners). Checks with the guard, then delegates.
import { Arg, Args, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import { ConnectionArgs, type ConnectionPage } from '../common/connection';
import type { ApiContext } from '../common/context';
import { badInput, notFound } from '../common/errors';
import { Project } from '../project/project.type';
import type { ApiKeyRow, MemberRow, UserRow } from './access.repository';
import {
  ApiKey,
  ApiKeyConnection,
  CreateApiKeyInput,
  CreatedApiKey,
  CreateUserInput,
  ProjectMember,
  ProjectRole,
  ProjectVisibility,
  User,
  UserConnection,
  Viewer,
} from './identity.type';
import { MAX_PROJECT_MEMBERS, type CountedPage } from './identity.service';
import { parseKeyCap } from './roles';

/** A page with its nodes mapped to their GraphQL shape (cursors unchanged). */
function mapPage<R, T>(
  page: CountedPage<R>,
  to: (row: R) => T,
): ConnectionPage<T> & {
  totalCount: number;
} {
  return {
    ...page,
    edges: page.edges.map((e) => ({ cursor: e.cursor, node: to(e.node) })),
    nodes: page.nodes.map(to),
  };
}

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

  @Query(() => UserConnection, {
    description:
      'The user accounts (server admins only), ordered by e-mail, then id. Relay cursor pagination: ' +
      'first/after forward, last/before backward, 0-500 per page, default 100.',
  })
  async users(
    @Args(() => ConnectionArgs) args: ConnectionArgs,
    @Ctx() ctx: ApiContext,
  ): Promise<ConnectionPage<User> & { totalCount: number }> {
    ctx.guard.requireAdmin();
    return mapPage(await ctx.services.identity.userPage(args), toUser);
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

  @Query(() => ApiKeyConnection, {
    description:
      "The caller's API keys, revoked ones included; `all: true` lists every user's (server admins). " +
      'Newest first (createdAt, then id, descending). Relay cursor pagination: first/after forward, ' +
      'last/before backward, 0-500 per page, default 100.',
  })
  async apiKeys(
    @Arg('all', () => Boolean, {
      nullable: true,
      description: "True: every user's keys (server admins only); default: the caller's.",
    })
    all: boolean | null | undefined,
    @Args(() => ConnectionArgs) args: ConnectionArgs,
    @Ctx() ctx: ApiContext,
  ): Promise<ConnectionPage<ApiKey> & { totalCount: number }> {
    const user = all ? ctx.guard.requireAdmin() : ctx.guard.requireUser();
    const page = await ctx.services.identity.apiKeyPage(all ? null : user.userId, args);
    return mapPage(page, toApiKey);
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
    description:
      "Sets a user's role in a project, adding them if needed (project owners; at most " +
      `${MAX_PROJECT_MEMBERS} members, BAD_USER_INPUT beyond). Answers the project's members afterwards, as Project.members lists them.`,
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
    description:
      "Removes a member from a project (project owners; the last owner stays). Answers the project's members afterwards, as Project.members lists them.",
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
    description:
      'Members and their roles (visible to members and server admins; empty for anyone else): owners, ' +
      `then editors, then viewers, each by when they were added. Bounded: a project has at most ${MAX_PROJECT_MEMBERS} members.`,
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
