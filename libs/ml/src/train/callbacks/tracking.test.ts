// The tracking callback's flushes while batches run, on a fake clock (no real time passes).
import { describe, expect, it } from 'vitest';
import type { MetricPointInput } from '../../tracking/run-tracker';
import type { BatchEndContext } from '../training-callback';
import { trackingCallback } from './tracking';

/** A tracker that records logs and flushes; flush empties the buffer. */
function fakeTracker() {
  const buffer: MetricPointInput[] = [];
  const flushed: MetricPointInput[][] = [];
  return {
    flushed,
    get pendingPoints() {
      return buffer.length;
    },
    log(points: MetricPointInput | MetricPointInput[]) {
      buffer.push(...(Array.isArray(points) ? points : [points]));
      return Promise.resolve();
    },
    flush() {
      flushed.push(buffer.splice(0));
      return Promise.resolve();
    },
  };
}

const batch = (step: number): BatchEndContext =>
  ({ step, loss: 1 / (step + 1), epoch: 0, batch: step, batchesPerEpoch: 1000 }) as BatchEndContext;

describe('trackingCallback', () => {
  it('flushes batch_loss from a batch end once 2 s have passed since the last flush', async () => {
    let t = 0;
    const tracker = fakeTracker();
    const cb = trackingCallback(tracker, { logPhase: false, batchLogEvery: 1, now: () => t });
    await cb.onTrainBegin?.({} as never);
    // Batches 0..3 at 0, 0.5, 1.0, 1.5 s: nothing sent yet.
    for (const step of [0, 1, 2, 3]) {
      t = step * 500;
      await cb.onBatchEnd?.(batch(step));
    }
    expect(tracker.flushed).toEqual([]);
    // At 2.0 s the batch end flushes the five points logged so far.
    t = 2000;
    await cb.onBatchEnd?.(batch(4));
    expect(tracker.flushed.map((f) => f.map((p) => p.step))).toEqual([[0, 1, 2, 3, 4]]);
    // The next flush waits another 2 s from there.
    t = 3999;
    await cb.onBatchEnd?.(batch(5));
    expect(tracker.flushed).toHaveLength(1);
    t = 4000;
    await cb.onBatchEnd?.(batch(6));
    expect(tracker.flushed.map((f) => f.map((p) => p.step))).toEqual([
      [0, 1, 2, 3, 4],
      [5, 6],
    ]);
  });

  it('sends nothing when nothing is pending, and never between batches with flushEveryMs 0', async () => {
    let t = 0;
    const tracker = fakeTracker();
    // batch_loss every 20 steps: steps 1..3 log nothing.
    const cb = trackingCallback(tracker, { logPhase: false, now: () => t });
    for (const step of [1, 2, 3]) {
      t += 5000;
      await cb.onBatchEnd?.(batch(step));
    }
    expect(tracker.flushed).toEqual([]);
    const off = trackingCallback(tracker, {
      logPhase: false,
      batchLogEvery: 1,
      flushEveryMs: 0,
      now: () => t,
    });
    t += 10_000;
    await off.onBatchEnd?.(batch(7));
    expect(tracker.flushed).toEqual([]);
    expect(tracker.pendingPoints).toBe(1);
  });

  it('still flushes at the end of each epoch (and restarts the 2 s from there)', async () => {
    let t = 0;
    const tracker = fakeTracker();
    const cb = trackingCallback(tracker, { logPhase: false, batchLogEvery: 1, now: () => t });
    t = 1000;
    await cb.onEpochEnd?.({ epoch: 0, phase: 'train', logs: { loss: 0.5 } } as never);
    expect(tracker.flushed.map((f) => f.map((p) => `${p.name}@${p.step}`))).toEqual([['loss@1']]);
    t = 2500; // 1.5 s after the epoch-end flush: not yet
    await cb.onBatchEnd?.(batch(8));
    expect(tracker.flushed).toHaveLength(1);
  });
});
