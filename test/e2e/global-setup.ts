// Playwright's global setup: the stack every browser test shares. It starts the API host
// (fixtures/api-host.ts, which gives each test a fresh API on one fixed port), builds apps/web
// against that port into its own NEXT_DIST_DIR and starts it. The addresses reach the tests
// through E2E_* environment variables; the returned function stops both servers.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import readline from 'node:readline';
import { fileURLToPath } from 'node:url';
import { chromiumMissing } from './fixtures/chromium';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const webDir = path.join(repoRoot, 'apps/web');
// Own build folder (NEXT_DIST_DIR, see next.config.ts): rewrites are fixed at build time, so the
// regular apps/web/.next must not be replaced by a build pointing at this test's API.
const E2E_DIST_DIR = '.next/e2e';
// Records the API port a build points at (E2E_REUSE_BUILD=1 reuses a build for that port).
export const BUILD_MARKER = path.join(webDir, E2E_DIST_DIR, 'e2e-build.json');
const nextBin = path.join(repoRoot, 'node_modules/next/dist/bin/next');
const tsxBin = path.join(repoRoot, 'node_modules/tsx/dist/cli.mjs');

const log = (msg: string) => console.log(`[e2e] ${msg}`);

/** A port the kernel has just handed out and released. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

async function portFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const srv = net.createServer();
    srv.once('error', () => resolve(false));
    srv.listen(port, '127.0.0.1', () => srv.close(() => resolve(true)));
  });
}

/**
 * The API port of an earlier build when E2E_REUSE_BUILD=1 asks to reuse it (for quick reruns
 * while writing tests; the build does not see later source changes), else null.
 */
async function reusableBuildPort(): Promise<number | null> {
  if (process.env.E2E_REUSE_BUILD !== '1' || !fs.existsSync(BUILD_MARKER)) return null;
  const { apiPort } = JSON.parse(fs.readFileSync(BUILD_MARKER, 'utf8')) as { apiPort?: unknown };
  return typeof apiPort === 'number' && (await portFree(apiPort)) ? apiPort : null;
}

function exited(child: ChildProcess, what: string): Promise<void> {
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code) =>
      code === 0 ? resolve() : reject(new Error(`${what} exited with ${code}`)),
    );
  });
}

/** Starts the API host and waits for its "READY <control url>" line. */
async function startApiHost(apiPort: number, webOrigin: string) {
  const child = spawn(
    process.execPath,
    [
      tsxBin,
      path.join(repoRoot, 'test/e2e/fixtures/api-host.ts'),
      '--api-port',
      String(apiPort),
      '--web-origin',
      webOrigin,
    ],
    // stdin stays a pipe: the host exits when it closes, even if this process is killed.
    { cwd: repoRoot, stdio: ['pipe', 'pipe', 'inherit'] },
  );
  const lines = readline.createInterface({ input: child.stdout });
  const controlUrl = await new Promise<string>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`the API host exited with ${code}`)));
    lines.on('line', (line) => {
      const ready = /^READY (\S+)$/.exec(line);
      if (ready?.[1]) resolve(ready[1]);
      else if (process.env.E2E_VERBOSE) console.log(`[api] ${line}`);
    });
  });
  return { child, controlUrl };
}

/** The environment of the dashboard's build and server for an API on `apiPort`. */
export function webEnv(apiPort: number): NodeJS.ProcessEnv {
  return {
    ...process.env,
    API_URL: `http://localhost:${apiPort}`,
    NEXT_DIST_DIR: E2E_DIST_DIR,
    NEXT_TELEMETRY_DISABLED: '1',
    // Type errors are `npm run typecheck`'s job (CI runs it before the tests): the browser
    // test's build skips Next's own check, about 45 s on two cores.
    CONVSCOPE_SKIP_BUILD_TYPECHECK: '1',
    // CI builds in a fresh clone: Turbopack's cache on disk would never be read again, and
    // writing it slowed the build by minutes on two cores (next.config.ts).
    ...(process.env.CI ? { CONVSCOPE_SKIP_BUILD_CACHE: '1' } : {}),
  };
}

/** Builds apps/web for this API: Next fixes rewrite destinations (API_URL) at build time. */
export async function buildWeb(apiPort: number, env: NodeJS.ProcessEnv): Promise<void> {
  log(`building apps/web into ${E2E_DIST_DIR} with API_URL=${env.API_URL}`);
  const started = Date.now();
  const child = spawn(process.execPath, [nextBin, 'build'], {
    cwd: webDir,
    env,
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  await exited(child, 'next build');
  fs.writeFileSync(BUILD_MARKER, JSON.stringify({ apiPort }));
  log(`built in ${((Date.now() - started) / 1000).toFixed(0)} s`);
}

/** Starts `next start` and waits until it answers. */
async function startWeb(port: number, env: NodeJS.ProcessEnv): Promise<ChildProcess> {
  const child = spawn(process.execPath, [nextBin, 'start', '-p', String(port), '-H', '127.0.0.1'], {
    cwd: webDir,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  child.stdout?.on('data', (d: Buffer) => {
    if (process.env.E2E_VERBOSE) process.stdout.write(`[web] ${d.toString()}`);
  });
  child.stderr?.on('data', (d: Buffer) => process.stderr.write(`[web] ${d.toString()}`));
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`next start exited with ${child.exitCode}`);
    // A static file: the pages need an API, and none runs before the first test.
    const answered = await fetch(`http://127.0.0.1:${port}/icon.svg`).then(
      (res) => res.status < 500,
      () => false,
    );
    if (answered) return child;
    await new Promise((r) => setTimeout(r, 300));
  }
  throw new Error('next start did not answer within 60 s');
}

function stop(child: ChildProcess, { group }: { group: boolean }): void {
  if (!child.pid || child.exitCode !== null) return;
  try {
    process.kill(group ? -child.pid : child.pid, 'SIGTERM');
  } catch {
    // already gone
  }
}

/** Starts the stack; the returned function is Playwright's global teardown. */
export default async function globalSetup(): Promise<() => Promise<void>> {
  // Without a browser nothing is built: the tests skip, or fail under REQUIRE_BROWSER=1.
  const missing = chromiumMissing();
  if (missing) {
    log(`no browser: ${missing}`);
    return async () => undefined;
  }
  const reusedPort = await reusableBuildPort();
  const apiPort = reusedPort ?? (await freePort());
  const webPort = await freePort();
  const webOrigin = `http://127.0.0.1:${webPort}`;
  const apiOrigin = `http://localhost:${apiPort}`;
  const host = await startApiHost(apiPort, webOrigin);
  const env = webEnv(apiPort);
  let web: ChildProcess | undefined;
  try {
    if (reusedPort === null) await buildWeb(apiPort, env);
    else log(`reusing the build in ${E2E_DIST_DIR} (E2E_REUSE_BUILD=1)`);
    web = await startWeb(webPort, env);
  } catch (err) {
    stop(host.child, { group: false });
    throw err;
  }
  log(`web at ${webOrigin}, API at ${apiOrigin}`);
  process.env.E2E_WEB_URL = webOrigin;
  process.env.E2E_API_ORIGIN = apiOrigin;
  process.env.E2E_CONTROL_URL = host.controlUrl;
  return async () => {
    if (web) stop(web, { group: true });
    if (host.child.exitCode === null) {
      const gone = exited(host.child, 'the API host').catch(() => undefined);
      stop(host.child, { group: false });
      await gone;
    }
  };
}
