// `npm start`: the whole product on the embedded default. Starts the GraphQL API (migrations
// applied to the SQLite file under ./data), the Next.js dashboard, and, when the database holds
// no runs yet, a demo training run in a background worker process. With the API it also starts
// one explain worker process (libs/ml) computing the explanations of uploaded images. The API
// runs as a child process (apps/api/src/main.ts, its output passed through) that is restarted
// with backoff when it dies unexpectedly.
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

/** Delays before restarting a crashed API: 1 s, doubling up to 30 s. */
const API_RESTART_DELAYS_MS = [1000, 2000, 4000, 8000, 16000, 30000];
/** An API process that lived this long resets the backoff. */
const API_STABLE_MS = 60_000;

function exitDescription(code: number | null, signal: NodeJS.Signals | null): string {
  return signal ? `signal ${signal}` : `exit code ${code}`;
}

/**
 * Runs the API (apps/api/src/main.ts through tsx, stdout and stderr passed through) and restarts
 * it with backoff whenever it dies while the launcher is not shutting down. An exit with code 0
 * is a deliberate stop and ends the launcher.
 */
class ApiSupervisor {
  private child: ChildProcess | undefined;
  private restarts = 0;
  private everReady = false;

  /** Starts the API; resolves with its GraphQL URL once it listens, rejects if it dies first. */
  start(): Promise<string> {
    return new Promise((resolve, reject) => this.launch(resolve, reject));
  }

  private launch(onReady?: (url: string) => void, onEarlyExit?: (err: Error) => void): void {
    // node --import tsx (not the tsx wrapper): signals and the IPC channel reach the API itself.
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', path.join(root, 'apps/api/src/main.ts')],
      {
        cwd: root,
        stdio: ['inherit', 'inherit', 'inherit', 'ipc'],
        env: {
          ...process.env,
          API_PORT: String(env.apiPort),
          // The one-time login link is printed on the first start only.
          ...(this.everReady ? { LOGIN_LINK: '0' } : {}),
        },
      },
    );
    this.child = child;
    const startedAt = Date.now();
    child.on('message', (msg: { type?: string; url?: string }) => {
      if (msg?.type !== 'api-ready' || !msg.url) return;
      console.log(
        this.everReady
          ? `[api] restarted: GraphQL API at ${msg.url} (process ${child.pid})`
          : `[api] GraphQL API at ${msg.url} (process ${child.pid})`,
      );
      this.everReady = true;
      onReady?.(msg.url);
    });
    child.once('exit', (code, signal) => {
      if (this.child === child) this.child = undefined;
      if (shuttingDown) return;
      const how = exitDescription(code, signal);
      if (!this.everReady) {
        onEarlyExit?.(new Error(`the API exited (${how}) before it was ready`));
        return;
      }
      if (code === 0 && !signal) {
        console.log('[api] stopped (exit code 0); stopping everything else');
        void shutdown(0);
        return;
      }
      if (Date.now() - startedAt >= API_STABLE_MS) this.restarts = 0;
      const delay =
        API_RESTART_DELAYS_MS[Math.min(this.restarts, API_RESTART_DELAYS_MS.length - 1)];
      this.restarts += 1;
      console.error(`[api] exited unexpectedly (${how}); restarting in ${delay / 1000} s`);
      setTimeout(() => {
        if (!shuttingDown) this.launch();
      }, delay);
    });
  }

  /** Asks the API to shut down (SIGTERM) and waits for it, killing it after 10 s. */
  async stop(): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    await exited;
    clearTimeout(timer);
  }
}

const api = new ApiSupervisor();
let shuttingDown = false;
async function shutdown(code = 0): Promise<void> {
  if (shuttingDown) return;
  shuttingDown = true;
  for (const child of children) child.kill('SIGTERM');
  await api.stop();
  process.exit(code);
}
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
  console.error(`start failed: ${(err as Error).message}`);
  await shutdown(1);
}
