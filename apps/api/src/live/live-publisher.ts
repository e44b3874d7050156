// What services call when something a dashboard shows has changed. Metric batches are
// coalesced per run: a logger sending ten batches a second raises at most a few events.
import { systemClock, type Clock, type ClockTimer } from '../common/clock';
import type { LiveBus } from './live-bus';

/** Least time between two metric events of one run, in ms (so at most 4 per second). */
export const METRICS_EVENT_GAP_MS = 250;

/** A run as the publisher needs it. */
export interface RunRef {
  id: string;
  projectId: string;
}

interface Pending {
  lastSentAt: number;
  timer: ClockTimer | null;
  projectId: string;
}

/** The services' side of the live bus. */
export class LivePublisher {
  private readonly metrics = new Map<string, Pending>();

  constructor(
    private readonly bus: LiveBus,
    private readonly clock: Clock = systemClock,
    private readonly gapMs: number = METRICS_EVENT_GAP_MS,
  ) {}

  /** A run changed status. */
  runStatus(run: RunRef & { status: string }): void {
    this.bus.publish({
      kind: 'run.status',
      projectId: run.projectId,
      runId: run.id,
      status: run.status,
    });
  }

  /** A run was created. */
  runCreated(run: RunRef): void {
    this.bus.publish({ kind: 'run.created', projectId: run.projectId, runId: run.id });
  }

  /**
   * A run stored new metric points. The first batch after a quiet spell is announced at once;
   * later ones within `gapMs` share one event sent when the gap is over.
   */
  runMetrics(run: RunRef): void {
    const now = this.clock.now();
    const entry = this.metrics.get(run.id);
    if (entry?.timer) return; // an event is already due: it covers this batch too
    const wait = entry ? entry.lastSentAt + this.gapMs - now : 0;
    if (wait <= 0) {
      this.sendMetrics(run.id, run.projectId, now);
      return;
    }
    const pending: Pending = {
      lastSentAt: entry?.lastSentAt ?? now,
      timer: null,
      projectId: run.projectId,
    };
    pending.timer = this.clock.setTimeout(() => {
      pending.timer = null;
      this.sendMetrics(run.id, pending.projectId, this.clock.now());
    }, wait);
    pending.timer.unref();
    this.metrics.set(run.id, pending);
  }

  private sendMetrics(runId: string, projectId: string, at: number): void {
    const entry: Pending = { lastSentAt: at, timer: null, projectId };
    this.metrics.set(runId, entry);
    // Forget the run once its gap is over, so the map holds only runs logging right now.
    const forget = this.clock.setTimeout(() => {
      if (this.metrics.get(runId) === entry) this.metrics.delete(runId);
    }, this.gapMs);
    forget.unref();
    this.bus.publish({ kind: 'run.metrics', projectId, runId });
  }

  /** The queue or the workers changed (projectId/runId when it concerns a run). */
  queueChanged(change: { projectId?: string | null; runId?: string | null } = {}): void {
    this.bus.publish({
      kind: 'queue',
      projectId: change.projectId ?? null,
      runId: change.runId ?? null,
    });
  }

  /** An API key was revoked: every instance forgets its cached keys. */
  keysRevoked(): void {
    this.bus.publish({ kind: 'keys.revoked' });
  }

  /** Cancels pending metric events (shutdown). */
  close(): void {
    for (const entry of this.metrics.values()) if (entry.timer) this.clock.clear(entry.timer);
    this.metrics.clear();
  }
}
