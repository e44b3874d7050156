/** Training snapshots every N epochs: Grad-CAM of a fixed probe set, the first layer's filters and per-layer activation statistics (issue #13, item 1). */
import type { RunTracker } from '../../tracking/run-tracker';
import type { ExperimentData } from '../experiment-data';
import type { TrainingCallback } from '../training-callback';

/** Options of {@link snapshotsCallback}. */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type -- filled in by its issue
export interface SnapshotOptions {}

/** Training snapshots every N epochs: Grad-CAM of a fixed probe set, the first layer's filters and per-layer activation statistics (issue #13, item 1). */
export function snapshotsCallback(
  _tracker: RunTracker,
  _run: { data: ExperimentData; seed: number; options: SnapshotOptions },
): TrainingCallback | undefined {
  return undefined;
}
