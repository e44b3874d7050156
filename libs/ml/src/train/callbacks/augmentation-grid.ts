/**
 * What a run's augmentation does, stored with the run: a PNG grid of augmented training images
 * (artifact `augmentation-grid.png`, kind `image`, shown on the run page).
 */
import { renderAugmentationGrid, type AugmentationConfig } from '../../data/augment';
import type { ImageSplit } from '../../data/dataset';
import type { ImageSource } from '../../data/image-source';
import type { ArtifactInfo, RunTracker } from '../../tracking/run-tracker';
import type { TrainingCallback } from '../training-callback';

/** Name of the augmentation grid artifact. */
export const AUGMENTATION_GRID_ARTIFACT = 'augmentation-grid.png';

/** Options of {@link logAugmentationGrid}. */
export interface LogAugmentationGridOptions {
  /** Training images, in memory or read from a source (the grid augments the first few). */
  images: ImageSplit | ImageSource;
  /** `[height, width, channels]`. */
  shape: [number, number, number];
  config: AugmentationConfig;
  /** Augmented samples in the grid (default 16: four of each of the first four images). */
  samples?: number;
  /** Seed of the draws (default: the config's, else 42). */
  seed?: number;
}

/**
 * Renders the augmentation grid and uploads it with the run. Small images are upscaled by an
 * integer factor to about 96 px so the grid is readable without browser smoothing.
 */
export async function logAugmentationGrid(
  tracker: RunTracker,
  options: LogAugmentationGridOptions,
): Promise<ArtifactInfo> {
  const [h, w] = options.shape;
  const samples = options.samples ?? 16;
  const distinct = Math.min(4, options.images.count);
  // Each source image repeated along its row: a row shows how one image varies.
  const columns = Math.max(1, Math.ceil(samples / Math.max(1, distinct)));
  const indices = Array.from({ length: samples }, (_, i) => Math.floor(i / columns) % distinct);
  const scale = Math.max(1, Math.floor(96 / Math.max(h, w)));
  const png = await renderAugmentationGrid({
    images: options.images,
    shape: options.shape,
    config: options.config,
    samples,
    indices,
    columns,
    scale,
    seed: options.seed,
  });
  return tracker.uploadArtifact(AUGMENTATION_GRID_ARTIFACT, png, {
    kind: 'image',
    mimeType: 'image/png',
    metadata: { description: 'augmented training images', samples, columns, scale },
  });
}

/**
 * Stores the augmentation grid when training begins (before the first batch), so the run page
 * shows what the model is trained on while it trains.
 */
export function augmentationGridCallback(
  tracker: RunTracker,
  options: LogAugmentationGridOptions,
): TrainingCallback {
  return {
    name: 'augmentation-grid',
    onTrainBegin: async () => {
      await logAugmentationGrid(tracker, options);
    },
  };
}
