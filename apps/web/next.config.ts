import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { NextConfig } from 'next';

const appDir = path.dirname(fileURLToPath(import.meta.url));
// npm workspace root: @convscope/viz is a symlink into libs/viz, which must be inside Turbopack's root.
const workspaceRoot = path.resolve(appDir, '../..');
const apiUrl = (process.env.API_URL ?? 'http://localhost:4000').replace(/\/+$/, '');

const nextConfig: NextConfig = {
  // The browser test builds into its own folder so it never leaves a build for another API behind.
  distDir: process.env.NEXT_DIST_DIR ?? '.next',
  // The lib ships TypeScript sources (exports → src/index.ts), so Next compiles it.
  transpilePackages: ['@convscope/viz'],
  turbopack: { root: workspaceRoot },
  outputFileTracingRoot: workspaceRoot,
  poweredByHeader: false,
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
      ],
      afterFiles: [],
      fallback: [],
    };
  },
};

export default nextConfig;
