/** The embedding projector: penultimate-layer features of the test split projected with PCA, UMAP and t-SNE after training (issue #13, item 3). */
import { logProjector, type ProjectorComputeOptions } from '../../explain/projector';
import type { RunTracker } from '../../tracking/run-tracker';
import type { ExperimentData } from '../experiment-data';
import type { TrainingCallback } from '../training-callback';

/** Options of {@link projectorCallback}: the projector's (time and byte budget, methods, subset sizes). */
export type ProjectorOptions = ProjectorComputeOptions;

/**
 * Stores `projector.json` when training ends (after the evaluation, whose probabilities it
 * reuses). A failure is reported on stderr and does not fail the run; the time spent is printed.
 */
export function projectorCallback(
  tracker: RunTracker,
  run: { data: ExperimentData; seed: number; options: ProjectorOptions },
): TrainingCallback | undefined {
  return {
    name: 'projector',
    onTrainEnd: async ({ model, test }) => {
      if (!test || test.split.count < 1) return;
      try {
        await logProjector(tracker, {
          model,
          images: test.split.images,
          labels: test.split.labels,
          count: test.split.count,
          shape: test.shape,
          classNames: test.classNames,
          probabilities: test.probabilities,
          seed: run.seed,
          options: run.options,
        });
      } catch (err) {
        console.warn(`projector not stored: ${err instanceof Error ? err.message : String(err)}`);
      }
    },
  };
}
