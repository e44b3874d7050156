import type { RunTracker } from '../../tracking/run-tracker';
import type { TrainingCallback } from '../training-callback';

/** A {@link testResultsCallback}: after the run, the id of the evaluation it stored. */
export interface TestResultsCallback extends TrainingCallback {
  readonly evaluationId: string | undefined;
}

/** Options of {@link testResultsCallback}. */
export interface TestResultsOptions {
  /**
   * Store at most this many evaluated test images (default: every one that fits in 8 MiB;
   * 0 stores none).
   */
  maxSampleImages?: number;
}

/**
 * Stores the test evaluation when training ends: `test_accuracy` and `test_loss` at the last
 * epoch's step, then the test images, then the evaluation (images first: once the evaluation is
 * visible, the dashboard can show its samples).
 */
export function testResultsCallback(
  tracker: RunTracker,
  options: TestResultsOptions = {},
): TestResultsCallback {
  let evaluationId: string | undefined;
  return {
    name: 'test-results',
    get evaluationId() {
      return evaluationId;
    },
    onTrainEnd: async ({ fit, test }) => {
      if (!test) return;
      const lastStep = fit.history.length;
      await tracker.log([
        { name: 'test_accuracy', step: lastStep, value: test.accuracy },
        { name: 'test_loss', step: lastStep, value: test.loss },
      ]);
      await tracker.flush();
      await tracker.logSamples({
        split: 'test',
        images: test.split.images,
        count: test.split.count,
        shape: test.shape,
        maxSamples: options.maxSampleImages,
      });
      const stored = await tracker.logEvaluation({
        split: 'test',
        labels: test.labels,
        probabilities: test.probabilities,
        numClasses: test.columns,
        classNames: test.classNames,
        report: test.report,
      });
      evaluationId = stored.id;
    },
  };
}
