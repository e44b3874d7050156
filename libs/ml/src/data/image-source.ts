import type { ImageSplit } from './dataset';

/**
 * A batch read from an {@link ImageSource}: the images that could be read, in request order.
 * Byte pixels, row-major `[count, height, width, channels]`.
 */
export interface ImageBatch extends ImageSplit {
  /**
   * Positions in the request (not source indices) of the samples left out because their file
   * could not be decoded (`onBadFile: 'skip'`); empty for in-memory sources.
   */
  skipped: number[];
}

/**
 * Random access to the images of one split, read in batches. Training code depends on this
 * instead of on a byte array so that a dataset larger than memory can be streamed from disk.
 */
export interface ImageSource {
  /** Number of samples. */
  readonly count: number;
  /** Class index of every sample, known without decoding (length `count`). */
  readonly labels: Uint8Array;
  /** Class names indexed by label. */
  readonly classNames: readonly string[];
  /** Image shape `[height, width, channels]` of every sample. */
  readonly shape: [number, number, number];
  /**
   * Reads the samples with the given indices (0..count-1), in that order.
   * @returns bytes `[n, height, width, channels]` and labels of the samples read
   */
  readBatch(indices: ArrayLike<number>): Promise<ImageBatch>;
}

/** True when `data` is an {@link ImageSource} rather than an in-memory {@link ImageSplit}. */
export function isImageSource(data: ImageSplit | ImageSource): data is ImageSource {
  return typeof (data as ImageSource).readBatch === 'function';
}

/** Options of {@link createMemorySource}. */
export interface MemorySourceOptions {
  /** The split held in memory, bytes `[count, height, width, channels]`. */
  split: ImageSplit;
  /** Image shape `[height, width, channels]`. */
  shape: [number, number, number];
  /** Class names indexed by label (default: the label numbers as strings). */
  classNames?: readonly string[];
}

/**
 * An {@link ImageSource} over an in-memory split. Batches are copies, so callers may keep or
 * modify them.
 */
export function createMemorySource(options: MemorySourceOptions): ImageSource {
  const { split, shape } = options;
  const pixels = shape[0] * shape[1] * shape[2];
  if (split.images.length < split.count * pixels) {
    throw new RangeError(
      `split holds ${split.images.length} bytes, fewer than ${split.count} images of shape [${shape.join(', ')}]`,
    );
  }
  const labels = split.labels.subarray(0, split.count);
  let classNames = options.classNames;
  if (!classNames) {
    let max = -1;
    for (const l of labels) max = Math.max(max, l);
    classNames = Array.from({ length: max + 1 }, (_, i) => String(i));
  }
  return {
    count: split.count,
    labels,
    classNames,
    shape,
    async readBatch(indices) {
      const n = indices.length;
      const images = new Uint8Array(n * pixels);
      const out = new Uint8Array(n);
      for (let i = 0; i < n; i++) {
        const src = checkIndex(indices[i]!, split.count); // i < n = indices.length
        images.set(split.images.subarray(src * pixels, (src + 1) * pixels), i * pixels);
        out[i] = labels[src]!;
      }
      return { images, labels: out, count: n, skipped: [] };
    },
  };
}

/** Throws a RangeError unless `i` is an integer in [0, count). */
export function checkIndex(i: number, count: number): number {
  if (!Number.isInteger(i) || i < 0 || i >= count) {
    throw new RangeError(`sample index ${i} is outside [0, ${count})`);
  }
  return i;
}

/**
 * Reads a whole source into memory, in batches (e.g. the test split for evaluation code that
 * takes an {@link ImageSplit}). Samples whose file was skipped are absent from the result.
 */
export async function readAllImages(
  source: ImageSource,
  options: {
    /** Samples per read (default 256). */
    batchSize?: number;
  } = {},
): Promise<ImageSplit> {
  const batchSize = options.batchSize ?? 256;
  const pixels = source.shape[0] * source.shape[1] * source.shape[2];
  const images = new Uint8Array(source.count * pixels);
  const labels = new Uint8Array(source.count);
  let count = 0;
  for (let start = 0; start < source.count; start += batchSize) {
    const idx: number[] = [];
    for (let i = start; i < Math.min(source.count, start + batchSize); i++) idx.push(i);
    const batch = await source.readBatch(idx);
    images.set(batch.images.subarray(0, batch.count * pixels), count * pixels);
    labels.set(batch.labels.subarray(0, batch.count), count);
    count += batch.count;
  }
  return {
    images: count === source.count ? images : images.slice(0, count * pixels),
    labels: count === source.count ? labels : labels.slice(0, count),
    count,
  };
}
