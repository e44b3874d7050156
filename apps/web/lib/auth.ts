// Dashboard sessions, usable on both sides: the caller's shape, safe "back to" paths and the
// browser calls to the API's better-auth routes (same origin: next.config.ts proxies /api/auth).
import { graphql } from './gql';
import type { MeQuery } from './gql/graphql';

/** The signed-in caller, as the API's `me` answers it (null when anonymous). */
export type Viewer = NonNullable<MeQuery['me']>;

/** The caller; one field so the layout, the home page and settings share one request. */
export const ME_QUERY = graphql(`
  query Me {
    me {
      id
      email
      name
      isAdmin
      via
    }
  }
`);

/**
 * A same-origin path to return to after signing in, or "/" when `raw` is missing or could send
 * the browser elsewhere (`//host`, `/\host`, `https://…`): the value comes from the URL.
 */
export function safeNextPath(raw: string | string[] | null | undefined): string {
  const value = Array.isArray(raw) ? raw[0] : raw;
  if (!value || !value.startsWith('/') || value.startsWith('//') || value.startsWith('/\\'))
    return '/';
  // Control characters (a tab or newline inside "//") are stripped by URL parsers.
  if (/[\u0000-\u001f\u007f]/.test(value)) return '/';
  // Going back to the sign-in page itself would loop.
  if (value === '/login' || value.startsWith('/login?') || value.startsWith('/login/')) return '/';
  return value;
}

/** `/login?next=…` for a page (the page itself when it is a safe path). */
export function loginHref(next: string | null | undefined): string {
  const path = safeNextPath(next);
  return path === '/' ? '/login' : `/login?next=${encodeURIComponent(path)}`;
}

/** Messages for the `error` codes better-auth puts on the URL when a login link fails. */
export function loginLinkError(code: string | string[] | null | undefined): string | null {
  const value = Array.isArray(code) ? code[0] : code;
  if (!value) return null;
  if (value === 'INVALID_TOKEN' || value === 'EXPIRED_TOKEN')
    return 'This sign-in link is no longer valid: each link works once and for 15 minutes. Ask for a new one, or sign in with your password.';
  if (value === 'new_user_signup_disabled' || value === 'user_not_found')
    return 'This sign-in link is for an account that does not exist. Ask an admin for a new one.';
  return 'The sign-in link did not work. Ask for a new one, or sign in with your password.';
}

/** An answer of the auth routes that was not a success. */
export class AuthError extends Error {
  constructor(
    message: string,
    readonly status: number,
  ) {
    super(message);
    this.name = 'AuthError';
  }
}

async function authPost(path: string, body: unknown): Promise<void> {
  let res: Response;
  try {
    res = await fetch(`/api/auth/${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify(body),
      credentials: 'same-origin',
      cache: 'no-store',
    });
  } catch {
    throw new AuthError('Cannot reach the dashboard server. Check your connection.', 0);
  }
  if (res.ok) return;
  let message: string | null = null;
  try {
    const data = (await res.json()) as { message?: unknown };
    if (typeof data.message === 'string' && data.message) message = data.message;
  } catch {
    // Not JSON (a proxy error page): described by the status below.
  }
  if (res.status === 429) message = 'Too many sign-in attempts. Wait a minute and try again.';
  else if (res.status === 401 || !message)
    message =
      res.status === 401
        ? 'Wrong e-mail or password.'
        : `Sign-in failed (HTTP ${res.status}). Is the API running?`;
  throw new AuthError(message, res.status);
}

/** Signs in with e-mail and password; the API sets the HttpOnly session cookie. Browser only. */
export function signInWithPassword(email: string, password: string): Promise<void> {
  return authPost('sign-in/email', { email, password, rememberMe: true });
}

/** Ends the session (the API clears the cookie). Browser only. */
export function signOut(): Promise<void> {
  return authPost('sign-out', {});
}
