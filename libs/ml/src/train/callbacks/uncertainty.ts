import type { RunTracker } from '../../tracking/run-tracker';
import { logRunUncertainty } from '../../uncertainty/log-uncertainty';
import type { TrainingCallback } from '../training-callback';

/** Options of {@link uncertaintyCallback}. */
export interface UncertaintyCallbackOptions {
  /** Stochastic passes T (default: logRunUncertainty's); 0 disables it. */
  passes?: number;
}

/**
 * Stores the run's predictive uncertainty on the test split when training ends, if the model is
 * random at prediction (MC dropout, a variational latent); a deterministic model stores none.
 */
export function uncertaintyCallback(
  tracker: RunTracker,
  options: UncertaintyCallbackOptions = {},
): TrainingCallback {
  return {
    name: 'uncertainty',
    onTrainEnd: async ({ model, test }) => {
      if (!test) return;
      await logRunUncertainty(tracker, model, {
        split: test.split,
        shape: test.shape,
        classNames: test.classNames,
        passes: options.passes,
      });
    },
  };
}
