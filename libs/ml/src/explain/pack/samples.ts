/** Which test samples a pack explains. */
import type { ImageSplit } from '../../data/dataset';
import type { PackSample } from './types';

/**
 * The samples of a pack, deterministic: the most confident mistakes first (about a quarter of
 * `n`, at least one when there is a mistake), then for every class not yet covered its most
 * confident correct sample (or any sample of it), then more mistakes and correct samples until
 * `n`. Sorted by index.
 * @param labels true class per sample
 * @param predicted predicted class per sample
 * @param confidence probability of the predicted class per sample
 * @param n how many samples (fewer when the split is smaller)
 * @throws when the three arrays differ in length
 */
export function selectPackSamples(
  labels: ArrayLike<number>,
  predicted: ArrayLike<number>,
  confidence: ArrayLike<number>,
  n: number,
): number[] {
  const count = labels.length;
  if (predicted.length !== count || confidence.length !== count)
    throw new RangeError(
      `${count} labels, ${predicted.length} predictions and ${confidence.length} confidences`,
    );
  // Every index below is in [0, count), the length of all three arrays.
  const all = Array.from({ length: count }, (_, i) => i);
  const byConfidence = (a: number, b: number) => confidence[b]! - confidence[a]! || a - b;
  const mistakes = all.filter((i) => labels[i] !== predicted[i]).sort(byConfidence);
  const correct = all.filter((i) => labels[i] === predicted[i]).sort(byConfidence);
  const chosen = new Set<number>();
  const want = Math.min(n, count);
  for (const i of mistakes.slice(0, Math.min(mistakes.length, Math.max(1, Math.floor(want / 4)))))
    if (chosen.size < want) chosen.add(i);
  const covered = new Set(Array.from(chosen, (i) => labels[i]));
  const classes = [...new Set(Array.from(labels))].sort((a, b) => a - b);
  for (const c of classes) {
    if (chosen.size >= want || covered.has(c)) continue;
    const pick = correct.find((i) => labels[i] === c) ?? all.find((i) => labels[i] === c);
    if (pick !== undefined) {
      chosen.add(pick);
      covered.add(c);
    }
  }
  for (const i of [...mistakes, ...correct]) {
    if (chosen.size >= want) break;
    chosen.add(i);
  }
  return [...chosen].sort((a, b) => a - b);
}

/** Predicted class and its probability per sample. */
export interface Predictions {
  predicted: Int32Array;
  confidence: Float32Array;
}

/**
 * The predicted class and its probability of every sample, from row-major `[count, columns]`
 * probabilities; one column is a sigmoid's P(class 1).
 */
export function predictionsOf(probabilities: Float32Array, count: number): Predictions {
  const columns = probabilities.length / count;
  if (count > 0 && !(Number.isInteger(columns) && columns >= 1))
    throw new RangeError(`${probabilities.length} probabilities for ${count} samples`);
  const predicted = new Int32Array(count);
  const confidence = new Float32Array(count);
  // columns * count === probabilities.length (checked above): every read is in range.
  for (let i = 0; i < count; i++) {
    if (columns === 1) {
      const p = probabilities[i]!;
      predicted[i] = p >= 0.5 ? 1 : 0;
      confidence[i] = p >= 0.5 ? p : 1 - p;
    } else {
      let best = 0;
      for (let c = 1; c < columns; c++)
        if (probabilities[i * columns + c]! > probabilities[i * columns + best]!) best = c;
      predicted[i] = best;
      confidence[i] = probabilities[i * columns + best]!;
    }
  }
  return { predicted, confidence };
}

const round = (v: number, digits = 4) => Number(v.toFixed(digits));

/** The pack's samples ({@link selectPackSamples}) with their labels and predictions. */
export function packSamples(split: ImageSplit, predictions: Predictions, n: number): PackSample[] {
  const { predicted, confidence } = predictions;
  const labels = split.labels.subarray(0, split.count);
  return selectPackSamples(labels, predicted, confidence, n).map((index) => {
    const label = labels[index]!; // a selected index is a sample of the split
    const guess = predicted[index]!;
    return {
      index,
      label,
      predicted: guess,
      confidence: round(confidence[index]!),
      correct: label === guess,
    };
  });
}

/** Correct and misclassified samples alternately (for the few samples of the slow methods). */
export function mixedSamples(samples: readonly PackSample[], n: number): PackSample[] {
  const right = samples.filter((s) => s.correct);
  const wrong = samples.filter((s) => !s.correct);
  const out: PackSample[] = [];
  while (out.length < Math.min(n, samples.length)) {
    const next =
      (out.length % 2 === 0 ? right.shift() : wrong.shift()) ?? right.shift() ?? wrong.shift();
    if (next) out.push(next);
  }
  return out;
}
