/**
 * The queue worker (`npm run worker`): registers with the API, claims jobs (a long-poll claim
 * waits at the API for the next job while idle; backing off while the API fails), runs up to `concurrency` of them at once, and keeps their
 * leases alive with a heartbeat from a worker thread (run-heartbeat.ts). A job whose id comes back
 * in `cancelJobIds` is stopped within a batch and acknowledged (the run ends CANCELLED); an error
 * fails the job (not retryable when the config is bad); a job whose lease could not be renewed
 * for the lease's length is stopped without a word (the API has handed it to another worker:
 * never two live copies). Stopping the worker (SIGTERM) claims nothing new and hands its running
 * jobs back for another worker.
 */
import type {
  QueueJobKind,
  ClaimedQueueJob,
  WorkerQueueApi,
  WorkerRegistration,
} from './run-queue-api';
import type { WorkerBeatEvent, WorkerHeartbeat } from './run-heartbeat';

/** Why a running job was stopped (the abort reason its runner sees). */
export class JobStopped extends Error {
  override name = 'JobStopped';
  constructor(
    readonly why: 'cancelled' | 'lease-lost' | 'shutdown',
    message: string,
  ) {
    super(message);
  }
}

/** An error after which retrying the job is pointless (a bad config, an unknown preset). */
export function isPermanentJobError(err: unknown): boolean {
  if (!(err instanceof Error)) return false;
  return (
    err.name === 'ConfigError' ||
    err.name === 'PermanentJobError' ||
    ('code' in err && (err.code === 'BAD_USER_INPUT' || err.code === 'NOT_FOUND'))
  );
}

/** A job that can never succeed as queued; failed with retryable false. */
export class PermanentJobError extends Error {
  override name = 'PermanentJobError';
}

/** What a job runner is given. */
export interface JobRunContext {
  workerId: string;
  /** Aborts (reason: a {@link JobStopped}) on cancel, lost lease or shutdown. */
  signal: AbortSignal;
  log(line: string): void;
}

/**
 * What a runner that reported its job's end itself says (an EXPLAIN runner posts the result
 * with completeExplanationJob, which ends the job): the worker then reports nothing more.
 */
export interface JobReported {
  reported: 'completed' | 'failed';
}

/**
 * Runs one claimed job of its kind; resolves when done (with {@link JobReported} when it told
 * the API itself), rejects on failure or abort.
 */
export type JobRunner = (
  job: ClaimedQueueJob,
  context: JobRunContext,
) => Promise<void | JobReported>;

/** Time as the worker sees it (tests inject a fake). */
export interface WorkerClock {
  now(): number;
  /** Resolves after `ms`, or at once when `signal` aborts. */
  sleep(ms: number, signal: AbortSignal): Promise<void>;
}

/** Options of {@link QueueWorker}. */
export interface QueueWorkerOptions {
  api: WorkerQueueApi;
  /** What the worker registers as; `concurrency` caps the jobs run at once. */
  registration: WorkerRegistration;
  /** A runner per job kind; only these kinds are claimed. */
  runners: Partial<Record<QueueJobKind, JobRunner>>;
  /**
   * Kinds with slots of their own beside the `concurrency` shared ones (default EXPLAIN: 1), so
   * a long training never keeps an explanation someone is waiting for in the queue.
   */
  kindSlots?: Partial<Record<QueueJobKind, number>>;
  /** Starts the heartbeat once registered (run-heartbeat.ts startWorkerHeartbeat). */
  startHeartbeat(workerId: string, onEvent: (event: WorkerBeatEvent) => void): WorkerHeartbeat;
  /**
   * Seconds each claim waits at the API for a job when none is queued (claimJob's long-poll,
   * default 20, at most 25): an idle worker takes a new job as soon as it is queued. 0: no
   * long-poll, back off between empty claims instead.
   */
  claimWaitS?: number;
  /** First wait after an empty claim answered at once or a failed one, ms (default 500); doubles up to maxPollMs. */
  minPollMs?: number;
  /** Longest wait between claims while the API fails (or idle without long-poll), ms (default 5000). */
  maxPollMs?: number;
  clock?: WorkerClock;
  log?(line: string): void;
}

interface ActiveJob {
  job: ClaimedQueueJob;
  stop: AbortController;
  /** Lease length measured at claim (the API's clock may differ from ours). */
  leaseMs: number;
  /** Our clock's time of the last lease renewal (claim or beat naming the job). */
  renewedAt: number;
  done: Promise<void>;
}

/** What {@link QueueWorker.run} did. */
export interface WorkerSummary {
  completed: number;
  failed: number;
  cancelled: number;
  /** Stopped because the lease was lost, or handed back at shutdown. */
  abandoned: number;
}

/** Longest wait for the heartbeat thread before claiming anyway (a very loaded machine). */
const HEARTBEAT_READY_WAIT_MS = 60_000;

const realClock: WorkerClock = {
  now: () => Date.now(),
  sleep: (ms, signal) =>
    new Promise<void>((resolve) => {
      const done = () => {
        clearTimeout(timer);
        signal.removeEventListener('abort', done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      signal.addEventListener('abort', done, { once: true });
    }),
};

/** The claim / run / report loop of one worker process. */
export class QueueWorker {
  private readonly active = new Map<string, ActiveJob>();
  private readonly clock: WorkerClock;
  private readonly log: (line: string) => void;
  private readonly kinds: QueueJobKind[];
  private readonly kindSlots: Partial<Record<QueueJobKind, number>>;
  private heartbeat?: WorkerHeartbeat;
  /** Woken when a job ends (a slot frees) or the worker stops. */
  private wake = new AbortController();
  private id?: string;
  readonly summary: WorkerSummary = { completed: 0, failed: 0, cancelled: 0, abandoned: 0 };

  constructor(private readonly options: QueueWorkerOptions) {
    this.clock = options.clock ?? realClock;
    this.log = options.log ?? (() => undefined);
    this.kinds = options.registration.kinds.filter((k) => options.runners[k] !== undefined);
    this.kindSlots = options.kindSlots ?? { EXPLAIN: 1 };
    if (this.kinds.length === 0) throw new Error('the worker has no runner for any of its kinds');
    if (!(options.registration.concurrency >= 1))
      throw new Error(`concurrency must be >= 1, got ${options.registration.concurrency}`);
  }

  /** The id the API gave this worker (after registration). */
  get workerId(): string | undefined {
    return this.id;
  }

  /** Ids of the jobs running now. */
  get runningJobIds(): string[] {
    return [...this.active.keys()];
  }

  /**
   * Registers, then claims and runs jobs until `signal` aborts; then stops the running jobs and
   * hands them back (failJob, retryable) and resolves with what it did.
   */
  async run(signal: AbortSignal): Promise<WorkerSummary> {
    const { api } = this.options;
    const registration = { ...this.options.registration, kinds: this.kinds };
    const workerId = await api.register(registration);
    this.id = workerId;
    this.log(
      `registered as ${workerId} (${registration.name}, ${registration.backend}, ${this.kinds.join('+')} x${registration.concurrency})`,
    );
    const onStop = () => this.wake.abort();
    signal.addEventListener('abort', onStop, { once: true });
    this.heartbeat = this.options.startHeartbeat(workerId, (e) => this.onBeat(e));
    await this.heartbeatReady(signal);
    const minPoll = this.options.minPollMs ?? 500;
    const maxPoll = this.options.maxPollMs ?? 5000;
    let poll = minPoll;
    try {
      while (!signal.aborted) {
        const claimable = this.claimableKinds(registration.concurrency);
        if (claimable.length === 0) {
          await this.waitForWake(signal, Number.POSITIVE_INFINITY);
          continue;
        }
        const claimed = await this.claimOnce(workerId, claimable, signal);
        if (claimed === 'interrupted') continue; // a slot freed or stopping: claim anew
        if (claimed === 'failed') {
          await this.waitForWake(signal, poll);
          poll = Math.min(poll * 2, maxPoll);
          continue;
        }
        const job = claimed.job;
        if (signal.aborted) {
          // Claimed while stopping: hand it straight back.
          if (job) await this.handBack(workerId, job, 'the worker is stopping');
          break;
        }
        if (!job) {
          // A long-poll that waited its time: claim again at once. Answered at once (no
          // long-poll, or the API ended it early): back off.
          if (claimed.waited) poll = minPoll;
          else {
            await this.waitForWake(signal, poll);
            poll = Math.min(poll * 2, maxPoll);
          }
          continue;
        }
        poll = minPoll;
        this.start(workerId, job);
      }
    } finally {
      signal.removeEventListener('abort', onStop);
      const running = [...this.active.values()];
      for (const a of running)
        a.stop.abort(new JobStopped('shutdown', 'the worker is stopping; job handed back'));
      await Promise.all(running.map((a) => a.done));
      await this.heartbeat.stop();
    }
    return this.summary;
  }

  /**
   * One claim of `kinds`, a long-poll unless claimWaitS is 0. A slot freeing up (the kinds
   * change) or the worker stopping cuts a waiting claim short: 'interrupted'. An API error:
   * 'failed' (logged). `waited`: the API held the claim for at least half its wait.
   */
  private async claimOnce(
    workerId: string,
    kinds: QueueJobKind[],
    signal: AbortSignal,
  ): Promise<{ job: ClaimedQueueJob | null; waited: boolean } | 'interrupted' | 'failed'> {
    const waitS = Math.min(Math.max(Math.floor(this.options.claimWaitS ?? 20), 0), 25);
    if (this.wake.signal.aborted) this.wake = new AbortController();
    const cut = new AbortController();
    const onCut = () => cut.abort();
    const wake = this.wake.signal;
    wake.addEventListener('abort', onCut, { once: true });
    signal.addEventListener('abort', onCut, { once: true });
    const started = this.clock.now();
    try {
      const job = await this.options.api.claim(
        workerId,
        kinds,
        waitS > 0 ? { waitSeconds: waitS, signal: cut.signal } : undefined,
      );
      return { job, waited: waitS > 0 && this.clock.now() - started >= (waitS * 1000) / 2 };
    } catch (err) {
      if (cut.signal.aborted) return 'interrupted';
      this.log(`claim failed (${(err as Error).message}); retrying`);
      return 'failed';
    } finally {
      wake.removeEventListener('abort', onCut);
      signal.removeEventListener('abort', onCut);
    }
  }

  /** The kinds with a free slot: their own slots, or the `concurrency` shared ones. */
  private claimableKinds(concurrency: number): QueueJobKind[] {
    const running = (kind: QueueJobKind) =>
      [...this.active.values()].filter((a) => a.job.kind === kind).length;
    const shared = [...this.active.values()].filter(
      (a) => this.kindSlots[a.job.kind] === undefined,
    ).length;
    return this.kinds.filter((kind) => {
      const own = this.kindSlots[kind];
      return own === undefined ? shared < concurrency : running(kind) < own;
    });
  }

  /** Waits (at most {@link HEARTBEAT_READY_WAIT_MS}) for beats that training cannot block. */
  private async heartbeatReady(signal: AbortSignal): Promise<void> {
    const ready = this.heartbeat?.ready;
    if (!ready) return;
    const stop = new AbortController();
    const onAbort = () => stop.abort();
    signal.addEventListener('abort', onAbort, { once: true });
    await Promise.race([ready, this.clock.sleep(HEARTBEAT_READY_WAIT_MS, stop.signal)]);
    stop.abort();
    signal.removeEventListener('abort', onAbort);
  }

  private async waitForWake(signal: AbortSignal, ms: number): Promise<void> {
    if (signal.aborted) return;
    if (this.wake.signal.aborted) this.wake = new AbortController();
    const wake = this.wake.signal;
    if (Number.isFinite(ms)) await this.clock.sleep(ms, wake);
    else await new Promise<void>((r) => wake.addEventListener('abort', () => r(), { once: true }));
  }

  private start(workerId: string, job: ClaimedQueueJob): void {
    const runner = this.options.runners[job.kind];
    const now = this.clock.now();
    const leaseMs = Math.min(Math.max(Date.parse(job.leaseExpiresAt) - Date.now(), 5_000), 600_000);
    const stop = new AbortController();
    const entry: ActiveJob = {
      job,
      stop,
      leaseMs: Number.isFinite(leaseMs) ? leaseMs : 30_000,
      renewedAt: now,
      done: Promise.resolve(),
    };
    this.active.set(job.id, entry);
    this.heartbeat?.setJobs(this.runningJobIds);
    this.log(
      `job ${job.id} (${job.kind}${job.runId ? ` run ${job.runId}` : ''}, attempt ${job.attempt}) started`,
    );
    entry.done = this.execute(workerId, job, stop.signal, runner).finally(() => {
      this.active.delete(job.id);
      this.heartbeat?.setJobs(this.runningJobIds);
      this.wake.abort();
    });
  }

  private async execute(
    workerId: string,
    job: ClaimedQueueJob,
    signal: AbortSignal,
    runner: JobRunner | undefined,
  ): Promise<void> {
    const { api } = this.options;
    let error: unknown;
    let reported: JobReported | void = undefined;
    try {
      if (!runner) throw new PermanentJobError(`this worker has no runner for ${job.kind} jobs`);
      reported = await runner(job, {
        workerId,
        signal,
        log: (line) => this.log(`job ${job.id}: ${line}`),
      });
    } catch (err) {
      error = err;
    }
    const stopped =
      signal.aborted && signal.reason instanceof JobStopped ? signal.reason : undefined;
    try {
      if (stopped?.why === 'cancelled') {
        await api.acknowledgeCancel(workerId, job.id);
        this.summary.cancelled++;
        this.log(`job ${job.id} cancelled`);
      } else if (stopped?.why === 'lease-lost') {
        this.summary.abandoned++;
        this.log(`job ${job.id} stopped: ${stopped.message}`);
      } else if (stopped?.why === 'shutdown') {
        await this.handBack(workerId, job, stopped.message);
      } else if (error === undefined && reported) {
        // The runner told the API itself (its report ended the job).
        if (reported.reported === 'completed') this.summary.completed++;
        else this.summary.failed++;
        this.log(`job ${job.id} ${reported.reported}`);
      } else if (error !== undefined) {
        const message = error instanceof Error ? error.message : String(error);
        const retryable = !isPermanentJobError(error);
        await api.fail(workerId, job.id, message, retryable);
        this.summary.failed++;
        this.log(`job ${job.id} failed${retryable ? '' : ' (not retryable)'}: ${message}`);
      } else {
        await api.complete(workerId, job.id);
        this.summary.completed++;
        this.log(`job ${job.id} completed`);
      }
    } catch (err) {
      // The API refused the report (the lease was taken over) or stayed down: the API's lease
      // expiry decides the job's fate; this worker has nothing left to do for it.
      this.log(`job ${job.id}: report failed: ${(err as Error).message}`);
    }
  }

  private async handBack(workerId: string, job: ClaimedQueueJob, why: string): Promise<void> {
    this.summary.abandoned++;
    try {
      await this.options.api.fail(workerId, job.id, why, true);
      this.log(`job ${job.id} handed back`);
    } catch (err) {
      this.log(
        `job ${job.id}: hand-back failed (${(err as Error).message}); its lease will expire`,
      );
    }
  }

  /** Cancels, renews leases, and stops the jobs whose lease ran out without a renewal. */
  private onBeat(event: WorkerBeatEvent): void {
    const now = this.clock.now();
    if (event.type === 'beat') {
      for (const id of event.jobIds) {
        const a = this.active.get(id);
        if (a) a.renewedAt = now;
      }
      for (const id of event.beat.cancelJobIds) {
        const a = this.active.get(id);
        if (a && !a.stop.signal.aborted) {
          this.log(`job ${id}: cancel requested`);
          a.stop.abort(new JobStopped('cancelled', 'cancelled'));
        }
      }
      return;
    }
    // A beat in flight while a job ended names it: no news, the job is settled.
    const lost = event.lostJobIds;
    if (lost?.length && lost.every((id) => !this.active.has(id))) return;
    this.log(`heartbeat failed: ${event.message}`);
    for (const id of lost ?? []) {
      const a = this.active.get(id);
      if (a && !a.stop.signal.aborted)
        a.stop.abort(new JobStopped('lease-lost', `the API says: ${event.message}`));
    }
    for (const a of this.active.values()) {
      if (!a.stop.signal.aborted && now - a.renewedAt >= a.leaseMs)
        a.stop.abort(
          new JobStopped(
            'lease-lost',
            `no lease renewal for ${Math.round((now - a.renewedAt) / 1000)} s (last error: ${event.message}); another worker may hold the job now`,
          ),
        );
    }
  }
}
