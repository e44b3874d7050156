// The identity engine: better-auth over the API's own Prisma client. It owns passwords
// (scrypt), dashboard sessions (HttpOnly, SameSite=Lax cookies), one-time login links and API
// keys (only their hash is stored). Our code never hashes a password or mints a session itself.
import { betterAuth } from 'better-auth';
import { prismaAdapter } from 'better-auth/adapters/prisma';
import { admin, magicLink } from 'better-auth/plugins';
import { apiKey } from '@better-auth/api-key';
import type { Db } from '../db/prisma';
import { fixedWindowRateLimitStorage } from './auth-rate-limit';

/** Prefix of every API key this server issues (`cs_…`): easy to spot in logs and secret scanners. */
export const API_KEY_PREFIX = 'cs_';

/** Options of {@link createAuth}. */
export interface AuthOptions {
  prisma: Db;
  dialect: 'sqlite' | 'postgresql';
  /** Signs session cookies and tokens (>= 32 characters); the same on every API instance. */
  secret: string;
  /** Origin the browser reaches the auth routes at: the dashboard, which proxies /api/auth. */
  baseUrl: string;
  /** Origins allowed to post to the auth routes (CSRF check). */
  trustedOrigins: string[];
  /** Receives each one-time login link (the API prints it; tests capture it). */
  onLoginLink: (link: { email: string; url: string }) => void;
}

/** Builds the better-auth instance of one API server. */
export function createAuth(options: AuthOptions) {
  return betterAuth({
    appName: 'convscope',
    secret: options.secret,
    baseURL: options.baseUrl,
    basePath: '/api/auth',
    trustedOrigins: options.trustedOrigins,
    // Offline product: no telemetry calls.
    telemetry: { enabled: false },
    logger: {
      level: 'warn',
      // A refused key is answered as UNAUTHENTICATED to its caller; it is not a server error.
      log(level, message) {
        if (/api key/i.test(message)) return;
        console.warn(`[auth] ${level}: ${message}`);
      },
    },
    database: prismaAdapter(options.prisma as never, { provider: options.dialect }),
    // Accounts are created by an admin (dashboard settings, GraphQL or `npm run keys`), not by sign-up.
    emailAndPassword: { enabled: true, disableSignUp: true, minPasswordLength: 10 },
    session: { expiresIn: 60 * 60 * 24 * 14, updateAge: 60 * 60 * 24 },
    advanced: {
      defaultCookieAttributes: { httpOnly: true, sameSite: 'lax' },
      cookiePrefix: 'convscope',
    },
    // Brute-force protection of the sign-in routes (in memory, per instance, fixed windows).
    rateLimit: {
      enabled: true,
      window: 60,
      max: 30,
      // Login links are single-use 32-character tokens: guessing is hopeless, re-use impossible.
      customRules: { '/magic-link/verify': { window: 60, max: 60 } },
      customStorage: fixedWindowRateLimitStorage(),
    },
    plugins: [
      admin({ defaultRole: 'user', adminRoles: ['admin'] }),
      magicLink({
        // Links are minted by the server for its operator (never by a public request: the
        // sign-in route is blocked in front of this handler), so nothing is e-mailed.
        disableSignUp: true,
        expiresIn: 15 * 60,
        sendMagicLink: ({ email, url }) => {
          options.onLoginLink({ email, url });
          return Promise.resolve();
        },
      }),
      apiKey({
        defaultPrefix: API_KEY_PREFIX,
        enableMetadata: true,
        // Per-key rate limits are applied by the API itself (rate-limiter-flexible) to every
        // request; this plugin's limiter would add a database write per call.
        rateLimit: { enabled: false },
        // Keys arrive as `Authorization: Bearer`, resolved by the API before any handler runs.
        enableSessionForAPIKeys: false,
        keyExpiration: { defaultExpiresIn: null, disableCustomExpiresTime: false },
      }),
    ],
  });
}

/** The better-auth instance type. */
export type Auth = ReturnType<typeof createAuth>;
