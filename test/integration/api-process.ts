// The API as a separate process, the way a lab runs it: `node --import tsx apps/api/src/main.ts`
// with its settings in the environment. Used by the fault-tolerance test (kill -9 and restart on
// the same port and database) and by the ingest figures of `npm run bench -- --only load`.
import { spawn, type ChildProcess } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import net from 'node:net';
import { fileURLToPath } from 'node:url';

/** The repository root (where `apps/api/src/main.ts` is run from). */
export const repoRoot = fileURLToPath(new URL('../..', import.meta.url));

/** A port nothing listens on right now on 127.0.0.1 (asked of the kernel, then released). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** Where and how a child API runs. */
export interface ApiProcessOptions {
  /** SQLite `file:` URL or PostgreSQL URL (env DATABASE_URL). */
  databaseUrl: string;
  /** Artifact folder (env ARTIFACTS_DIR). */
  artifactsDir: string;
  /** Where the API writes its local admin key (env CONVSCOPE_KEY_FILE); read after /healthz. */
  keyFile: string;
  /** Port on 127.0.0.1 (env API_PORT); see {@link freePort}. */
  port: number;
  /** Extra environment (e.g. RATE_LIMIT_PER_MIN). */
  env?: Record<string, string>;
  /** Longest wait for /healthz after the spawn, in ms (default 90 s: migrations on a busy machine). */
  startTimeoutMs?: number;
}

/** A started child API. */
export interface ApiProcess {
  /** http://127.0.0.1:<port> */
  origin: string;
  port: number;
  pid: number;
  /** The local admin key, read from the key file once /healthz answered. */
  key: string;
  child: ChildProcess;
  /** The last 64 KiB of the child's stdout and stderr (for failure messages). */
  output(): string;
  /** Sends `signal` (SIGKILL: no shutdown at all, like a crash) and waits for the exit. */
  kill(signal?: NodeJS.Signals): Promise<void>;
  /** SIGTERM (graceful shutdown), then SIGKILL after 10 s; waits for the exit. */
  stop(): Promise<void>;
}

const live = new Set<ChildProcess>();
let exitHookInstalled = false;

/** No child API outlives the process that started it (a failed test, Ctrl-C of the bench). */
function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.once('exit', () => {
    for (const c of live) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  });
}

/**
 * Stops every child API this process started and has not seen exit, including one still starting
 * (its spawnApi then rejects): SIGTERM, then SIGKILL after 10 s. For afterAll hooks, so a failed
 * test leaves no API running (vitest may end its workers without an 'exit' event).
 */
export async function stopAllApis(): Promise<void> {
  await Promise.all(
    [...live].map(
      (c) =>
        new Promise<void>((resolve) => {
          if (c.exitCode !== null || c.signalCode !== null) return resolve();
          const timer = setTimeout(() => c.kill('SIGKILL'), 10_000);
          c.once('exit', () => {
            clearTimeout(timer);
            resolve();
          });
          c.kill('SIGTERM');
        }),
    ),
  );
}

/** Polls GET /healthz until it answers 200; fails early if `child` exits. */
export async function waitForHealthz(
  origin: string,
  options: { timeoutMs?: number; child?: ChildProcess; output?: () => string } = {},
): Promise<void> {
  const deadline = Date.now() + (options.timeoutMs ?? 90_000);
  for (let attempt = 0; ; attempt++) {
    const child = options.child;
    if (child && (child.exitCode !== null || child.signalCode !== null))
      throw new Error(
        `API process exited (${child.exitCode ?? child.signalCode}) before /healthz answered:\n${options.output?.() ?? ''}`,
      );
    try {
      const res = await fetch(`${origin}/healthz`, { signal: AbortSignal.timeout(2_000) });
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline)
      throw new Error(
        `API at ${origin} did not answer /healthz within ${options.timeoutMs ?? 90_000} ms:\n${options.output?.() ?? ''}`,
      );
    await new Promise((r) => setTimeout(r, Math.min(50 * 2 ** attempt, 250)));
  }
}

/** Starts `apps/api/src/main.ts` as a child process and waits until it serves /healthz. */
export async function spawnApi(options: ApiProcessOptions): Promise<ApiProcess> {
  installExitHook();
  const child = spawn(process.execPath, ['--import', 'tsx', 'apps/api/src/main.ts'], {
    cwd: repoRoot,
    env: {
      ...process.env,
      DATABASE_URL: options.databaseUrl,
      ARTIFACTS_DIR: options.artifactsDir,
      API_PORT: String(options.port),
      API_HOST: '127.0.0.1',
      CONVSCOPE_KEY_FILE: options.keyFile,
      LOGIN_LINK: '0',
      ...options.env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  live.add(child);
  let log = '';
  const append = (chunk: Buffer) => {
    log = (log + chunk.toString('utf8')).slice(-65_536);
  };
  child.stdout?.on('data', append);
  child.stderr?.on('data', append);
  const exited = new Promise<void>((resolve) => {
    child.once('exit', () => {
      live.delete(child);
      resolve();
    });
  });
  const output = () => log;
  const origin = `http://127.0.0.1:${options.port}`;
  const kill = async (signal: NodeJS.Signals = 'SIGKILL') => {
    if (child.exitCode === null && child.signalCode === null) child.kill(signal);
    await exited;
  };
  try {
    await waitForHealthz(origin, { timeoutMs: options.startTimeoutMs, child, output });
  } catch (err) {
    await kill();
    throw err;
  }
  const key = (await readFile(options.keyFile, 'utf8')).trim();
  return {
    origin,
    port: options.port,
    pid: child.pid!,
    key,
    child,
    output,
    kill,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await kill('SIGTERM');
      clearTimeout(timer);
    },
  };
}
