// Shaping of per-sample predictions for image galleries: top-k classes of a probability
// vector, the order of the mistakes, and the integer upscale that keeps pixels square.

/** One class of a probability vector. */
export interface ClassProbability {
  /** Class index. */
  index: number;
  probability: number;
}

/**
 * The `k` most probable classes of a probability vector, highest first; ties go to the lower
 * class index (as argmax does, so the first entry is always the predicted class). Non-finite
 * values are skipped.
 */
export function topClasses(probabilities: readonly number[], k = 3): ClassProbability[] {
  const entries: ClassProbability[] = [];
  probabilities.forEach((probability, index) => {
    if (Number.isFinite(probability)) entries.push({ index, probability });
  });
  entries.sort((a, b) => b.probability - a.probability || a.index - b.index);
  return entries.slice(0, Math.max(0, Math.floor(k)));
}

/** The fields of a prediction the gallery orders by. */
export interface PredictionLike {
  index: number;
  label: number;
  predicted: number;
  confidence: number;
}

/**
 * The misclassified predictions, most confident first (ties by sample index): the mistakes the
 * model was surest about are the most telling ones (label noise, confusable classes).
 */
export function confidentMistakes<T extends PredictionLike>(predictions: readonly T[]): T[] {
  return predictions
    .filter((p) => p.predicted !== p.label)
    .sort((a, b) => b.confidence - a.confidence || a.index - b.index);
}

/**
 * The integer scale that brings an image's longer side closest to `target` pixels without
 * exceeding it (at least 1, at most `max`): integer nearest-neighbour upscaling keeps every
 * source pixel an exact square.
 */
export function pixelScale(height: number, width: number, target: number, max = 16): number {
  const side = Math.max(height, width);
  if (!(side > 0) || !(target > 0)) return 1;
  return Math.max(1, Math.min(max, Math.floor(target / side)));
}
