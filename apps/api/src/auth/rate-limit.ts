// Per-caller request budgets (rate-limiter-flexible): each API key or user, and each address
// without credentials, gets so many requests a minute; beyond that 429 with Retry-After.
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';
import { ErrorCode } from '../common/errors';
import { principalOf } from './http-guard';

/** Options of {@link rateLimitMiddleware}. */
export interface RateLimitOptions {
  /** Requests a minute per API key (or per user for sessions). */
  perMinute: number;
  /** Requests a minute per address without credentials. */
  anonymousPerMinute: number;
}

/** Express middleware; runs after principalMiddleware. */
export function rateLimitMiddleware(options: RateLimitOptions): RequestHandler {
  const known = new RateLimiterMemory({ points: options.perMinute, duration: 60 });
  const anonymous = new RateLimiterMemory({ points: options.anonymousPerMinute, duration: 60 });
  return (req: Request, res: Response, next: NextFunction) => {
    const p = principalOf(res);
    const [limiter, key] =
      p.kind === 'user'
        ? [known, p.keyId ? `key:${p.keyId}` : `user:${p.userId}`]
        : [anonymous, `ip:${req.socket.remoteAddress ?? '?'}`];
    limiter.consume(key).then(
      () => next(),
      (rejected: unknown) => {
        if (!(rejected instanceof RateLimiterRes)) return next(rejected);
        const retryAfterS = Math.max(1, Math.ceil(rejected.msBeforeNext / 1000));
        const message = `Too many requests: at most ${limiter.points} a minute for this ${p.kind === 'user' ? 'key' : 'address'}; retry in ${retryAfterS} s`;
        res.setHeader('Retry-After', String(retryAfterS));
        const code = ErrorCode.RATE_LIMITED;
        // GraphQL clients read `errors`, route clients read `code`: answer both shapes.
        res.status(429).json({
          code,
          message,
          error: { code, message },
          errors: [{ message, extensions: { code, retryAfterS } }],
        });
      },
    );
  };
}
