// GET /graphql from a browser: a small page of the API's own instead of Apollo's landing page,
// which loads its explorer from Apollo's CDN (so offline there was no explorer at all). The
// explorer lives in the dashboard (/explorer, GraphiQL bundled from npm, the user's session);
// this page links there. No script and no external resource: its one inline style is allowed by
// hash in the CSP (http-security.ts), so the API's strict policy holds for it too.
import { createHash } from 'node:crypto';
import type { ApolloServerPlugin } from '@apollo/server';

/** Options of {@link landingPageHtml} and {@link landingPagePlugin}. */
export interface LandingPageOptions {
  /** Address of the dashboard's GraphQL explorer; null when unknown (the page says how to open it). */
  explorerUrl: string | null;
}

const STYLE = [
  'body{font:15px/1.5 system-ui,sans-serif;max-width:42rem;margin:3rem auto;padding:0 1rem;color:#1f2937}',
  'h1{font-size:1.3rem;margin:0 0 1rem}',
  'a{color:#1d4ed8}',
  'code,pre{font:13px/1.45 ui-monospace,monospace;background:#f3f4f6;border-radius:4px}',
  'code{padding:0 .25rem}',
  'pre{padding:.75rem;overflow-x:auto;white-space:pre-wrap;word-break:break-all}',
  '.go{display:inline-block;margin:.25rem 0 1rem;padding:.5rem .9rem;border-radius:6px;background:#1d4ed8;color:#fff;text-decoration:none}',
].join('');

/** The CSP source that allows the page's inline style and nothing else inline. */
export const LANDING_PAGE_STYLE_SOURCE = `'sha256-${createHash('sha256').update(STYLE).digest('base64')}'`;

/**
 * The explorer's address: env EXPLORER_URL, else `<webOrigin>/explorer`. EXPLORER_URL set to
 * an empty string or `none` means unknown (the page explains how to open the explorer instead).
 * @throws Error when EXPLORER_URL is neither empty, `none`, nor an http(s) URL
 */
export function resolveExplorerUrl(
  { webOrigin }: { webOrigin: string },
  env: NodeJS.ProcessEnv = process.env,
): string | null {
  const raw = env.EXPLORER_URL;
  if (raw === undefined) return `${webOrigin.replace(/\/+$/, '')}/explorer`;
  const value = raw.trim();
  if (value === '' || value.toLowerCase() === 'none') return null;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new Error(`EXPLORER_URL: "${value}" is not a URL such as http://localhost:3000/explorer`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw new Error(`EXPLORER_URL: "${value}" must be an http(s) URL`);
  return url.href;
}

function escapeHtml(text: string): string {
  return text.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c,
  );
}

/** The landing page: where the explorer is (or how to open it) and how to query without one. */
export function landingPageHtml({ explorerUrl }: LandingPageOptions): string {
  const explorer = explorerUrl
    ? `<p>Browse the schema's documentation and run queries with your dashboard session in the
dashboard's GraphQL explorer:</p>
<p><a class="go" id="explorer-link" href="${escapeHtml(explorerUrl)}">Open the GraphQL explorer</a>
<br><code>${escapeHtml(explorerUrl)}</code></p>
<p>If that address does not answer, the dashboard is not running: start it with
<code>npm start</code> (or <code>npm run web</code> beside a running API).</p>`
    : `<p>The GraphQL explorer is part of the dashboard: open <code>/explorer</code> on the
dashboard's address (after <code>npm start</code>:
<code>http://localhost:3000/explorer</code>). Set <code>EXPLORER_URL</code> on the API to link it
from this page.</p>`;
  const curl = `curl -s http://localhost:4000/graphql \\
  -H 'content-type: application/json' \\
  -H "authorization: Bearer $CONVSCOPE_API_KEY" \\
  -d '{"query":"{ runs(first: 5) { totalCount nodes { id name status } } }"}'`;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>ConvScope GraphQL API</title>
<style>${STYLE}</style>
</head>
<body>
<h1>ConvScope GraphQL API</h1>
<p>This address is the GraphQL endpoint of the ConvScope API: it answers <code>POST</code>
requests with a JSON body (<code>Content-Type: application/json</code>).</p>
${explorer}
<p>Without a browser, with an API key (<code>npm run keys -- create --name me</code>):</p>
<pre>${escapeHtml(curl)}</pre>
<p>The schema, with a description of every type and field, is committed as
<code>apps/api/schema.graphql</code>.</p>
</body>
</html>
`;
}

/**
 * Apollo plugin serving {@link landingPageHtml} for GET /graphql from a browser (it replaces
 * Apollo's default landing page, which needs its CDN).
 */
export function landingPagePlugin(options: LandingPageOptions): ApolloServerPlugin {
  const html = landingPageHtml(options);
  return {
    serverWillStart() {
      return Promise.resolve({ renderLandingPage: () => Promise.resolve({ html }) });
    },
  };
}
