/**
 * Metrics of a tracked run while it trains. The run's heartbeat runs inside RunTracker from
 * its creation, on a timer, so it needs no hook here; the training loop yields to the event loop
 * after every batch so that the timer fires.
 */
import type { RunTracker } from '../../tracking/run-tracker';
import { PHASE_CODE } from '../../transfer/phases';
import type { TrainingCallback } from '../training-callback';

/** Default longest time between two flushes while batches run, in ms. */
export const DEFAULT_FLUSH_EVERY_MS = 2000;

/** Options of {@link trackingCallback}. */
export interface TrackingCallbackOptions {
  /** Log the training loss every N batches (default 20) so curves move during an epoch. */
  batchLogEvery?: number;
  /** Log each epoch's phase as the metric `phase` (runs with more than one phase). */
  logPhase: boolean;
  /**
   * Flush buffered points (batch_loss, system/*) from a batch end once this long has passed
   * since the last flush (default {@link DEFAULT_FLUSH_EVERY_MS}), so live curves move within
   * an epoch; 0 flushes only at epoch ends.
   */
  flushEveryMs?: number;
  /** Clock in ms (default Date.now; tests inject a fake one). */
  now?: () => number;
}

/**
 * Logs `batch_loss` every `batchLogEvery` steps, and every numeric epoch metric (plus `phase`)
 * at step `epoch + 1`. Flushes at the end of each epoch (awaited: a failure ends the run) and,
 * between, from a batch end every `flushEveryMs` (not awaited: training goes on while the points
 * are sent; a failed one keeps its points for the next flush).
 */
export function trackingCallback(
  tracker: Pick<RunTracker, 'log' | 'flush' | 'pendingPoints'>,
  options: TrackingCallbackOptions,
): TrainingCallback {
  const logEvery = options.batchLogEvery ?? 20;
  const flushEvery = options.flushEveryMs ?? DEFAULT_FLUSH_EVERY_MS;
  const now = options.now ?? Date.now;
  let lastFlush = now();
  return {
    name: 'tracking',
    onTrainBegin: () => {
      lastFlush = now();
    },
    onBatchEnd: async ({ step, loss }) => {
      if (step % logEvery === 0) await tracker.log({ name: 'batch_loss', step, value: loss });
      if (flushEvery > 0 && tracker.pendingPoints > 0 && now() - lastFlush >= flushEvery) {
        lastFlush = now();
        // The epoch-end flush reports a failure; meanwhile the points wait in the buffer.
        tracker.flush().catch(() => undefined);
      }
    },
    onEpochEnd: async ({ epoch, logs, phase }) => {
      const step = epoch + 1;
      await tracker.log(
        Object.entries(logs).flatMap(([name, value]) =>
          typeof value === 'number' ? [{ name, step, value }] : [],
        ),
      );
      // Which phase this epoch belongs to (0 head, 1 fine-tune), so curves can mark the boundary.
      if (options.logPhase) await tracker.log({ name: 'phase', step, value: PHASE_CODE[phase] });
      await tracker.flush();
      lastFlush = now();
    },
  };
}
