/**
 * Metrics of a tracked run while it trains. The run's heartbeat runs inside RunTracker from
 * its creation, on a timer, so it needs no hook here; the training loop yields to the event loop
 * after every batch so that the timer fires.
 */
import type { RunTracker } from '../../tracking/run-tracker';
import { PHASE_CODE } from '../../transfer/phases';
import type { TrainingCallback } from '../training-callback';

/** Options of {@link trackingCallback}. */
export interface TrackingCallbackOptions {
  /** Log the training loss every N batches (default 20) so curves move during an epoch. */
  batchLogEvery?: number;
  /** Log each epoch's phase as the metric `phase` (runs with more than one phase). */
  logPhase: boolean;
}

/**
 * Logs `batch_loss` every `batchLogEvery` steps, and every numeric epoch metric (plus `phase`)
 * at step `epoch + 1`, flushed at the end of each epoch.
 */
export function trackingCallback(
  tracker: RunTracker,
  options: TrackingCallbackOptions,
): TrainingCallback {
  const logEvery = options.batchLogEvery ?? 20;
  return {
    name: 'tracking',
    onBatchEnd: async ({ step, loss }) => {
      if (step % logEvery === 0) await tracker.log({ name: 'batch_loss', step, value: loss });
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
    },
  };
}
