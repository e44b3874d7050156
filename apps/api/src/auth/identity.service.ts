// Users, API keys, project members and login links: the rules around better-auth's primitives.
// Callers (resolvers, the keys CLI, server start-up) check permissions with the AccessGuard
// first; this service checks the inputs.
import { randomBytes } from 'node:crypto';
import { displayNameSchema, emailSchema, expiresInDaysSchema } from '@convscope/schemas';
import type { output, ZodType } from 'zod';
import { badInput, forbidden, notFound } from '../common/errors';
import {
  encodeKeyset,
  pageRequest,
  toConnection,
  type ConnectionPage,
  type KeyValue,
  type PageArgs,
  type PageLimits,
  type PageRequest,
} from '../common/keyset';
import type { ApiKeyRow, AccessRepository, MemberRow, UserRow } from './access.repository';
import type { Auth } from './auth';
import { parseRole, type KeyCap, type Role } from './roles';

/** Page sizes and cursor kind of Query.users. */
export const USER_PAGES: PageLimits = { kind: 'user:email', defaultSize: 100, maxSize: 500 };

/** Page sizes and cursor kind of Query.apiKeys. */
export const API_KEY_PAGES: PageLimits = {
  kind: 'apiKey:createdAt',
  defaultSize: 100,
  maxSize: 500,
};

/** Most members a project may have (Project.members and the member mutations list them all). */
export const MAX_PROJECT_MEMBERS = 500;

/** A page of a connection with the number of items over all pages. */
export type CountedPage<T> = ConnectionPage<T> & { totalCount: number };

/** The cursor's key checked against the shape `is` (one type check per column). */
function keyOf<K extends KeyValue[]>(
  request: PageRequest,
  field: string,
  is: readonly ((v: KeyValue) => boolean)[],
): K | null {
  const { key } = request;
  if (key !== null && (key.length !== is.length || !key.every((v, i) => is[i]?.(v))))
    throw badInput(`Invalid cursor: not a cursor of ${field}`, {
      field: request.direction === 'forward' ? 'after' : 'before',
    });
  return key as K | null;
}

const isString = (v: KeyValue) => typeof v === 'string';
const isInteger = (v: KeyValue) => Number.isInteger(v);

/** E-mail of the owner account created on first start. */
export const OWNER_EMAIL = 'owner@convscope.local';

/** A newly created key: the secret is returned this once and never stored. */
export interface CreatedApiKey {
  key: string;
  apiKey: ApiKeyRow;
}

/** What createApiKey takes. */
export interface CreateApiKeyData {
  userId: string;
  name: string;
  role: Role;
  /** Project ids the key is limited to (null = every project of the user). */
  projectIds: string[] | null;
  /** Expiry in days (null = never). */
  expiresInDays?: number | null;
}

/** The value `schema` makes of `value`, or BAD_USER_INPUT with its message (shared with the dashboard's forms). */
function checked<T extends ZodType>(schema: T, value: unknown, field: string): output<T> {
  const r = schema.safeParse(value);
  if (r.success) return r.data;
  throw badInput(r.error.issues[0]?.message ?? `invalid ${field}`, { field });
}

const cleanEmail = (email: string): string => checked(emailSchema, email, 'email');

const cleanName = (name: string, field: string): string =>
  checked(displayNameSchema(field), name, field);

/** Users, keys, members and login links. */
export class IdentityService {
  constructor(
    private readonly auth: Auth,
    private readonly repo: AccessRepository,
  ) {}

  /** Creates a user (admin only: the caller checked). */
  async createUser(input: {
    email: string;
    name: string;
    password?: string | null;
    admin?: boolean | null;
  }): Promise<UserRow> {
    const email = cleanEmail(input.email);
    const name = cleanName(input.name, 'name');
    if (await this.repo.userByEmail(email))
      throw badInput(`A user with e-mail ${email} exists`, { field: 'email' });
    const password = input.password ?? randomBytes(24).toString('base64url');
    if (password.length < 10 || password.length > 128)
      throw badInput('password must be 10-128 characters', { field: 'password' });
    const created = await this.auth.api.createUser({
      body: { email, name, password, role: input.admin ? 'admin' : 'user' },
    });
    const row = await this.repo.userById(created.user.id);
    if (!row) throw notFound('User', created.user.id);
    return row;
  }

  /** Makes a user a server admin or not; the last admin cannot be demoted. */
  async setAdmin(userId: string, admin: boolean): Promise<UserRow> {
    const user = await this.repo.userById(userId);
    if (!user) throw notFound('User', userId);
    if (!admin && user.role === 'admin') {
      if ((await this.repo.countAdmins()) <= 1)
        throw badInput('The last admin cannot be demoted', { field: 'admin' });
    }
    // better-auth's setRole endpoint wants the calling admin's session headers ("Headers is
    // required"); the resolver has checked the caller, so update the user directly.
    const ctx = await this.auth.$context;
    await ctx.internalAdapter.updateUser(userId, { role: admin ? 'admin' : 'user' });
    return (await this.repo.userById(userId)) as UserRow;
  }

  /** The owner account, created on first start with a random password (sign-in is by link). */
  async ensureOwner(): Promise<UserRow> {
    const existing = await this.repo.firstAdmin();
    if (existing) return existing;
    return this.createUser({ email: OWNER_EMAIL, name: 'Owner', admin: true });
  }

  /** A one-time dashboard login link for a user (valid 15 minutes). */
  async loginLink(email: string, callbackPath = '/'): Promise<string> {
    const clean = cleanEmail(email);
    if (!(await this.repo.userByEmail(clean))) throw notFound('User', clean);
    let link: string | null = null;
    const previous = this.pendingLink;
    this.pendingLink = (l) => {
      if (l.email === clean) link = l.url;
    };
    try {
      await this.auth.api.signInMagicLink({
        body: { email: clean, callbackURL: callbackPath },
        headers: new Headers(),
      });
    } finally {
      this.pendingLink = previous;
    }
    if (!link) throw new Error('better-auth produced no login link');
    return link;
  }

  /** Called after a revocation (this instance forgets its cached keys at once). */
  onKeyRevoked: (() => void) | null = null;

  /** Receives links produced by better-auth (wired to AuthOptions.onLoginLink). */
  pendingLink: ((l: { email: string; url: string }) => void) | null = null;

  /** Creates an API key; the secret is in the result only. */
  async createApiKey(data: CreateApiKeyData): Promise<CreatedApiKey> {
    const name = cleanName(data.name, 'name');
    const days = checked(expiresInDaysSchema, data.expiresInDays, 'expiresInDays') ?? null;
    if (data.projectIds && data.projectIds.length > 100)
      throw badInput('A key may be limited to at most 100 projects', { field: 'projects' });
    const cap: KeyCap = { role: data.role, projectIds: data.projectIds };
    const created = await this.auth.api.createApiKey({
      body: {
        name,
        userId: data.userId,
        metadata: cap,
        expiresIn: days === null ? null : days * 86_400,
      },
    });
    const row = await this.repo.apiKey(created.id);
    if (!row) throw notFound('ApiKey', created.id);
    return { key: created.key, apiKey: row };
  }

  /** Revokes a key (disabled, kept for the record). Only its user or an admin (caller checks). */
  async revokeApiKey(id: string, by: { userId: string; isAdmin: boolean }): Promise<ApiKeyRow> {
    const row = await this.repo.apiKey(id);
    if (!row || (row.referenceId !== by.userId && !by.isAdmin)) throw notFound('ApiKey', id);
    await this.auth.api.updateApiKey({
      body: { keyId: id, userId: row.referenceId, enabled: false },
    });
    this.onKeyRevoked?.();
    return (await this.repo.apiKey(id)) as ApiKeyRow;
  }

  /** Keys of a user, or of everyone (admins). */
  listApiKeys(userId: string | null): Promise<ApiKeyRow[]> {
    return this.repo.apiKeys(userId);
  }

  /**
   * One page of the API keys of a user (null: everyone's), newest first (createdAt desc, id
   * desc), with their number.
   * @throws BAD_USER_INPUT for bad page arguments or a cursor Query.apiKeys did not return
   */
  async apiKeyPage(userId: string | null, args: PageArgs): Promise<CountedPage<ApiKeyRow>> {
    const request = pageRequest(args, API_KEY_PAGES);
    const key = keyOf<[number, string]>(request, 'Query.apiKeys', [isInteger, isString]);
    const [rows, totalCount] = await Promise.all([
      this.repo.apiKeysPage(userId, { direction: request.direction, key, take: request.size + 1 }),
      this.repo.countApiKeys(userId),
    ]);
    const page = toConnection(rows, request, (k) =>
      encodeKeyset(API_KEY_PAGES.kind, [k.createdAt.getTime(), k.id]),
    );
    return { ...page, totalCount };
  }

  /**
   * One page of the users by e-mail, then id, with their number.
   * @throws BAD_USER_INPUT for bad page arguments or a cursor Query.users did not return
   */
  async userPage(args: PageArgs): Promise<CountedPage<UserRow>> {
    const request = pageRequest(args, USER_PAGES);
    const key = keyOf<[string, string]>(request, 'Query.users', [isString, isString]);
    const [rows, totalCount] = await Promise.all([
      this.repo.usersPage({ direction: request.direction, key, take: request.size + 1 }),
      this.repo.countUsers(),
    ]);
    const page = toConnection(rows, request, (u) => encodeKeyset(USER_PAGES.kind, [u.email, u.id]));
    return { ...page, totalCount };
  }

  /** Users, by e-mail (the keys CLI and start-up; GraphQL pages with {@link userPage}). */
  users(first: number, after: string | null): Promise<UserRow[]> {
    if (!(first >= 1 && first <= 500)) throw badInput('first must be 1-500', { field: 'first' });
    return this.repo.users(first, after);
  }

  /** Sets a member's role by e-mail (owner checked by the caller). */
  async setMember(projectId: string, email: string, role: string): Promise<MemberRow[]> {
    const r = parseRole(role);
    if (!r)
      throw badInput(`role must be viewer, editor or owner, got "${role}"`, { field: 'role' });
    const user = await this.repo.userByEmail(cleanEmail(email));
    if (!user) throw notFound('User', email);
    const members = await this.repo.members(projectId);
    const current = members.find((m) => m.userId === user.id);
    if (!current && members.length >= MAX_PROJECT_MEMBERS)
      throw badInput(`A project has at most ${MAX_PROJECT_MEMBERS} members`, {
        field: 'email',
        limit: MAX_PROJECT_MEMBERS,
      });
    if (current?.role === 'owner' && r !== 'owner' && (await this.repo.countOwners(projectId)) <= 1)
      throw badInput('A project keeps at least one owner', { field: 'role' });
    await this.repo.setMember(projectId, user.id, r);
    return this.repo.members(projectId);
  }

  /** Removes a member by e-mail; the last owner stays. */
  async removeMember(projectId: string, email: string): Promise<MemberRow[]> {
    const user = await this.repo.userByEmail(cleanEmail(email));
    if (!user) throw notFound('User', email);
    const members = await this.repo.members(projectId);
    const current = members.find((m) => m.userId === user.id);
    if (!current) throw notFound('ProjectMember', email);
    if (current.role === 'owner' && (await this.repo.countOwners(projectId)) <= 1)
      throw forbidden('The last owner of a project cannot be removed');
    await this.repo.removeMember(projectId, user.id);
    return this.repo.members(projectId);
  }

  /** Members of a project. */
  members(projectId: string): Promise<MemberRow[]> {
    return this.repo.members(projectId);
  }

  /** Makes a project public-readable or private. */
  async setVisibility(projectId: string, visibility: string): Promise<void> {
    if (visibility !== 'public' && visibility !== 'private')
      throw badInput('visibility must be public or private', { field: 'visibility' });
    await this.repo.setVisibility(projectId, visibility);
  }

  /** A user by e-mail (any case), or null. */
  userByEmail(email: string): Promise<UserRow | null> {
    return this.repo.userByEmail(cleanEmail(email));
  }

  /** A user by id. */
  user(id: string): Promise<UserRow | null> {
    return this.repo.userById(id);
  }
}
