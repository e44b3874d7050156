// `npm start`: the whole product on the embedded default. Starts the GraphQL API (migrations
// applied to the SQLite file under ./data); as soon as it answers, and when the database holds
// no runs yet, a demo training run in a background worker process, in parallel with the
// Next.js dashboard's build and server (start-sequence.ts has the order), so the first curve
// is in the database long before a first build is done. Once the dashboard answers it starts
// one queue worker process (libs/ml `npm run worker`) that trains queued runs and computes
// on-demand explanations (EXPLAIN_WORKER=0: training only; QUEUE_WORKER=0: explanations only;
// both 0: none). Each part
// is the command of a project's Nx target (nx-targets.ts); the API runs as a supervised child
// (its output passed through) that is restarted with backoff when it dies unexpectedly; the
// demo's and the build's output is prefixed with [demo] and [web]. While a first build runs, a
// warm-up page (warmup-server.ts) on the dashboard's port shows the build's progress and the
// demo's curves, and hands the port over to the dashboard once it is built.
// `npm run api` / `npm run web` start one part only (`--only api|web`).
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { eachLine, parseTrainLine, secondsSince } from './child-output';
import { onednnHint } from './native-hint';
import { targetCommand } from './nx-targets';
import { ProcessGroup, Supervisor, type SpawnSpec } from './process-manager';
import { runStartSequence } from './start-sequence';
import {
  MAX_BUILD_LINES,
  fetchDemoRun,
  startWarmupServer,
  type WarmupServer,
} from './warmup-server';

const launchedAt = Date.now();

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
  queueWorker: process.env.QUEUE_WORKER !== '0',
  warmup: process.env.WARMUP_PAGE !== '0',
};
const apiUrl = process.env.API_URL ?? `http://localhost:${env.apiPort}`;
const webUrl = `http://localhost:${env.webPort}`;
// The build skips Next's type check (next.config.ts): `npm run typecheck` and CI do it, and a
// first start is waiting for the dashboard.
const webEnv = {
  API_URL: apiUrl,
  NEXT_TELEMETRY_DISABLED: '1',
  CONVSCOPE_SKIP_BUILD_TYPECHECK: '1',
};
// next.config.ts builds into and serves from NEXT_DIST_DIR (default .next).
const distDir = path.join(root, 'apps/web', process.env.NEXT_DIST_DIR ?? '.next');
const group = new ProcessGroup(root);
// Training (the demo, runs started from the dashboard) uses oneDNN when its addon loads; when
// it does not, one line says what it would gain and how to get it.
if (only !== 'web') {
  const hint = onednnHint(root);
  if (hint) console.log(hint);
}
/** The demo run's id once its worker has created it (from the worker's output). */
let demoRunId: string | null = null;
/** Whether a demo run is coming (for the warm-up page's note); false once decided it is not. */
let demoExpected = env.demo;
/** The latest [web] lines, for the warm-up page. */
const webLines: string[] = [];

/** Prints a [web] line and keeps it for the warm-up page. */
function webLog(line: string): void {
  const text = `[web] ${line}`;
  console.log(text);
  webLines.push(text);
  if (webLines.length > MAX_BUILD_LINES) webLines.shift();
}

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
    if (
      entry.name === 'node_modules' ||
      entry.name === '.next' ||
      entry.name === 'next-env.d.ts' ||
      path.join(dir, entry.name) === distDir
    )
      continue;
    const p = path.join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(p) : statSync(p).mtimeMs);
  }
  return newest;
}

/** Whether the dashboard's sources or API_URL changed since the last build (or there is none). */
function webBuildStale(): boolean {
  const buildId = path.join(distDir, 'BUILD_ID');
  const sources = Math.max(
    ...['apps/web', 'libs/viz', 'libs/colormap', 'libs/schemas'].map((dir) =>
      newestMtime(path.join(root, dir)),
    ),
  );
  // The API rewrite is fixed at build time: remember which API_URL a build was made for.
  const stamp = path.join(distDir, 'convscope-api-url');
  const builtFor = existsSync(stamp) ? readFileSync(stamp, 'utf8') : '';
  // A production build is much faster to browse than `next dev`; rebuild only when needed.
  return !(existsSync(buildId) && statSync(buildId).mtimeMs >= sources && builtFor === apiUrl);
}

/** Builds the dashboard when its sources or API_URL changed since the last build. */
async function buildWebIfStale(): Promise<void> {
  if (!webBuildStale()) return;
  webLog(
    'building the dashboard (once, or after source changes; a few minutes on a first start)...',
  );
  const started = Date.now();
  // Next's own progress lines, prefixed; a line every 20 s while it is silent (compiling).
  let lastLine = Date.now();
  const ticker = setInterval(() => {
    if (Date.now() - lastLine >= 20_000) {
      webLog(`still building (${secondsSince(started)})...`);
      lastLine = Date.now();
    }
  }, 5_000);
  ticker.unref();
  const child = group.spawn({
    ...target('apps/web', 'build', { env: webEnv }),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const print = (line: string) => {
    if (!line.trim()) return;
    lastLine = Date.now();
    webLog(line.trimEnd());
  };
  eachLine(child.stdout, print);
  eachLine(child.stderr, print);
  const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
  clearInterval(ticker);
  if (code !== 0) throw new Error(`next build failed with exit code ${code}`);
  writeFileSync(path.join(distDir, 'convscope-api-url'), apiUrl);
  webLog(`dashboard built in ${secondsSince(started)}`);
}

/** Resolves once the dashboard answers (a static file: pages need the API), or rejects if it exits. */
async function waitForWeb(web: ReturnType<ProcessGroup['spawn']>): Promise<void> {
  for (;;) {
    if (web.exitCode !== null) throw new Error(`next start exited with code ${web.exitCode}`);
    const answered = await fetch(`http://127.0.0.1:${env.webPort}/icon.svg`).then(
      (res) => res.status < 500,
      () => false,
    );
    if (answered) return;
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** Serves the built dashboard; resolves with its address once it answers. */
async function serveWeb(): Promise<string> {
  const web = group.spawn(
    target('apps/web', 'serve', { args: ['-p', String(env.webPort)], env: webEnv }),
  );
  web.on('exit', (code) => {
    if (!group.isStopping) console.error(`[web] dashboard exited with code ${code}`);
  });
  await waitForWeb(web);
  console.log(`[web] dashboard at ${webUrl} (ready after ${secondsSince(launchedAt)})`);
  if (demoRunId) console.log(`[demo] watch the demo run live: ${webUrl}/runs/${demoRunId}`);
  return webUrl;
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

/** The launcher's key for the API: CONVSCOPE_API_KEY, else the local key file. */
function launcherKey(): string | null {
  return process.env.CONVSCOPE_API_KEY ?? localKey();
}

async function countRuns(): Promise<number> {
  const key = launcherKey();
  const res = await fetch(`${apiUrl}/graphql`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(key ? { authorization: `Bearer ${key}` } : {}),
    },
    body: JSON.stringify({ query: '{ runs(first: 1) { totalCount } }' }),
  });
  const body = (await res.json()) as { data?: { runs: { totalCount: number } } };
  const count = body.data?.runs.totalCount ?? 0;
  if (count > 0) demoExpected = false;
  return count;
}

let warmupServer: WarmupServer | null = null;

/** Serves the warm-up page on the dashboard's port until the build is done. */
async function startWarmup(): Promise<void> {
  warmupServer = await startWarmupServer({
    port: env.webPort,
    buildLines: () => webLines,
    runId: () => demoRunId,
    fetchRun: (runId) => fetchDemoRun({ apiUrl, key: launcherKey, runId }),
    noDemoNote: () =>
      demoExpected
        ? null
        : 'No demo run this time (DEMO=0, or the database already holds runs): the dashboard opens once built.',
  });
  console.log(
    `[web] while the dashboard builds: ${webUrl} shows the build's progress and the demo's curves (after ${secondsSince(launchedAt)})`,
  );
}

/** Closes the warm-up page's server (the dashboard takes the port next). */
async function stopWarmup(): Promise<void> {
  await warmupServer?.close();
  warmupServer = null;
}

function startDemo(): void {
  console.log(
    `[demo] no runs yet: training fmnist-cnn on the committed Fashion-MNIST subset (${env.demoEpochs} epochs), project "demo", beside the dashboard's start`,
  );
  const demoArgs = ['--preset', 'fmnist-cnn', '--epochs', env.demoEpochs, '--project', 'demo'];
  const worker = group.spawn({
    ...target('libs/ml', 'train', {
      args: [...demoArgs, '--name', 'demo-fmnist-cnn', '--tag', 'demo', '--api', apiUrl],
    }),
    // Piped (so no per-batch bar): one prefixed line per epoch, readable beside the build.
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const print = (line: string) => {
    if (!line.trim()) return;
    const event = parseTrainLine(line);
    if (event?.kind === 'run') {
      demoRunId = event.runId;
      console.log(
        `[demo] run ${event.runId} created after ${secondsSince(launchedAt)}; its curves start with the first batches`,
      );
      return;
    }
    if (event?.kind === 'epoch')
      console.log(`[demo] ${line.trim()} (after ${secondsSince(launchedAt)})`);
    else console.log(`[demo] ${line.trimEnd()}`);
  };
  eachLine(worker.stdout, print);
  eachLine(worker.stderr, print);
  worker.on('exit', (code) => {
    if (group.isStopping) return;
    console.log(
      code === 0
        ? '[demo] training finished'
        : `[demo] training worker exited with code ${code} (the run is marked FAILED)`,
    );
  });
}

/** The job kinds of the local queue worker: training and explanations unless turned off. */
const workerKinds = [
  ...(env.queueWorker ? ['train'] : []),
  ...(env.explainWorker ? ['explain'] : []),
].join(',');

/**
 * One queue worker beside the API (`npm run worker`, a process: the API must not import
 * libs/ml): queued runs train and explanations are computed with no extra command (one worker
 * for both: explanations have a slot of their own beside the training). Restarted a few times
 * if it dies; the API retries the job it held once its lease ends.
 */
function startQueueWorker(restarts = 0): void {
  const worker = group.spawn(
    target('libs/ml', 'worker', { args: ['--api', apiUrl, '--kinds', workerKinds] }),
  );
  worker.on('exit', (code) => {
    if (group.isStopping) return;
    if (restarts >= 5) {
      console.error(`[worker] exited with code ${code}; not restarting it again`);
      return;
    }
    console.error(`[worker] exited with code ${code}; restarting in 5 s`);
    setTimeout(() => {
      if (!group.isStopping) startQueueWorker(restarts + 1);
    }, 5000).unref();
  });
}

let shuttingDown = false;
async function shutdown(code = 0): Promise<void> {
  if (shuttingDown) return;
  shuttingDown = true;
  await Promise.all([group.stopAll(), stopWarmup()]);
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
        : `[api] GraphQL API at ${ready} (process ${pid}), up after ${secondsSince(launchedAt)}`,
    ),
  onDeliberateStop: () => {
    console.log('[api] stopped (exit code 0); stopping everything else');
    void shutdown(0);
  },
});

process.on('SIGINT', () => void shutdown());
process.on('SIGTERM', () => void shutdown());

try {
  await runStartSequence(
    {
      startApi: () => api.start(),
      countRuns,
      startDemo,
      buildWeb: buildWebIfStale,
      webBuildStale,
      startWarmup,
      stopWarmup,
      serveWeb,
      // The queue worker computes the explanations too: no second process for them.
      startExplainWorker: () => undefined,
      startQueueWorker: () => startQueueWorker(),
      log: (line) => console.log(line),
    },
    {
      only,
      demo: env.demo,
      explainWorker: false,
      queueWorker: workerKinds !== '',
      warmup: env.warmup,
    },
  );
} catch (err) {
  console.error(`start failed: ${err instanceof Error ? err.message : String(err)}`);
  await shutdown(1);
}
