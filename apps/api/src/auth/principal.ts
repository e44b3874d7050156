// Who is calling: resolved once per HTTP request from `Authorization: Bearer <key>` (scripts and
// workers) or the dashboard's session cookie, before any resolver or route runs.
import { createHash } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { fromNodeHeaders } from 'better-auth/node';
import { unauthenticated } from '../common/errors';
import type { AccessRepository } from './access.repository';
import type { Auth } from './auth';
import { parseKeyCap, type KeyCap } from './roles';

/** A signed-in user, through a session or an API key. */
export interface UserPrincipal {
  kind: 'user';
  userId: string;
  email: string;
  name: string;
  /** Server admin: manages users and may act as owner of every project. */
  isAdmin: boolean;
  via: 'session' | 'key';
  /** The API key used, if any. */
  keyId: string | null;
  /** What the key may do at most (role and projects); null for sessions. */
  cap: KeyCap | null;
}

/** Nobody signed in: public projects only, read-only. */
export interface AnonymousPrincipal {
  kind: 'anonymous';
}

/** The caller of a request. */
export type Principal = UserPrincipal | AnonymousPrincipal;

/** The anonymous caller. */
export const ANONYMOUS: AnonymousPrincipal = { kind: 'anonymous' };

interface CacheEntry {
  principal: UserPrincipal | null;
  until: number;
}

/** Verified keys are cached this long: a revoked key stops working within this time. */
export const KEY_CACHE_MS = 10_000;
const MAX_CACHED_KEYS = 10_000;

/** The bearer token of an Authorization header, if any. */
export function bearerToken(headers: IncomingHttpHeaders): string | null {
  const raw = headers.authorization;
  if (!raw) return null;
  const m = /^Bearer\s+(\S+)\s*$/i.exec(raw);
  if (!m) throw unauthenticated('The Authorization header must be "Bearer <API key>"');
  return m[1] ?? null;
}

/** Resolves callers; one per server (keeps a short cache of verified keys). */
export class PrincipalResolver {
  private readonly keys = new Map<string, CacheEntry>();

  constructor(
    private readonly auth: Auth,
    private readonly repo: AccessRepository,
    /** Origins whose pages may use the session cookie (the dashboard's). */
    private readonly trustedOrigins: readonly string[] = [],
    private readonly now: () => number = Date.now,
  ) {}

  /**
   * The caller of a request. A key or session that is sent but refused is an error
   * (UNAUTHENTICATED), never silently anonymous: a script with a revoked key must hear so.
   */
  async fromHeaders(headers: IncomingHttpHeaders): Promise<Principal> {
    const token = bearerToken(headers);
    if (token) return this.fromKey(token);
    if (!headers.cookie?.includes('convscope.session_token')) return ANONYMOUS;
    // A page of another origin must not act with the user's cookie (CSRF); same-origin and
    // server-side requests (the dashboard's renderer) send no foreign Origin.
    const origin = headers.origin;
    if (origin && !this.trustedOrigins.includes(origin.replace(/\/+$/, '')))
      throw unauthenticated(`Requests from ${origin} may not use the dashboard's session`);
    const session = await this.auth.api.getSession({ headers: fromNodeHeaders(headers) });
    if (!session) return ANONYMOUS; // expired cookie: the dashboard shows its sign-in link
    const user = session.user as { id: string; email: string; name: string; role?: string | null };
    return {
      kind: 'user',
      userId: user.id,
      email: user.email,
      name: user.name,
      isAdmin: user.role === 'admin',
      via: 'session',
      keyId: null,
      cap: null,
    };
  }

  /** Forgets cached keys (after a revocation on this instance). */
  forgetKeys(): void {
    this.keys.clear();
  }

  private async fromKey(key: string): Promise<UserPrincipal> {
    const hash = createHash('sha256').update(key).digest('hex');
    const cached = this.keys.get(hash);
    const now = this.now();
    let principal: UserPrincipal | null;
    if (cached && cached.until > now) {
      principal = cached.principal;
    } else {
      principal = await this.verify(key);
      if (this.keys.size >= MAX_CACHED_KEYS) this.keys.clear();
      this.keys.set(hash, { principal, until: now + KEY_CACHE_MS });
    }
    if (!principal)
      throw unauthenticated(
        'The API key was refused (unknown, revoked or expired). Create one with `npm run keys -- create` or in the dashboard settings.',
      );
    return principal;
  }

  private async verify(key: string): Promise<UserPrincipal | null> {
    if (key.length > 512) return null;
    const result = await this.auth.api.verifyApiKey({ body: { key } });
    if (!result.valid || !result.key) return null;
    const user = await this.repo.userById(result.key.referenceId);
    if (!user || user.banned) return null;
    return {
      kind: 'user',
      userId: user.id,
      email: user.email,
      name: user.name,
      isAdmin: user.role === 'admin',
      via: 'key',
      keyId: result.key.id,
      cap: parseKeyCap(result.key.metadata),
    };
  }
}
