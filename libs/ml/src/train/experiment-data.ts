/** The data of one training run: its splits, as trainExperiment's options select them. */
import { splitValidation, type ImageDataset, type ImageSplit } from '../data/dataset';
import { isImageSource, type ImageSource } from '../data/image-source';
import type { StreamedDataset } from './experiment-options';

/** The splits a run trains, validates and tests on. */
export interface ExperimentData {
  /** The dataset as given (or loaded). */
  full: ImageDataset | StreamedDataset;
  /** True when the training images are read in batches (an image folder). */
  streamed: boolean;
  train: ImageSplit | ImageSource;
  validation?: ImageSplit | ImageSource;
  test: ImageSplit;
  /** `[height, width, channels]` of every image. */
  shape: [number, number, number];
}

/** Options of {@link prepareExperimentData}: the data fields of TrainExperimentOptions. */
export interface PrepareDataOptions {
  seed: number;
  validationSplit: number;
  trainLimit?: number;
  testLimit?: number;
}

/** True for a dataset read batch by batch. */
export function isStreamed(d: ImageDataset | StreamedDataset): d is StreamedDataset {
  return isImageSource(d.train);
}

/**
 * The run's splits: a streamed dataset brings its own; an in-memory one is cut to the limits and
 * its training split divided into training and validation with the seed.
 */
export function prepareExperimentData(
  full: ImageDataset | StreamedDataset,
  options: PrepareDataOptions,
): ExperimentData {
  if (isStreamed(full)) {
    if (options.trainLimit || options.testLimit)
      throw new Error('trainLimit and testLimit apply to in-memory datasets, not to streamed ones');
    const { train, validation, test, shape } = full;
    return { full, streamed: true, train, validation, test, shape };
  }
  const shape: [number, number, number] = [full.height, full.width, full.channels];
  const pixels = full.height * full.width * full.channels;
  const { train, validation } = splitValidation(
    limitSplit(full.train, options.trainLimit, pixels),
    { fraction: options.validationSplit, seed: options.seed, pixelsPerImage: pixels },
  );
  const test = limitSplit(full.test, options.testLimit, pixels);
  return { full, streamed: false, train, validation, test, shape };
}

function limitSplit<T extends { images: Uint8Array; labels: Uint8Array; count: number }>(
  s: T,
  n: number | undefined,
  pixels: number,
): T {
  if (!n || n >= s.count) return s;
  return {
    ...s,
    images: s.images.subarray(0, n * pixels),
    labels: s.labels.subarray(0, n),
    count: n,
  };
}
