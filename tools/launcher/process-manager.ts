// The launcher's process handling: a group of child processes stopped together (SIGTERM, then
// SIGKILL after a grace period), and a supervisor that restarts one child with backoff when it
// dies unexpectedly. Nothing here knows what the children are.
import { spawn, type ChildProcess, type StdioOptions } from 'node:child_process';
import path from 'node:path';

/** How to spawn a child of the group. */
export interface SpawnSpec {
  command: string;
  args: string[];
  /** Extra environment, over the launcher's own. */
  env?: Record<string, string>;
  /** Default: inherit stdin, stdout and stderr. */
  stdio?: StdioOptions;
}

/** Children spawned in the repository root, with node_modules/.bin on the PATH, stopped together. */
export class ProcessGroup {
  private readonly children = new Set<ChildProcess>();
  private stopping = false;

  constructor(private readonly root: string) {}

  /** True once {@link stopAll} was called: exits from then on are expected. */
  get isStopping(): boolean {
    return this.stopping;
  }

  /** Spawns a child; `node` runs this very Node binary (and so its version and flags). */
  spawn(spec: SpawnSpec): ChildProcess {
    const bin = path.join(this.root, 'node_modules', '.bin');
    const child = spawn(spec.command === 'node' ? process.execPath : spec.command, spec.args, {
      cwd: this.root,
      stdio: spec.stdio ?? 'inherit',
      env: {
        ...process.env,
        PATH: `${bin}${path.delimiter}${process.env.PATH ?? ''}`,
        ...spec.env,
      },
    });
    this.children.add(child);
    child.once('exit', () => this.children.delete(child));
    return child;
  }

  /** Sends SIGTERM to every live child and waits for them, with SIGKILL after `graceMs`. */
  async stopAll(graceMs = 10_000): Promise<void> {
    this.stopping = true;
    await Promise.all([...this.children].map((child) => stop(child, graceMs)));
  }
}

/** SIGTERM, then SIGKILL after `graceMs`; resolves once the child has exited. */
async function stop(child: ChildProcess, graceMs: number): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
  await exited;
  clearTimeout(timer);
}

/** How a child exited, for log lines. */
export function exitDescription(code: number | null, signal: NodeJS.Signals | null): string {
  return signal ? `signal ${signal}` : `exit code ${code}`;
}

/** Options of {@link Supervisor}. */
export interface SupervisorOptions {
  /** Log prefix, e.g. "api". */
  name: string;
  /** The spec of each (re)start; `restarted` is false for the first start only. */
  spec: (restarted: boolean) => SpawnSpec;
  /** Whether a message on the child's IPC channel says it is ready; its argument to onReady. */
  readyMessage: (message: unknown) => string | null;
  /** Called on every (re)start that became ready. */
  onReady: (info: { ready: string; pid: number; restarted: boolean }) => void;
  /** Called when the child exits with code 0 by itself (a deliberate stop). */
  onDeliberateStop: () => void;
  /** Delays before the 1st, 2nd, ... restart in a row (the last repeats). */
  restartDelaysMs?: readonly number[];
  /** A child that lived this long resets the backoff. */
  stableMs?: number;
}

/** Delays before restarting: 1 s, doubling up to 30 s. */
const RESTART_DELAYS_MS = [1000, 2000, 4000, 8000, 16000, 30000];

/**
 * Runs one child of a group (with an IPC channel) and restarts it with backoff whenever it dies
 * while the group is not stopping. An exit with code 0 is a deliberate stop and is not restarted.
 */
export class Supervisor {
  private restarts = 0;
  private everReady = false;

  constructor(
    private readonly group: ProcessGroup,
    private readonly options: SupervisorOptions,
  ) {}

  /** Starts the child; resolves once it says it is ready, rejects if it dies before that. */
  start(): Promise<string> {
    return new Promise((resolve, reject) => this.launch(resolve, reject));
  }

  private launch(onFirstReady?: (ready: string) => void, onEarlyExit?: (e: Error) => void): void {
    const { name } = this.options;
    const spec = this.options.spec(this.everReady);
    const child = this.group.spawn({ ...spec, stdio: ['inherit', 'inherit', 'inherit', 'ipc'] });
    const startedAt = Date.now();
    child.on('message', (message: unknown) => {
      const ready = this.options.readyMessage(message);
      if (ready === null || child.pid === undefined) return;
      this.options.onReady({ ready, pid: child.pid, restarted: this.everReady });
      this.everReady = true;
      onFirstReady?.(ready);
    });
    child.once('exit', (code, signal) => {
      if (this.group.isStopping) return;
      const how = exitDescription(code, signal);
      if (!this.everReady) {
        onEarlyExit?.(new Error(`the ${name} process exited (${how}) before it was ready`));
        return;
      }
      if (code === 0 && !signal) {
        this.options.onDeliberateStop();
        return;
      }
      this.scheduleRestart(how, Date.now() - startedAt);
    });
  }

  private scheduleRestart(how: string, livedMs: number): void {
    const delays = this.options.restartDelaysMs ?? RESTART_DELAYS_MS;
    if (livedMs >= (this.options.stableMs ?? 60_000)) this.restarts = 0;
    const delay = delays[Math.min(this.restarts, delays.length - 1)] ?? 1000;
    this.restarts += 1;
    console.error(
      `[${this.options.name}] exited unexpectedly (${how}); restarting in ${delay / 1000} s`,
    );
    setTimeout(() => {
      if (!this.group.isStopping) this.launch();
    }, delay);
  }
}
