import { seededPermutation } from '../util/rng.js';

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
    const src = indices[i];
    images.set(split.images.subarray(src * pixelsPerImage, (src + 1) * pixelsPerImage), i * pixelsPerImage);
    labels[i] = split.labels[src];
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
  const perm = seededPermutation(split.count, seed);
  const byClass = new Map<number, number[]>();
  for (const i of perm) {
    const label = split.labels[i];
    let list = byClass.get(label);
    if (!list) byClass.set(label, (list = []));
    list.push(i);
  }
  const trainIdx: number[] = [];
  const valIdx: number[] = [];
  for (const label of [...byClass.keys()].sort((a, b) => a - b)) {
    const list = byClass.get(label)!;
    const nVal = Math.round(list.length * fraction);
    valIdx.push(...list.slice(0, nVal));
    trainIdx.push(...list.slice(nVal));
  }
  // Keep a deterministic but mixed order (not grouped by class).
  trainIdx.sort((a, b) => a - b);
  valIdx.sort((a, b) => a - b);
  return {
    train: selectSamples(split, trainIdx, pixelsPerImage),
    validation: selectSamples(split, valIdx, pixelsPerImage),
  };
}
