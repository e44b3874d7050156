// HTTP hardening of the API's express app: security headers (helmet), CORS for the dashboard's
// origin only, JSON-only GraphQL bodies, and the final error handler (4xx with codes for
// malformed, oversized or mistyped bodies; internal errors by id).
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import helmet from 'helmet';
import { INTERNAL_SERVER_ERROR, reportInternalError } from './internal-error';
import { LANDING_PAGE_STYLE_SOURCE } from './landing-page';

/** Options of {@link resolveAllowedOrigins}; each defaults from the environment. */
export interface OriginOptions {
  /** The dashboard's origin. Default env WEB_ORIGIN, else http://localhost:$WEB_PORT (3000). */
  webOrigin?: string;
  /** More allowed origins. Default env CORS_ORIGINS (comma-separated). */
  corsOrigins?: string[];
}

function originOf(value: string, source: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new Error(`${source}: "${value}" is not an origin such as http://localhost:3000`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw new Error(`${source}: "${value}" must be an http(s) origin`);
  return url.origin;
}

/** The origins allowed to call the API from a browser (normalised, duplicates dropped). */
export function resolveAllowedOrigins(
  options: OriginOptions = {},
  env: NodeJS.ProcessEnv = process.env,
): string[] {
  const web = options.webOrigin ?? env.WEB_ORIGIN ?? `http://localhost:${env.WEB_PORT || '3000'}`;
  const extra =
    options.corsOrigins ??
    (env.CORS_ORIGINS ?? '')
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean);
  return [
    ...new Set([originOf(web, 'WEB_ORIGIN'), ...extra.map((o) => originOf(o, 'CORS_ORIGINS'))]),
  ];
}

/**
 * CORS for `origins` only, with credentials (the dashboard's session cookie); any other origin
 * gets no CORS header at all, so a browser keeps the answer from it.
 */
export function corsMiddleware(origins: readonly string[]): RequestHandler {
  const allowed = new Set(origins);
  return (req: Request, res: Response, next: NextFunction) => {
    // Answers differ by Origin: caches must keep them apart.
    res.vary('Origin');
    const origin = req.headers.origin;
    const preflight = req.method === 'OPTIONS' && req.headers['access-control-request-method'];
    if (origin && allowed.has(origin)) {
      res.setHeader('Access-Control-Allow-Origin', origin);
      res.setHeader('Access-Control-Allow-Credentials', 'true');
      res.setHeader('Access-Control-Expose-Headers', 'ETag, Content-Length, Content-Disposition');
      if (preflight) {
        res.setHeader('Access-Control-Allow-Methods', 'GET, POST, PUT, OPTIONS');
        res.setHeader(
          'Access-Control-Allow-Headers',
          req.headers['access-control-request-headers'] ??
            'Content-Type, Authorization, If-None-Match, apollo-require-preflight',
        );
        res.setHeader('Access-Control-Max-Age', '600');
      }
    }
    if (preflight) {
      res.status(204).end();
      return;
    }
    next();
  };
}

/**
 * Security headers on every answer: a CSP that allows nothing (the API serves data, not pages),
 * no framing, nosniff, no referrer, same-site resource policy (the dashboard on another port of
 * the same host may embed images). No HSTS: the API speaks plain HTTP unless a proxy adds TLS.
 * The landing page (GET /graphql from a browser, common/landing-page.ts) gets the same policy
 * plus its one inline style, allowed by hash.
 */
export function securityHeaders(): RequestHandler {
  const base = {
    crossOriginResourcePolicy: { policy: 'same-site' as const },
    strictTransportSecurity: false,
    xFrameOptions: { action: 'deny' as const },
  };
  const strict = helmet({
    ...base,
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'none'"],
        frameAncestors: ["'none'"],
        baseUri: ["'none'"],
        formAction: ["'none'"],
      },
    },
  });
  const landingPage = helmet({
    ...base,
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'none'"],
        styleSrc: [LANDING_PAGE_STYLE_SOURCE],
        frameAncestors: ["'none'"],
        baseUri: ["'none'"],
        formAction: ["'none'"],
      },
    },
  });
  return (req, res, next) => {
    // Like Apollo's own test: a browser asking for HTML by name (fetch's */* does not count).
    const landing =
      req.method === 'GET' &&
      req.path === '/graphql' &&
      (req.headers.accept ?? '').includes('text/html');
    (landing ? landingPage : strict)(req, res, next);
  };
}

/** POST /graphql must be JSON: anything else is 415 UNSUPPORTED_MEDIA_TYPE before parsing. */
export function requireJsonBody(): RequestHandler {
  return (req, res, next) => {
    if (req.method !== 'POST' || req.is(['application/json', 'application/*+json'])) {
      next();
      return;
    }
    const message = `Send GraphQL requests as JSON (Content-Type: application/json), got ${req.headers['content-type'] ?? 'no Content-Type'}`;
    const body = { message, extensions: { code: 'UNSUPPORTED_MEDIA_TYPE' } };
    // The body is not read: close rather than drain an unwanted upload.
    res.setHeader('Connection', 'close');
    res.status(415).json({ errors: [body] });
  };
}

/** body-parser's error types and the codes they answer with. */
const BODY_ERRORS: Readonly<Record<string, { status: number; code: string; message: string }>> = {
  'entity.parse.failed': { status: 400, code: 'BAD_REQUEST', message: 'Malformed JSON body' },
  'entity.too.large': {
    status: 413,
    code: 'PAYLOAD_TOO_LARGE',
    message: 'Request body too large',
  },
  'encoding.unsupported': {
    status: 415,
    code: 'UNSUPPORTED_MEDIA_TYPE',
    message: 'Unsupported body encoding',
  },
  'charset.unsupported': {
    status: 415,
    code: 'UNSUPPORTED_MEDIA_TYPE',
    message: 'Unsupported body charset',
  },
  'request.aborted': { status: 400, code: 'BAD_REQUEST', message: 'Request aborted' },
  'request.size.invalid': {
    status: 400,
    code: 'BAD_REQUEST',
    message: 'Request size did not match Content-Length',
  },
};

/**
 * The last handler: request-body failures answer in GraphQL's error shape with a code and their
 * 4xx status; anything else is an internal error (500, logged by id, nothing else told).
 */
export function httpErrorHandler() {
  return (err: unknown, req: Request, res: Response, next: NextFunction): void => {
    if (res.headersSent) {
      next(err);
      return;
    }
    const type = (err as { type?: unknown }).type;
    const known = typeof type === 'string' ? BODY_ERRORS[type] : undefined;
    const status = (err as { status?: unknown }).status;
    if (known || (typeof status === 'number' && status >= 400 && status < 500)) {
      const {
        status: s,
        code,
        message,
      } = known ?? {
        status: status as number,
        code: 'BAD_REQUEST',
        // Messages safe to show: http-errors' exposed 4xx, and the router's URIError
        // ("Failed to decode param '%ZZ'").
        message:
          err instanceof Error &&
          ((err as { expose?: unknown }).expose === true || err instanceof URIError)
            ? err.message.slice(0, 300)
            : 'Bad request',
      };
      if (s === 413) res.setHeader('Connection', 'close');
      res.status(s).json({ errors: [{ message, extensions: { code } }] });
      return;
    }
    const { errorId, message } = reportInternalError(err, `${req.method} ${req.path}`);
    res
      .status(500)
      .json({ errors: [{ message, extensions: { code: INTERNAL_SERVER_ERROR, errorId } }] });
  };
}
