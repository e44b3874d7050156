/** The data of an explanation pack: its samples, files and index. */
import type * as tf from '@tensorflow/tfjs';
import type { ImageSplit } from '../../data/dataset';
import type { CamMethod } from '../cam';
import type { ExplanationPackOptions } from './options';

/** Name of the index artifact that lists every file of the pack. */
export const EXPLANATION_INDEX_NAME = 'explain.index.json';

/** Prefix of every artifact name of the pack (no `/`: artifact routes take one path segment). */
export const EXPLANATION_PREFIX = 'explain.';

/** One explained sample of the pack. */
export interface PackSample {
  /** Index in the test split (= the sample index of the run's predictions and images). */
  index: number;
  label: number;
  predicted: number;
  /** Probability of the predicted class. */
  confidence: number;
  correct: boolean;
}

/** One file of the pack as listed in the index. */
export interface PackEntry {
  name: string;
  kind: string;
  mimeType: string;
  bytes: number;
  metadata: Record<string, unknown>;
}

/** The index artifact's content. */
export interface ExplanationIndex {
  version: 1;
  createdAt: string;
  classNames: string[];
  /** `[height, width, channels]` of the inputs. */
  imageShape: [number, number, number];
  camLayer: string | null;
  camMethods: CamMethod[];
  /** Every layer in order (nested models' inner layers under `base/...`). */
  layers: { path: string; className: string; outputShape: (number | null)[] }[];
  samples: PackSample[];
  files: PackEntry[];
  /** Bytes of every file listed (the index itself not included). */
  totalBytes: number;
  /** Seconds per stage. */
  timings: Record<string, number>;
  /** What was left out and why (budget of time or bytes, or an error of one stage). */
  skipped: { what: string; reason: string }[];
  /** The options in effect. */
  options: Record<string, unknown>;
}

/** A file ready to upload. */
export interface PackFile extends PackEntry {
  data: Uint8Array;
}

/** What {@link buildExplanationPack} explains. */
export interface ExplanationPackInput {
  model: tf.LayersModel;
  /** The evaluated split (bytes `[count, H, W, C]`). */
  split: ImageSplit;
  shape: [number, number, number];
  /** Row-major `[count, columns]` probabilities of the split (one column for sigmoid models). */
  probabilities: Float32Array;
  classNames: readonly string[];
  /** Multiplier of the pixel bytes, as the model was trained (default 1/255). */
  scale?: number;
  options?: ExplanationPackOptions;
}
