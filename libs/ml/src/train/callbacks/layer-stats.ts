/** Per-layer histograms of weights, biases and gradients each epoch, with gradient norms and dead-ReLU fractions as metrics (issue #13, item 2). */
import type { RunTracker } from '../../tracking/run-tracker';
import type { ExperimentData } from '../experiment-data';
import type { TrainingCallback } from '../training-callback';

/** Options of {@link layerStatsCallback}. */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type -- filled in by its issue
export interface LayerStatsOptions {}

/** Per-layer histograms of weights, biases and gradients each epoch, with gradient norms and dead-ReLU fractions as metrics (issue #13, item 2). */
export function layerStatsCallback(
  _tracker: RunTracker,
  _run: { data: ExperimentData; seed: number; options: LayerStatsOptions },
): TrainingCallback | undefined {
  return undefined;
}
