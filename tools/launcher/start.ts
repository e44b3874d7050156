// `npm start`: the whole product on the embedded default. Starts the GraphQL API (migrations
// applied to the SQLite file under ./data), the Next.js dashboard, and, when the database holds
// no runs yet, a demo training run in a background worker process. With the API it also starts
// one explain worker process (libs/ml) computing the explanations of uploaded images. Each part
// is the command of a project's Nx target (nx-targets.ts); the API runs as a supervised child
// (its output passed through) that is restarted with backoff when it dies unexpectedly.
// `npm run api` / `npm run web` start one part only (`--only api|web`).
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { targetCommand } from './nx-targets';
import { ProcessGroup, Supervisor, type SpawnSpec } from './process-manager';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const { values: args } = parseArgs({ options: { only: { type: 'string' } }, strict: true });
const only = args.only;
if (only !== undefined && only !== 'api' && only !== 'web') {
  console.error(`--only expects "api" or "web", got "${only}"`);
  process.exit(2);
}

const env = {
  apiPort: Number(process.env.API_PORT ?? 4000),
  webPort: Number(process.env.WEB_PORT ?? 3000),
  demo: process.env.DEMO !== '0',
  demoEpochs: process.env.DEMO_EPOCHS ?? '10',
  explainWorker: process.env.EXPLAIN_WORKER !== '0',
};
const apiUrl = process.env.API_URL ?? `http://localhost:${env.apiPort}`;
const group = new ProcessGroup(root);

/** The spec of an Nx target's command, with extra arguments and environment. */
function target(
  project: string,
  name: string,
  extra: { args?: string[]; env?: Record<string, string> } = {},
): SpawnSpec {
  const { command, args: targetArgs } = targetCommand(root, project, name);
  return { command, args: [...targetArgs, ...(extra.args ?? [])], env: extra.env };
}

/** Newest modification time of the files under `dir` (skipping build output and dependencies). */
function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    // next-env.d.ts is rewritten by every build, so it must not count as a source change.
    if (entry.name === 'node_modules' || entry.name === '.next' || entry.name === 'next-env.d.ts')
      continue;
    const p = path.join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(p) : statSync(p).mtimeMs);
  }
  return newest;
}

/** Builds the dashboard when its sources or API_URL changed since the last build. */
async function buildWebIfStale(webEnv: Record<string, string>): Promise<void> {
  const webDir = path.join(root, 'apps/web');
  const buildId = path.join(webDir, '.next/BUILD_ID');
  const sources = Math.max(
    ...['apps/web', 'libs/viz', 'libs/colormap', 'libs/schemas'].map((dir) =>
      newestMtime(path.join(root, dir)),
    ),
  );
  // The API rewrite is fixed at build time: remember which API_URL a build was made for.
  const stamp = path.join(webDir, '.next/convscope-api-url');
  const builtFor = existsSync(stamp) ? readFileSync(stamp, 'utf8') : '';
  // A production build is much faster to browse than `next dev`; rebuild only when needed.
  if (existsSync(buildId) && statSync(buildId).mtimeMs >= sources && builtFor === apiUrl) return;
  console.log('[web] building the dashboard (once, or after source changes)...');
  const code = await new Promise<number | null>((resolve) =>
    group.spawn(target('apps/web', 'build', { env: webEnv })).on('exit', resolve),
  );
  if (code !== 0) throw new Error(`next build failed with exit code ${code}`);
  writeFileSync(stamp, apiUrl);
}

async function startWeb(): Promise<void> {
  const webEnv = { API_URL: apiUrl, NEXT_TELEMETRY_DISABLED: '1' };
  await buildWebIfStale(webEnv);
  const web = group.spawn(
    target('apps/web', 'serve', { args: ['-p', String(env.webPort)], env: webEnv }),
  );
  web.on('exit', (code) => {
    if (!group.isStopping) console.error(`[web] dashboard exited with code ${code}`);
  });
  console.log(`[web] dashboard at http://localhost:${env.webPort}`);
}

/** The local admin key the API wrote at start (the launcher counts runs with it). */
function localKey(): string | null {
  const file = path.resolve(root, process.env.CONVSCOPE_KEY_FILE ?? 'data/local-api-key');
  try {
    return readFileSync(file, 'utf8').trim() || null;
  } catch {
    return null;
  }
}

async function countRuns(): Promise<number> {
  const key = process.env.CONVSCOPE_API_KEY ?? localKey();
  const res = await fetch(`${apiUrl}/graphql`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(key ? { authorization: `Bearer ${key}` } : {}),
    },
    body: JSON.stringify({ query: '{ runs(first: 1) { totalCount } }' }),
  });
  const body = (await res.json()) as { data?: { runs: { totalCount: number } } };
  return body.data?.runs.totalCount ?? 0;
}

function startDemo(): void {
  console.log(
    `[demo] no runs yet: training fmnist-cnn on the committed Fashion-MNIST subset (${env.demoEpochs} epochs), project "demo"`,
  );
  const demoArgs = ['--preset', 'fmnist-cnn', '--epochs', env.demoEpochs, '--project', 'demo'];
  const worker = group.spawn(
    target('libs/ml', 'train', {
      args: [...demoArgs, '--name', 'demo-fmnist-cnn', '--tag', 'demo', '--api', apiUrl],
    }),
  );
  worker.on('exit', (code) => {
    if (group.isStopping) return;
    console.log(
      code === 0
        ? '[demo] training finished'
        : `[demo] training worker exited with code ${code} (the run is marked FAILED)`,
    );
  });
}

/**
 * One explain worker beside the API (a process: the API must not import libs/ml). Restarted a
 * few times if it dies; the API requeues the job it held.
 */
function startExplainWorker(restarts = 0): void {
  const worker = group.spawn(target('libs/ml', 'explain-worker', { args: ['--api', apiUrl] }));
  worker.on('exit', (code) => {
    if (group.isStopping) return;
    if (restarts >= 5) {
      console.error(`[explain-worker] exited with code ${code}; not restarting it again`);
      return;
    }
    console.error(`[explain-worker] exited with code ${code}; restarting in 5 s`);
    setTimeout(() => {
      if (!group.isStopping) startExplainWorker(restarts + 1);
    }, 5000).unref();
  });
}

let shuttingDown = false;
async function shutdown(code = 0): Promise<void> {
  if (shuttingDown) return;
  shuttingDown = true;
  await group.stopAll();
  process.exit(code);
}

/** The API: apps/api's `serve` target, supervised (its IPC message says where it listens). */
const api = new Supervisor(group, {
  name: 'api',
  spec: (restarted) =>
    target('apps/api', 'serve', {
      // The one-time login link is printed on the first start only.
      env: { API_PORT: String(env.apiPort), ...(restarted ? { LOGIN_LINK: '0' } : {}) },
    }),
  readyMessage: (msg) => {
    const m = msg as { type?: unknown; url?: unknown } | null;
    return m?.type === 'api-ready' && typeof m.url === 'string' ? m.url : null;
  },
  onReady: ({ ready, pid, restarted }) =>
    console.log(
      restarted
        ? `[api] restarted: GraphQL API at ${ready} (process ${pid})`
        : `[api] GraphQL API at ${ready} (process ${pid})`,
    ),
  onDeliberateStop: () => {
    console.log('[api] stopped (exit code 0); stopping everything else');
    void shutdown(0);
  },
});

process.on('SIGINT', () => void shutdown());
process.on('SIGTERM', () => void shutdown());

try {
  if (only !== 'web') {
    await api.start();
    if (env.explainWorker) startExplainWorker();
  }
  if (only !== 'api') await startWeb();
  // After the dashboard is up, so the demo run can be watched live from its first epoch.
  if (!only && env.demo && (await countRuns()) === 0) startDemo();
} catch (err) {
  console.error(`start failed: ${err instanceof Error ? err.message : String(err)}`);
  await shutdown(1);
}
