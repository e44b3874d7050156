// `npm start`: the whole product on the embedded default. Starts the GraphQL API (migrations
// applied to the SQLite file under ./data), the Next.js dashboard, and, when the database holds
// no runs yet, a demo training run in a background worker process. With the API it also starts
// one explain worker process (libs/ml) computing the explanations of uploaded images.
// `npm run api` / `npm run web` start one part only (`--only api|web`).
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../..');
const { values: args } = parseArgs({ options: { only: { type: 'string' } }, strict: true });
const only = args.only as 'api' | 'web' | undefined;
if (only && only !== 'api' && only !== 'web') {
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
const children: ChildProcess[] = [];
let closeApi: (() => Promise<void>) | undefined;

function bin(name: string): string {
  return path.join(root, 'node_modules', '.bin', name);
}

function run(cmd: string, argv: string[], extraEnv: Record<string, string> = {}): ChildProcess {
  const child = spawn(cmd, argv, {
    cwd: root,
    stdio: 'inherit',
    env: { ...process.env, ...extraEnv },
  });
  children.push(child);
  return child;
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

async function startWeb(): Promise<void> {
  const webDir = path.join(root, 'apps/web');
  const buildId = path.join(webDir, '.next/BUILD_ID');
  const sources = Math.max(newestMtime(webDir), newestMtime(path.join(root, 'libs/viz')));
  const webEnv = { API_URL: apiUrl, NEXT_TELEMETRY_DISABLED: '1' };
  // The API rewrite is fixed at build time: remember which API_URL a build was made for.
  const stamp = path.join(webDir, '.next/convscope-api-url');
  const builtFor = existsSync(stamp) ? readFileSync(stamp, 'utf8') : '';
  // A production build is much faster to browse than `next dev`; rebuild only when sources or API_URL changed.
  if (!existsSync(buildId) || statSync(buildId).mtimeMs < sources || builtFor !== apiUrl) {
    console.log('[web] building the dashboard (once, or after source changes)...');
    const code = await new Promise<number | null>((resolve) =>
      run(bin('next'), ['build', webDir], webEnv).on('exit', resolve),
    );
    if (code !== 0) throw new Error(`next build failed with exit code ${code}`);
    writeFileSync(stamp, apiUrl);
  }
  const web = run(bin('next'), ['start', webDir, '-p', String(env.webPort)], webEnv);
  web.on('exit', (code) => {
    if (!shuttingDown) console.error(`[web] dashboard exited with code ${code}`);
  });
  console.log(`[web] dashboard at http://localhost:${env.webPort}`);
}

async function countRuns(): Promise<number> {
  const res = await fetch(`${apiUrl}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query: '{ runs(first: 1) { totalCount } }' }),
  });
  const body = (await res.json()) as { data?: { runs: { totalCount: number } } };
  return body.data?.runs.totalCount ?? 0;
}

function startDemo(): void {
  console.log(
    `[demo] no runs yet: training fmnist-cnn on the committed Fashion-MNIST subset (${env.demoEpochs} epochs), project "demo"`,
  );
  // node --import tsx rather than the tsx wrapper, so signals reach the training process itself.
  const worker = run(process.execPath, [
    '--import',
    'tsx',
    path.join(root, 'libs/ml/src/cli/train.cli.ts'),
    '--preset',
    'fmnist-cnn',
    '--epochs',
    env.demoEpochs,
    '--project',
    'demo',
    '--name',
    'demo-fmnist-cnn',
    '--tag',
    'demo',
    '--api',
    apiUrl,
  ]);
  worker.on('exit', (code) => {
    if (shuttingDown) return;
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
  const worker = run(process.execPath, [
    '--import',
    'tsx',
    path.join(root, 'libs/ml/src/cli/explain-worker.cli.ts'),
    '--api',
    apiUrl,
  ]);
  worker.on('exit', (code) => {
    if (shuttingDown) return;
    if (restarts >= 5) {
      console.error(`[explain-worker] exited with code ${code}; not restarting it again`);
      return;
    }
    console.error(`[explain-worker] exited with code ${code}; restarting in 5 s`);
    setTimeout(() => {
      if (!shuttingDown) startExplainWorker(restarts + 1);
    }, 5000).unref();
  });
}

let shuttingDown = false;
async function shutdown(): Promise<void> {
  if (shuttingDown) return;
  shuttingDown = true;
  for (const child of children) child.kill('SIGTERM');
  await closeApi?.().catch(() => undefined);
  process.exit(0);
}
process.on('SIGINT', shutdown);
process.on('SIGTERM', shutdown);

try {
  if (only !== 'web') {
    const { startApiServer } = await import('../server.js');
    const api = await startApiServer({ port: env.apiPort });
    closeApi = api.close;
    console.log(`[api] GraphQL API at ${api.url}`);
    if (env.explainWorker) startExplainWorker();
  }
  if (only !== 'api') await startWeb();
  // After the dashboard is up, so the demo run can be watched live from its first epoch.
  if (!only && env.demo && (await countRuns()) === 0) startDemo();
} catch (err) {
  console.error(`start failed: ${(err as Error).message}`);
  await shutdown();
  process.exitCode = 1;
}
