import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { NextConfig } from 'next';

const appDir = path.dirname(fileURLToPath(import.meta.url));
// npm workspace root: @convscope/viz is a symlink into libs/viz, which must be inside Turbopack's root.
const workspaceRoot = path.resolve(appDir, '../..');
const apiUrl = (process.env.API_URL ?? 'http://localhost:4000').replace(/\/+$/, '');
const dev = process.env.NODE_ENV === 'development';

// The dashboard's pages: scripts, styles and images from this origin only. Next's App Router
// streams its payload in inline <script> tags (no nonce without a per-request proxy), and React
// style attributes need inline styles; object, base and frame ancestors are locked down.
// `next dev` also needs eval and its HMR websocket.
const PAGE_CSP = [
  "default-src 'self'",
  `script-src 'self' 'unsafe-inline'${dev ? " 'unsafe-eval'" : ''}`,
  "style-src 'self' 'unsafe-inline'",
  // blob: previews of images picked for "Explain your image"; data: PNGs of activation grids.
  "img-src 'self' blob: data:",
  "font-src 'self' data:",
  `connect-src 'self'${dev ? ' ws: wss:' : ''}`,
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

// Stored bytes proxied from the API (artifacts, exports, sample images, explain uploads): the
// API sends the same headers; set here too so they hold whatever the upstream answers.
const PROXIED_BYTES = [
  '/runs/:id/artifacts/:path*',
  '/runs/:id/export/:path*',
  '/runs/:id/samples/:path*',
  '/explain-jobs/:path*',
];

const nextConfig: NextConfig = {
  // The browser test builds into its own folder so it never leaves a build for another API behind.
  distDir: process.env.NEXT_DIST_DIR ?? '.next',
  // The lib ships TypeScript sources (exports → src/index.ts), so Next compiles it.
  transpilePackages: [
    '@convscope/viz',
    '@convscope/colormap',
    '@convscope/schemas',
    '@convscope/sweep',
  ],
  turbopack: { root: workspaceRoot },
  outputFileTracingRoot: workspaceRoot,
  poweredByHeader: false,
  // `npm start` builds with CONVSCOPE_SKIP_BUILD_TYPECHECK=1: type errors are `npm run
  // typecheck`'s job (and CI's), and skipping the check saves about 45 s of a first start.
  typescript: { ignoreBuildErrors: process.env.CONVSCOPE_SKIP_BUILD_TYPECHECK === '1' },
  // CONVSCOPE_SKIP_BUILD_CACHE=1 (the browser tests' build in CI, a fresh clone every time): no
  // Turbopack cache on disk, which no later build would read; writing it took minutes on 2 cores.
  experimental: {
    turbopackFileSystemCacheForBuild: process.env.CONVSCOPE_SKIP_BUILD_CACHE !== '1',
  },
  async headers() {
    // Later entries win for the same header: the proxied bytes' CSP replaces the pages' one.
    return [
      {
        source: '/:path*',
        headers: [
          { key: 'Content-Security-Policy', value: PAGE_CSP },
          { key: 'X-Content-Type-Options', value: 'nosniff' },
          { key: 'X-Frame-Options', value: 'DENY' },
          { key: 'Referrer-Policy', value: 'same-origin' },
          { key: 'Cross-Origin-Opener-Policy', value: 'same-origin' },
          { key: 'Permissions-Policy', value: 'camera=(), microphone=(), geolocation=()' },
        ],
      },
      ...PROXIED_BYTES.map((source) => ({
        source,
        headers: [
          {
            key: 'Content-Security-Policy',
            value: "default-src 'none'; frame-ancestors 'none'; sandbox",
          },
          { key: 'X-Content-Type-Options', value: 'nosniff' },
        ],
      })),
    ];
  },
  async rewrites() {
    // The browser only talks to its own origin; the Next server forwards to the API.
    return {
      beforeFiles: [
        { source: '/graphql', destination: `${apiUrl}/graphql` },
        {
          source: '/runs/:id/artifacts/:path*',
          destination: `${apiUrl}/runs/:id/artifacts/:path*`,
        },
        { source: '/runs/:id/export/:path*', destination: `${apiUrl}/runs/:id/export/:path*` },
        // Evaluated images as PNG (query string, e.g. ?scale=3, is forwarded).
        { source: '/runs/:id/samples/:path*', destination: `${apiUrl}/runs/:id/samples/:path*` },
        // "Explain your image": the upload (POST) and the job polls. Not /runs/:id/explain, which
        // is a dashboard page.
        { source: '/explain-api/runs/:id', destination: `${apiUrl}/runs/:id/explain` },
        { source: '/explain-jobs/:path*', destination: `${apiUrl}/explain-jobs/:path*` },
        // Sign-in, sign-out and one-time login links (better-auth on the API): the session
        // cookie is set on, and sent to, the dashboard's own origin.
        { source: '/api/auth/:path*', destination: `${apiUrl}/api/auth/:path*` },
        // Live change notices (server-sent events) for the runs table and run pages.
        { source: '/live/events', destination: `${apiUrl}/live/events` },
      ],
      afterFiles: [],
      fallback: [],
    };
  },
};

export default nextConfig;
