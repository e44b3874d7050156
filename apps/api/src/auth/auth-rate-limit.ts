// The sign-in routes' rate limit storage: one per API instance, fixed windows.
// better-auth's built-in memory store is module-wide (shared by every server in a process) and
// restarts its window at each allowed request, so a steady stream of sign-ins behind a proxy
// that hides client IPs (one shared bucket) never gets a fresh window and locks everyone out.
import type { BetterAuthOptions } from 'better-auth';

/** better-auth's rate-limit storage interface. */
type RateLimitStorage = NonNullable<NonNullable<BetterAuthOptions['rateLimit']>['customStorage']>;

/** Most keys kept before expired windows are swept. */
const SWEEP_AT = 10_000;

/**
 * A fixed-window counter per key: the first request opens a `window`-second window, at most
 * `max` requests pass in it, and the next request after it opens a new one.
 * @param now the clock (tests pass their own)
 */
export function fixedWindowRateLimitStorage(now: () => number = Date.now): RateLimitStorage {
  const windows = new Map<string, { start: number; ms: number; count: number }>();
  return {
    consume(key, rule) {
      const t = now();
      const ms = rule.window * 1000;
      if (windows.size >= SWEEP_AT)
        for (const [k, w] of windows) if (t - w.start >= w.ms) windows.delete(k);
      const w = windows.get(key);
      if (!w || t - w.start >= ms) {
        windows.set(key, { start: t, ms, count: 1 });
        return Promise.resolve({ allowed: true, retryAfter: null });
      }
      if (w.count >= rule.max)
        return Promise.resolve({
          allowed: false,
          retryAfter: Math.max(1, Math.ceil((w.start + ms - t) / 1000)),
        });
      w.count += 1;
      return Promise.resolve({ allowed: true, retryAfter: null });
    },
  };
}
