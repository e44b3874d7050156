import type * as tf from '@tensorflow/tfjs';
import type { ImageSplit } from '../data/dataset';
import { evaluateClassification, type ClassificationReport } from '@convscope/metrics';
import { predictSplit } from '../evaluation/predict-split';

/** A trained model's evaluation on the test split, as the end of a run stores it. */
export interface TestEvaluation {
  split: ImageSplit;
  /** `[height, width, channels]` of the images. */
  shape: [number, number, number];
  classNames: string[];
  /** Output columns of the model: the class count, or 1 for a sigmoid model. */
  columns: number;
  labels: Int32Array;
  /** Row-major `[count, columns]` probabilities. */
  probabilities: Float32Array;
  report: ClassificationReport;
  accuracy: number;
  /** Mean cross-entropy, clipped like the training loop's evaluation. */
  loss: number;
}

/** Options of {@link evaluateTestSplit}. */
export interface EvaluateTestSplitOptions {
  split: ImageSplit;
  shape: [number, number, number];
  classNames: string[];
  /** Output columns of the model: the class count, or 1 for a sigmoid model. */
  columns: number;
}

/**
 * One pass over the test split: its probabilities give the classification report, the accuracy
 * and the loss.
 */
export function evaluateTestSplit(
  model: tf.LayersModel,
  options: EvaluateTestSplitOptions,
): TestEvaluation {
  const { split, shape, classNames, columns } = options;
  const probabilities = predictSplit(model, split, { shape, numClasses: columns });
  const labels = Int32Array.from(split.labels);
  const report = evaluateClassification({
    labels,
    probabilities,
    numClasses: columns,
    classNames,
  });
  return {
    split,
    shape,
    classNames,
    columns,
    labels,
    probabilities,
    report,
    accuracy: report.accuracy,
    loss: crossEntropy(labels, probabilities, columns),
  };
}

/**
 * Mean categorical cross-entropy of one-hot labels (binary cross-entropy of 0/1 labels when there
 * is one column), with the probabilities clipped to [1e-7, 1 - 1e-7] in float32 like the
 * training loop's evaluation (evaluateSplit).
 */
export function crossEntropy(
  labels: Int32Array,
  probabilities: Float32Array,
  numClasses: number,
): number {
  const lo = Math.fround(1e-7);
  const hi = Math.fround(1 - 1e-7);
  let sum = 0;
  for (let i = 0; i < labels.length; i++) {
    // labels.length samples of numClasses columns each: every read is in range.
    const label = labels[i]!;
    const p =
      numClasses === 1
        ? label === 1
          ? probabilities[i]!
          : 1 - probabilities[i]!
        : probabilities[i * numClasses + label]!;
    sum -= Math.log(Math.min(hi, Math.max(lo, p)));
  }
  return sum / labels.length;
}
