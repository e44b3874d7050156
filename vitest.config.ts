import { defineConfig } from 'vitest/config';
import { BaseSequencer, type TestSpecification } from 'vitest/node';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const r = (p: string) => fileURLToPath(new URL(p, import.meta.url));

/**
 * The slowest files of apps/api/test, slowest first: with two files at a time
 * (INTEGRATION_WORKERS=2) they start first, so the second worker goes through the short files
 * meanwhile instead of one of them starting last and running alone (a fresh clone has no
 * timings cached, and vitest then orders files by size).
 */
const LONG_INTEGRATION_FILES = [
  'apps/api/test/metrics.test.ts',
  'apps/api/test/hostile-inputs.test.ts',
  'apps/api/test/explain-jobs.test.ts',
  'apps/api/test/runs-query-sql.test.ts',
];

/** Vitest's order, except that the files above come first, in that order. */
class LongFilesFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const sorted = await super.sort(files);
    const root = this.ctx.config.root;
    const rank = (f: TestSpecification) => {
      const i = LONG_INTEGRATION_FILES.indexOf(path.relative(root, f.moduleId));
      return i < 0 ? LONG_INTEGRATION_FILES.length : i;
    };
    // Stable: files of other projects keep their place relative to each other.
    return sorted
      .map((f, i) => ({ f, i }))
      .sort((a, b) => rank(a.f) - rank(b.f) || a.i - b.i)
      .map(({ f }) => f);
  }
}

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
    sequence: { sequencer: LongFilesFirst },
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
          // One file at a time unless INTEGRATION_WORKERS says more. test/run.sh runs
          // apps/api/test two files at a time (API and database tests that mostly wait on I/O;
          // every file owns its port, temporary folder, SQLite file, PostgreSQL schema and key
          // file, and its environment is its worker process's) and test/integration one at a
          // time: training, worker processes and heartbeat/lease timings there failed when two
          // of them shared the two cores.
          maxWorkers: Number(process.env.INTEGRATION_WORKERS ?? 1),
          // Its own group: `vitest run` with both projects runs the unit files first, as before.
          sequence: { groupOrder: 1 },
        },
      },
    ],
  },
});
