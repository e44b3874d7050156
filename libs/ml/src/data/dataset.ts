import { checkIndex } from './image-source';
import { seededPermutation } from '../util/rng';

/** Images of one split, stored compactly as bytes (0..255), row-major `[count, height, width, channels]`. */
export interface ImageSplit {
  /** Pixel bytes, `count * height * width * channels` long. */
  images: Uint8Array;
  /** Class index of each image. */
  labels: Uint8Array;
  /** Number of images. */
  count: number;
}

/** An image-classification dataset held in memory. */
export interface ImageDataset {
  /** Short name, e.g. `fashion-mnist`. */
  name: string;
  height: number;
  width: number;
  channels: number;
  /** Human-readable class names, indexed by label. */
  classNames: string[];
  train: ImageSplit;
  test: ImageSplit;
  /** Where the data came from (a directory or "committed subset"). */
  source: string;
}

/** Copies the images with the given indices into a new split. */
export function selectSamples(split: ImageSplit, indices: ArrayLike<number>, pixelsPerImage: number): ImageSplit {
  const images = new Uint8Array(indices.length * pixelsPerImage);
  const labels = new Uint8Array(indices.length);
  for (let i = 0; i < indices.length; i++) {
    const src = checkIndex(indices[i]!, split.count);
    images.set(split.images.subarray(src * pixelsPerImage, (src + 1) * pixelsPerImage), i * pixelsPerImage);
    labels[i] = split.labels[src]!;
  }
  return { images, labels, count: indices.length };
}

/**
 * Stratified train/validation split with a seed: each class contributes the same fraction
 * to the validation set, so small subsets keep their class balance.
 */
export function splitValidation(
  split: ImageSplit,
  options: {
    /** Fraction of each class moved to validation, in [0, 1). */
    fraction: number;
    /** Seed of the shuffle; the same seed gives the same split. */
    seed: number;
    /** height * width * channels */
    pixelsPerImage: number;
  },
): { train: ImageSplit; validation: ImageSplit } {
  const { fraction, seed, pixelsPerImage } = options;
  if (!(fraction >= 0 && fraction < 1)) throw new RangeError(`validation fraction must be in [0, 1), got ${fraction}`);
  const [trainIdx = [], valIdx = []] = stratifiedSplitIndices(split.labels.subarray(0, split.count), {
    fractions: [fraction],
    seed,
  });
  return {
    train: selectSamples(split, trainIdx, pixelsPerImage),
    validation: selectSamples(split, valIdx, pixelsPerImage),
  };
}

/**
 * Seeded stratified split of sample indices: each class gives `round(n * fraction)` of its
 * samples to each part, in the order of the fractions; the rest stay in the first part.
 * @returns `[rest, part1, part2, ...]`, each sorted ascending (a deterministic, class-mixed order)
 */
export function stratifiedSplitIndices(
  labels: ArrayLike<number>,
  options: {
    /** Fraction of each class per extra part, each in [0, 1), summing to less than 1. */
    fractions: number[];
    /** Seed of the shuffle; the same seed gives the same split. */
    seed: number;
  },
): number[][] {
  const { fractions, seed } = options;
  const total = fractions.reduce((a, b) => a + b, 0);
  for (const f of fractions) {
    if (!(f >= 0 && f < 1)) throw new RangeError(`split fraction must be in [0, 1), got ${f}`);
  }
  if (!(total < 1)) throw new RangeError(`split fractions must sum to less than 1, got ${total}`);
  const perm = seededPermutation(labels.length, seed);
  const byClass = new Map<number, number[]>();
  for (const i of perm) {
    const label = labels[i]!; // i from a permutation of the indices
    let list = byClass.get(label);
    if (!list) byClass.set(label, (list = []));
    list.push(i);
  }
  const parts: number[][] = [[], ...fractions.map((): number[] => [])];
  const [rest] = parts as [number[], ...number[][]];
  for (const label of [...byClass.keys()].sort((a, b) => a - b)) {
    const list = byClass.get(label)!;
    let taken = 0;
    fractions.forEach((f, p) => {
      const n = Math.round(list.length * f);
      parts[p + 1]!.push(...list.slice(taken, taken + n)); // one part per fraction
      taken += n;
    });
    rest.push(...list.slice(taken));
  }
  // Keep a deterministic but mixed order (not grouped by class).
  for (const part of parts) part.sort((a, b) => a - b);
  return parts;
}
