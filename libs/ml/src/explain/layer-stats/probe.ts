/** The fixed probe batch of a run's layer statistics: chosen once from the seed, kept as bytes. */
import type { ImageSplit } from '../../data/dataset';
import { isImageSource, type ImageSource } from '../../data/image-source';
import { batchTensors, type LabelEncoding } from '../../train/batches';
import { seededPermutation } from '../../util/rng';
import type { ProbeBatch } from './stats';

/** Offset of the probe's shuffle seed from the run's, so it is not the first epoch's batch. */
const PROBE_SEED_OFFSET = 0x5eed;

/**
 * The probe's sample indices: the first `size` of a seeded permutation of the split (all of a
 * smaller split), sorted.
 */
export function probeIndices(count: number, size: number, seed: number): number[] {
  const perm = seededPermutation(count, (seed + PROBE_SEED_OFFSET) >>> 0);
  return Array.from(perm.subarray(0, Math.min(size, count))).sort((a, b) => a - b);
}

/** Reads the probe samples' bytes from an in-memory split or an image source. */
export async function readProbe(
  split: ImageSplit | ImageSource,
  indices: number[],
  pixelsPerImage: number,
): Promise<ImageSplit> {
  if (isImageSource(split)) {
    const b = await split.readBatch(indices);
    return { images: b.images, labels: b.labels, count: b.count };
  }
  const images = new Uint8Array(indices.length * pixelsPerImage);
  const labels = new Uint8Array(indices.length);
  indices.forEach((src, i) => {
    images.set(
      split.images.subarray(src * pixelsPerImage, (src + 1) * pixelsPerImage),
      i * pixelsPerImage,
    );
    labels[i] = split.labels[src]!;
  });
  return { images, labels, count: indices.length };
}

/** How the model reads a batch: its output columns decide the label encoding. */
export function probeTensors(
  bytes: ImageSplit,
  options: { shape: [number, number, number]; columns: number; rescale?: number },
): ProbeBatch {
  const encoding: LabelEncoding = options.columns === 1 ? 'binary' : 'one-hot';
  return batchTensors(bytes, {
    shape: options.shape,
    numClasses: options.columns,
    encoding,
    rescale: options.rescale,
  });
}
