/** Training snapshots every N epochs: Grad-CAM of a fixed probe set, the first layer's filters and per-layer activation statistics (issue #13, item 1). */
import {
  resolveSnapshotOptions,
  SnapshotRecorder,
  type SnapshotOptions,
  type SnapshotSink,
} from '../../explain/snapshots';
import type { ExperimentData } from '../experiment-data';
import type { TrainingCallback } from '../training-callback';

export type { SnapshotOptions } from '../../explain/snapshots';

/**
 * Training snapshots of a tracked run (see explain/snapshots): the probes when training begins,
 * a snapshot after every `every`-th epoch, and at train end one on the final weights (the model
 * the explanation pack explains) followed by the index. A failure is reported on stderr and
 * never fails the run.
 * @throws at once (before training) for options out of range
 */
export function snapshotsCallback(
  tracker: SnapshotSink,
  run: { data: ExperimentData; seed: number; options: SnapshotOptions },
): TrainingCallback | undefined {
  const options = resolveSnapshotOptions(run.options);
  const { data } = run;
  let recorder: SnapshotRecorder | undefined;
  const guarded = async (what: string, step: () => Promise<unknown>) => {
    try {
      await step();
    } catch (err) {
      console.warn(`training snapshot (${what}) left out: ${(err as Error).message}`);
    }
  };
  return {
    name: 'snapshots',
    onTrainBegin: ({ model }) =>
      guarded('probes', async () => {
        const r = new SnapshotRecorder(
          tracker,
          { test: data.test, shape: data.shape, classNames: data.full.classNames, seed: run.seed },
          options,
        );
        await r.begin(model);
        recorder = r;
      }),
    onEpochEnd: ({ model, epoch, phase }) =>
      guarded(`epoch ${epoch + 1}`, async () => {
        if (recorder?.due(epoch + 1))
          await recorder.capture(model, { epoch: epoch + 1, phase, final: false });
      }),
    onTrainEnd: ({ model, fit }) =>
      guarded('final', async () => {
        if (!recorder) return;
        const epochs = fit.history.length;
        const phase = fit.epochPhases[epochs - 1] ?? 'train';
        await recorder.capture(model, { epoch: epochs, phase, final: true });
        await recorder.finish();
      }),
  };
}
