import type { BackendSelection } from '../../backend/select-backend';
import type { TrainExperimentOptions } from '../experiment-options';
import type { TrainingCallback } from '../training-callback';

/** Options of {@link progressCallback}: the terminal's hooks and what onStart reports. */
export interface ProgressCallbackOptions {
  hooks: Pick<TrainExperimentOptions, 'onStart' | 'onBatch' | 'onEpoch'>;
  backend: BackendSelection;
  /** Id of the tracked run, if any. */
  runId?: string;
}

/** Forwards training progress to trainExperiment's `onStart`, `onBatch` and `onEpoch` hooks. */
export function progressCallback(options: ProgressCallbackOptions): TrainingCallback {
  const { hooks, backend, runId } = options;
  return {
    name: 'progress',
    onTrainBegin: ({ epochs, batchesPerEpoch, trainCount }) =>
      hooks.onStart?.({ runId, backend, epochs, batchesPerEpoch, trainCount }),
    onBatchEnd: ({ model: _model, ...info }) => hooks.onBatch?.(info),
    onEpochEnd: ({ epoch, logs }) => hooks.onEpoch?.(epoch, logs),
  };
}
