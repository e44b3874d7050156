// SQLite reads off the event loop. Prisma's better-sqlite3 adapter runs every statement
// synchronously on the API's one thread, so a slow read (a runs-table COUNT over 100k runs)
// held up every other request until it ended. The pool runs read-only SELECTs on a few worker
// threads, each with its own connection to the file (WAL mode lets them read while the main
// connection writes), queues what exceeds them, and gives each statement a time budget.
// createDatabase() opens one per SQLite file (lazily: no thread starts before the first read);
// repositories find it with sqliteReaderOf(prisma) and fall back to Prisma without one.
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { GraphQLError } from 'graphql';
import { badInput } from '../common/errors';
import { findNul } from './nul-guard';
import type { ReadReply, ReadRequest, ReadWorkerData } from './sqlite-read.worker';

/** Runs one read-only statement (`?` placeholders) and resolves with its rows. */
export type SqlReader = (
  text: string,
  params: readonly unknown[],
) => Promise<Record<string, unknown>[]>;

/** Options of {@link SqliteReadPool}. */
export interface SqliteReadPoolOptions {
  /** The database file. */
  filePath: string;
  /** Worker threads (default 2: reads beside the main thread on a small machine). */
  size?: number;
  /** A statement still running this long after it started is abandoned with QUERY_TIMEOUT (default 30 s). */
  timeoutMs?: number;
  /** busy_timeout of the threads' connections (default 10 s, as the main connection's). */
  busyTimeoutMs?: number;
}

interface Job {
  id: number;
  text: string;
  params: unknown[];
  resolve(rows: Record<string, unknown>[]): void;
  reject(err: Error): void;
  timer?: NodeJS.Timeout;
}

interface Slot {
  worker: Worker;
  ready: Promise<void>;
  job: Job | null;
}

/** The QUERY_TIMEOUT error of a read past its budget (a server condition, not the input's). */
function timeoutError(ms: number): GraphQLError {
  return new GraphQLError(
    `The database read took longer than ${ms} ms and was abandoned; narrow the query or retry`,
    { extensions: { code: 'QUERY_TIMEOUT', timeoutMs: ms, http: { status: 503 } } },
  );
}

/** The worker's entry: the .ts file through tsx when running from source, else the built .js. */
function workerScript(): { script: string | URL; eval: boolean } {
  if (!import.meta.url.endsWith('.ts'))
    return { script: new URL('./sqlite-read.worker.js', import.meta.url), eval: false };
  const entry = new URL('./sqlite-read.worker.ts', import.meta.url).href;
  // import.meta.resolve is missing where tsx compiles this file to CommonJS (a script outside
  // the workspace's "type": "module"): the package's require entry, as its ESM twin.
  const tsxApi =
    typeof import.meta.resolve === 'function'
      ? import.meta.resolve('tsx/esm/api')
      : pathToFileURL(
          createRequire(import.meta.url)
            .resolve('tsx/esm/api')
            .replace(/\.cjs$/, '.mjs'),
        ).href;
  return {
    script:
      `import(${JSON.stringify(tsxApi)})` +
      `.then((m) => { m.register(); return import(${JSON.stringify(entry)}); })`,
    eval: true,
  };
}

/** Live pools (for {@link sqliteReadsInFlight}). */
const pools = new Set<SqliteReadPool>();

/** A few worker threads that run read-only SELECTs on one SQLite file. */
export class SqliteReadPool {
  private readonly slots: Slot[] = [];
  private readonly queue: Job[] = [];
  private nextId = 1;
  private closed = false;
  private readonly size: number;
  private readonly timeoutMs: number;

  constructor(private readonly options: SqliteReadPoolOptions) {
    this.size = Math.max(1, Math.floor(options.size ?? 2));
    this.timeoutMs = options.timeoutMs ?? 30_000;
    pools.add(this);
  }

  /** Statements running or queued now. */
  get inFlight(): number {
    return this.queue.length + this.slots.filter((s) => s.job).length;
  }

  /** Runs `text` (a SELECT; anything else is refused) with `params` on a thread. */
  read: SqlReader = (text, params) => {
    if (this.closed) return Promise.reject(new Error('the SQLite read pool is closed'));
    // The same refusal as Prisma's nul-guard, which these statements bypass.
    const where = findNul(params, 'params');
    if (where)
      return Promise.reject(
        badInput(
          `Invalid input: a text value contains a NUL byte (U+0000), which cannot be stored or searched for (sql.read ${where})`,
          { found: 'U+0000' },
        ),
      );
    return new Promise((resolve, reject) => {
      const job: Job = { id: this.nextId++, text, params: [...params], resolve, reject };
      this.queue.push(job);
      this.dispatch();
    });
  };

  /** Stops every thread; pending reads fail. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    pools.delete(this);
    const err = new Error('the SQLite read pool is closed');
    for (const job of this.queue.splice(0)) this.settle(job, err);
    await Promise.all(
      this.slots.splice(0).map(async (slot) => {
        if (slot.job) this.settle(slot.job, err);
        await slot.worker.terminate();
      }),
    );
  }

  private spawn(): Slot {
    const { script, eval: isEval } = workerScript();
    const data: ReadWorkerData = {
      filePath: this.options.filePath,
      busyTimeoutMs: this.options.busyTimeoutMs ?? 10_000,
    };
    const worker = new Worker(script, { eval: isEval, workerData: data });
    let markReady!: () => void;
    const slot: Slot = { worker, job: null, ready: new Promise((r) => (markReady = r)) };
    worker.on('message', (m: ReadReply | 'ready') => {
      if (m === 'ready') return markReady();
      const job = slot.job;
      if (!job || job.id !== m.id) return;
      slot.job = null;
      if ('rows' in m) this.settle(job, null, m.rows);
      else this.settle(job, new Error(m.error));
      this.idle(slot);
    });
    const fail = (err: Error) => {
      this.drop(slot);
      if (slot.job) this.settle(slot.job, err);
      slot.job = null;
      this.dispatch();
    };
    worker.on('error', fail);
    worker.on('exit', (code) => fail(new Error(`SQLite read thread exited (${code})`)));
    worker.unref();
    this.slots.push(slot);
    return slot;
  }

  private drop(slot: Slot): void {
    const i = this.slots.indexOf(slot);
    if (i >= 0) this.slots.splice(i, 1);
  }

  /** A thread is free: keep it (unref'd, so it never holds the process) and feed it. */
  private idle(slot: Slot): void {
    slot.worker.unref();
    this.dispatch();
  }

  private dispatch(): void {
    while (!this.closed && this.queue.length > 0) {
      const slot =
        this.slots.find((s) => !s.job) ?? (this.slots.length < this.size ? this.spawn() : null);
      if (!slot) return;
      const job = this.queue.shift()!;
      slot.job = job;
      slot.worker.ref();
      const request: ReadRequest = { id: job.id, text: job.text, params: job.params };
      void slot.ready.then(() => {
        if (slot.job !== job) return;
        // The budget is the statement's: a thread's start and the wait in the queue (bounded
        // by the budgets of the reads ahead) do not count.
        job.timer = setTimeout(() => this.abandon(job), this.timeoutMs);
        slot.worker.postMessage(request);
      });
    }
  }

  /**
   * A read past its budget: its caller gets QUERY_TIMEOUT now. A thread cannot be interrupted
   * inside SQLite, so the busy one is retired (it exits when the statement returns) and a new
   * thread takes its place.
   */
  private abandon(job: Job): void {
    const queued = this.queue.indexOf(job);
    if (queued >= 0) this.queue.splice(queued, 1);
    const slot = this.slots.find((s) => s.job === job);
    if (slot) {
      slot.job = null;
      this.drop(slot);
      void slot.worker.terminate();
    }
    this.settle(job, timeoutError(this.timeoutMs));
    this.dispatch();
  }

  private settle(job: Job, err: Error | null, rows: Record<string, unknown>[] = []): void {
    clearTimeout(job.timer);
    if (err) job.reject(err);
    else job.resolve(rows);
  }
}

/** Reads in flight in every pool of this process (tests observe a read on its way). */
export function sqliteReadsInFlight(): number {
  let n = 0;
  for (const pool of pools) n += pool.inFlight;
  return n;
}

/** The pool of each Prisma client that has one (set by createDatabase). */
const readers = new WeakMap<object, SqliteReadPool>();

/** Registers `pool` as the reader of `prisma`. */
export function attachSqliteReader(prisma: object, pool: SqliteReadPool): void {
  readers.set(prisma, pool);
}

/**
 * The off-thread reader of a Prisma client on a SQLite file, or undefined (PostgreSQL, an
 * in-memory database): callers then read through Prisma. For slow, read-only statements
 * (the runs query's page and count; a metric series read may use it too).
 */
export function sqliteReaderOf(prisma: object): SqlReader | undefined {
  return readers.get(prisma)?.read;
}
