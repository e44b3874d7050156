import {
  tryLogExplanationPack,
  type ExplanationPackOptions,
} from '../../explain/pack/explanation-pack';
import type { RunTracker } from '../../tracking/run-tracker';
import type { TrainingCallback } from '../training-callback';

/**
 * Stores the explanation pack of the test split when training ends (after the model and its
 * evaluation). Its failure is reported on stderr and does not fail the run.
 */
export function explanationPackCallback(
  tracker: RunTracker,
  options?: ExplanationPackOptions,
): TrainingCallback {
  return {
    name: 'explanation-pack',
    onTrainEnd: async ({ model, test }) => {
      if (!test) return;
      await tryLogExplanationPack(tracker, {
        model,
        split: test.split,
        shape: test.shape,
        probabilities: test.probabilities,
        classNames: test.classNames,
        options,
      });
    },
  };
}
