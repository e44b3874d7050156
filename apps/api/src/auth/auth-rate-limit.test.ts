import { describe, expect, it } from 'vitest';
import { fixedWindowRateLimitStorage } from './auth-rate-limit';

describe('fixedWindowRateLimitStorage', () => {
  const rule = { window: 60, max: 3 };

  it('allows max requests per window, then refuses with the seconds left, then opens a new window', async () => {
    let t = 1_000_000;
    const storage = fixedWindowRateLimitStorage(() => t);
    for (let i = 0; i < 3; i++) expect((await storage.consume('k', rule)).allowed).toBe(true);
    t += 20_000;
    expect(await storage.consume('k', rule)).toEqual({ allowed: false, retryAfter: 40 });
    t += 40_000;
    expect(await storage.consume('k', rule)).toEqual({ allowed: true, retryAfter: null });
  });

  it('a steady stream still gets a fresh window each minute (the built-in store slides forever)', async () => {
    let t = 0;
    const storage = fixedWindowRateLimitStorage(() => t);
    let allowed = 0;
    // One request every 10 s for 10 minutes: 6 per window, 3 of them allowed in each.
    for (let i = 0; i < 60; i++, t += 10_000)
      if ((await storage.consume('shared', rule)).allowed) allowed += 1;
    expect(allowed).toBe(30);
  });

  it('keeps keys and instances apart', async () => {
    const a = fixedWindowRateLimitStorage(() => 0);
    const b = fixedWindowRateLimitStorage(() => 0);
    for (let i = 0; i < 3; i++) await a.consume('k', rule);
    expect((await a.consume('k', rule)).allowed).toBe(false);
    expect((await a.consume('other', rule)).allowed).toBe(true);
    expect((await b.consume('k', rule)).allowed).toBe(true);
  });
});
