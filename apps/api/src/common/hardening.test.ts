// Unit tests of the hardening helpers: stored mime types, allowed origins, request limits from
// the environment, the points budget, and internal errors (GraphQL and the express handler).
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { GraphQLError } from 'graphql';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { canonicalMimeType, INLINE_MIME_TYPES } from './download-headers';
import { httpErrorHandler, resolveAllowedOrigins } from './http-security';
import { debugErrorsEnabled, formatGraphQLError } from './internal-error';
import { DEFAULT_REQUEST_LIMITS, PointsBudget, resolveRequestLimits } from './request-limits';

afterEach(() => {
  vi.restoreAllMocks();
});

describe('canonicalMimeType', () => {
  it.each([
    ['image/png', 'image/png'],
    ['IMAGE/PNG; charset=binary', 'image/png'],
    ['image/jpg', 'image/jpeg'],
    [' text/html ; charset=utf-8', 'text/html'],
    ['image/svg+xml', 'image/svg+xml'],
    ['text/json', 'application/json'],
    [null, 'application/octet-stream'],
    ['', 'application/octet-stream'],
    ['html', 'application/octet-stream'],
    ['text/html<script>', 'application/octet-stream'],
    ['text/html/x', 'application/octet-stream'],
    [`image/${'x'.repeat(100)}`, 'application/octet-stream'],
  ])('%j -> %s', (raw, canonical) => {
    expect(canonicalMimeType(raw)).toBe(canonical);
  });

  it('never allows active content inline', () => {
    for (const type of ['text/html', 'image/svg+xml', 'application/xhtml+xml', 'text/xml'])
      expect(INLINE_MIME_TYPES.has(type)).toBe(false);
  });
});

describe('resolveAllowedOrigins', () => {
  it('defaults to the dashboard on localhost:$WEB_PORT', () => {
    expect(resolveAllowedOrigins({}, {})).toEqual(['http://localhost:3000']);
    expect(resolveAllowedOrigins({}, { WEB_PORT: '3100' })).toEqual(['http://localhost:3100']);
  });

  it('takes WEB_ORIGIN and CORS_ORIGINS, normalised', () => {
    expect(
      resolveAllowedOrigins(
        {},
        {
          WEB_ORIGIN: 'https://Dash.Example.org/',
          CORS_ORIGINS: ' http://a.test:8080/ ,, https://dash.example.org',
        },
      ),
    ).toEqual(['https://dash.example.org', 'http://a.test:8080']);
  });

  it('refuses something that is not an http(s) origin', () => {
    expect(() => resolveAllowedOrigins({}, { CORS_ORIGINS: 'localhost:3000' })).toThrow(
      /CORS_ORIGINS/,
    );
    expect(() => resolveAllowedOrigins({ webOrigin: 'ftp://x' })).toThrow(/http\(s\)/);
  });
});

describe('resolveRequestLimits', () => {
  it('reads the environment and lets options win', () => {
    const limits = resolveRequestLimits(
      { maxAliases: 3 },
      { GRAPHQL_MAX_DEPTH: '9', GRAPHQL_MAX_ALIASES: '7', METRIC_POINTS_BUDGET: '' },
    );
    expect(limits).toEqual({ ...DEFAULT_REQUEST_LIMITS, maxDepth: 9, maxAliases: 3 });
  });

  it('refuses a value that is not a positive integer', () => {
    expect(() => resolveRequestLimits({}, { GRAPHQL_MAX_COST: '1e3.5' })).toThrow(
      /GRAPHQL_MAX_COST must be a positive integer/,
    );
    expect(() => resolveRequestLimits({}, { METRIC_MAX_POINTS: '0' })).toThrow(/METRIC_MAX_POINTS/);
  });
});

describe('PointsBudget', () => {
  it('charges what each series returns, up to the budget, then refuses every later charge', () => {
    const budget = new PointsBudget({ maxPointsPerSeries: 100, pointsBudget: 1000 });
    // Stored lengths 500, 20 and 0 at maxPoints 100: 100 + 20 + 0.
    budget.charge('Run.metrics', 100, [500, 20, 0]);
    expect(budget.used).toBe(120);
    budget.charge('Run.metrics', 100, [100, 100, 100, 100, 100]);
    expect(budget.used).toBe(620);
    let err: GraphQLError | undefined;
    try {
      budget.charge('compareRuns', 100, [1000, 1000, 1000, 1000, 1000]);
    } catch (e) {
      err = e as GraphQLError;
    }
    expect(err?.extensions).toMatchObject({
      code: 'BUDGET_EXCEEDED',
      budget: 'metricPoints',
      limit: 1000,
      requested: 500,
      remaining: 380,
    });
    expect(err?.message).toMatch(/budget of 1000 \(METRIC_POINTS_BUDGET; 380 left\)/);
    // Sticky: a charge that would have fit is refused too once the budget was exceeded.
    expect(() => budget.charge('Run.metric', 2, [1])).toThrow(/METRIC_POINTS_BUDGET/);
  });

  it('caps maxPoints per series whatever the series', () => {
    const budget = new PointsBudget({ maxPointsPerSeries: 100, pointsBudget: 1000 });
    expect(() => budget.charge('Run.metrics', 101, [])).toThrow(
      /at most 100 \(METRIC_MAX_POINTS\)/,
    );
    expect(budget.used).toBe(0);
  });
});

describe('internal errors', () => {
  const leaky = new Error(
    'Invalid `prisma.run.findMany()` invocation in /srv/app/run.repository.ts:42',
  );

  it('are reduced to an id, also when production asks for debugging', () => {
    const logged = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    const debug = debugErrorsEnabled({ NODE_ENV: 'production', API_DEBUG_ERRORS: '1' });
    expect(debug).toBe(false);
    const out = formatGraphQLError(
      {
        message: leaky.message,
        path: ['runs'],
        extensions: { code: 'INTERNAL_SERVER_ERROR', stacktrace: ['at /srv/app/x.ts:1'] },
      },
      leaky,
      { limits: DEFAULT_REQUEST_LIMITS, debug },
    );
    expect(out).toEqual({
      message: `Internal error ${String(out.extensions?.errorId)}`,
      path: ['runs'],
      extensions: { code: 'INTERNAL_SERVER_ERROR', errorId: expect.stringMatching(/^[0-9a-f]+$/) },
    });
    expect(logged).toHaveBeenCalledWith(
      expect.stringContaining(String(out.extensions?.errorId)),
      leaky,
    );
  });

  it('keep their message when debugging outside production', () => {
    vi.spyOn(console, 'error').mockImplementation(() => undefined);
    expect(debugErrorsEnabled({ API_DEBUG_ERRORS: '1' })).toBe(true);
    const out = formatGraphQLError(
      { message: leaky.message, extensions: { code: 'INTERNAL_SERVER_ERROR' } },
      leaky,
      { limits: DEFAULT_REQUEST_LIMITS, debug: true },
    );
    expect(out.extensions).toMatchObject({
      code: 'INTERNAL_SERVER_ERROR',
      debugMessage: leaky.message,
    });
  });

  it('leave coded errors alone but drop their stack trace', () => {
    const out = formatGraphQLError(
      {
        message: 'Run not found: x',
        extensions: { code: 'NOT_FOUND', id: 'x', stacktrace: ['s'] },
      },
      new GraphQLError('Run not found: x'),
      { limits: DEFAULT_REQUEST_LIMITS, debug: false },
    );
    expect(out).toEqual({
      message: 'Run not found: x',
      extensions: { code: 'NOT_FOUND', id: 'x' },
    });
  });

  it('of express middleware answer 500 with an id only', async () => {
    vi.spyOn(console, 'error').mockImplementation(() => undefined);
    const app = express();
    app.get('/boom', () => {
      throw leaky;
    });
    app.use(httpErrorHandler());
    const server = http.createServer(app).listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    try {
      const res = await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}/boom`);
      expect(res.status).toBe(500);
      const body = await res.json();
      expect(JSON.stringify(body)).not.toMatch(/prisma|\/srv\//);
      expect(body.errors[0]).toEqual({
        message: `Internal error ${body.errors[0].extensions.errorId}`,
        extensions: { code: 'INTERNAL_SERVER_ERROR', errorId: expect.any(String) },
      });
    } finally {
      server.close();
    }
  });
});
