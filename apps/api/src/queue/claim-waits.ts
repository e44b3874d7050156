// Long-poll claims (claimJob with waitSeconds): a claim that finds nothing waits for a `queue`
// notice of the live bus (raised on any API instance: a job queued, retried or freed) or its
// deadline, then tries again. Each waiting claim holds one bus listener and one timer, released
// when it ends: answered, past its deadline, its client gone, replaced by a newer waiting claim
// of the same worker (one per worker), or the server closing.
import type { Clock } from '../common/clock';

/** Longest wait a claim may ask for, in seconds (below common proxy and client timeouts). */
export const MAX_CLAIM_WAIT_S = 25;

/** Where queue notices come from (the live bus: every instance's notices on PostgreSQL). */
export interface QueueNotices {
  /** Adds a listener of every bus message; returns its removal. */
  subscribe(listener: (message: { kind: string }) => void): () => void;
}

/** Re-check period when no bus is attached (createApp without a server: tests, scripts). */
const POLL_WITHOUT_NOTICES_MS = 1000;

/** One waiting claim, from its first empty try to its answer. */
export interface ClaimWait {
  /** Aborts when the wait must end early (client gone, replaced, server closing). */
  readonly signal: AbortSignal;
  /** Call before each try: notices from now on wake the next {@link ClaimWait.until}. */
  arm(): void;
  /** Resolves at a notice since the last arm(), at `deadline` (clock ms), or on abort. */
  until(deadline: number): Promise<void>;
  /** Releases the listener and the worker's place (idempotent). */
  end(): void;
}

/** The waiting claims of this instance. */
export class ClaimWaits {
  private notices: QueueNotices | undefined;
  /** The waiting claim of each worker (a newer one replaces it). */
  private readonly byWorker = new Map<string, AbortController>();
  private closed = false;

  constructor(private readonly clock: Clock) {}

  /** Takes queue notices from `notices` (the server's live bus). */
  listenTo(notices: QueueNotices): void {
    this.notices = notices;
  }

  /** Waiting claims now (tests check that none is left behind). */
  get size(): number {
    return this.byWorker.size;
  }

  /** Ends every waiting claim and refuses new waits (server closing). */
  close(): void {
    this.closed = true;
    for (const stop of this.byWorker.values()) stop.abort();
    this.byWorker.clear();
  }

  /**
   * Starts the waiting claim of `workerId`, ending the one it had (its answer is null): a worker
   * waits in one claim at a time. `client` aborts when the caller disconnects.
   */
  begin(workerId: string, client?: AbortSignal): ClaimWait {
    this.byWorker.get(workerId)?.abort();
    const stop = new AbortController();
    if (this.closed || client?.aborted) stop.abort();
    else this.byWorker.set(workerId, stop);
    const onClient = () => stop.abort();
    client?.addEventListener('abort', onClient, { once: true });
    let noticed = false;
    let wake: (() => void) | undefined;
    const unsubscribe = this.notices?.subscribe((m) => {
      if (m.kind !== 'queue' && m.kind !== 'resync') return;
      noticed = true;
      wake?.();
    });
    let ended = false;
    const end = () => {
      if (ended) return;
      ended = true;
      unsubscribe?.();
      client?.removeEventListener('abort', onClient);
      if (this.byWorker.get(workerId) === stop) this.byWorker.delete(workerId);
      wake?.();
    };
    stop.signal.addEventListener('abort', end, { once: true });
    return {
      signal: stop.signal,
      arm: () => {
        noticed = false;
      },
      until: (deadline) =>
        this.sleep(
          deadline,
          stop.signal,
          () => noticed,
          (w) => (wake = w),
        ),
      end,
    };
  }

  private sleep(
    deadline: number,
    signal: AbortSignal,
    noticed: () => boolean,
    setWake: (wake: (() => void) | undefined) => void,
  ): Promise<void> {
    const ms = deadline - this.clock.now();
    if (ms <= 0 || signal.aborted || noticed()) return Promise.resolve();
    return new Promise<void>((resolve) => {
      const done = () => {
        this.clock.clear(timer);
        setWake(undefined);
        resolve();
      };
      // Without a bus nothing would wake it: look again every second.
      const timer = this.clock.setTimeout(
        done,
        this.notices ? ms : Math.min(ms, POLL_WITHOUT_NOTICES_MS),
      );
      timer.unref();
      setWake(done);
    });
  }
}
