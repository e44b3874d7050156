/** The embedding projector: penultimate-layer features of the test split projected with PCA, UMAP and t-SNE after training (issue #13, item 3). */
import type { RunTracker } from '../../tracking/run-tracker';
import type { ExperimentData } from '../experiment-data';
import type { TrainingCallback } from '../training-callback';

/** Options of {@link projectorCallback}. */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type -- filled in by its issue
export interface ProjectorOptions {}

/** The embedding projector: penultimate-layer features of the test split projected with PCA, UMAP and t-SNE after training (issue #13, item 3). */
export function projectorCallback(
  _tracker: RunTracker,
  _run: { data: ExperimentData; seed: number; options: ProjectorOptions },
): TrainingCallback | undefined {
  return undefined;
}
