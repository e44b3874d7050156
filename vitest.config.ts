import { defineConfig } from 'vitest/config';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const r = (p: string) => fileURLToPath(new URL(p, import.meta.url));

export default defineConfig({
  // Component tests (.test.tsx): React 19's automatic JSX runtime, whatever a tsconfig's "jsx" says
  // (apps/web keeps "preserve" for Next).
  oxc: { jsx: { runtime: 'automatic' } },
  resolve: {
    alias: {
      '@convscope/ml': r('./libs/ml/src/index.ts'),
      '@convscope/viz': r('./libs/viz/src/index.ts'),
      '@convscope/colormap': r('./libs/colormap/src/index.ts'),
      '@convscope/metrics': r('./libs/metrics/src/index.ts'),
      '@convscope/sweep': r('./libs/sweep/src/index.ts'),
      '@convscope/schemas': r('./libs/schemas/src/index.ts'),
      '@convscope/prisma': r('./prisma/index.ts'),
      // One graphql instance for type-graphql, Apollo and tests ("another module or realm").
      graphql: r('./node_modules/graphql/index.js'),
    },
  },
  test: {
    // A server started by a test without its own keyFile writes here, never over the
    // developer's data/local-api-key (nor its auth-secret beside it).
    env: { CONVSCOPE_KEY_FILE: path.join(os.tmpdir(), 'convscope-test-keys', 'local-api-key') },
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: [
            'libs/*/src/**/*.test.ts',
            'libs/*/src/**/*.test.tsx',
            'libs/*/test/**/*.test.ts',
            'apps/web/**/*.test.ts',
            'apps/web/**/*.test.tsx',
            'apps/api/src/**/*.test.ts',
            'test/unit/**/*.test.ts',
            'prisma/*.test.ts',
          ],
          testTimeout: 60_000,
        },
      },
      {
        extends: true,
        test: {
          name: 'integration',
          include: ['apps/api/test/**/*.test.ts', 'test/integration/**/*.test.ts'],
          testTimeout: 120_000,
          hookTimeout: 120_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
