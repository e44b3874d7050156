/**
 * The stored form of training snapshots: one small JSON artifact per snapshot, the probe images
 * once, and an index written when training ends. Maps and images are uint8 arrays in base64, so
 * the dashboard decodes them without an image codec and the files stay small.
 */
import type { PhaseName } from '../../transfer/phases';

/** Prefix of every snapshot artifact (no `/`: artifact routes take one path segment). */
export const SNAPSHOT_PREFIX = 'snapshot.';

/** The probe images and labels, stored once per run. */
export const SNAPSHOT_PROBES_NAME = 'snapshot.probes.json';

/** The index, stored once when training ends (finished runs' artifacts are immutable). */
export const SNAPSHOT_INDEX_NAME = 'snapshot.index.json';

/** The snapshot taken at train end, on the final weights (the ones the explanation pack explains). */
export const SNAPSHOT_FINAL_NAME = 'snapshot.final.json';

/** Artifact kind of every snapshot file. */
export const SNAPSHOT_KIND = 'snapshot';

/** Name of the snapshot after `epoch` (1-based, the metric step): `snapshot.e0003.json`. */
export function snapshotName(epoch: number): string {
  return `${SNAPSHOT_PREFIX}e${String(epoch).padStart(4, '0')}.json`;
}

/** One probe: a test sample followed through training. */
export interface SnapshotProbe {
  /** Index in the test split (= the run's prediction sample index). */
  index: number;
  label: number;
}

/** `snapshot.probes.json`. */
export interface SnapshotProbesFile {
  version: 1;
  classNames: string[];
  /** `[height, width, channels]` of the model's inputs. */
  imageShape: [number, number, number];
  /** `[height, width, channels]` of the stored images (smaller than the input for large images). */
  storedShape: [number, number, number];
  probes: SnapshotProbe[];
  /** uint8 pixels `[probes, ...storedShape]`, row-major, base64. */
  images: string;
}

/** A probe's prediction at one snapshot. */
export interface ProbePrediction {
  index: number;
  label: number;
  predicted: number;
  /** Probability of the predicted class. */
  confidence: number;
}

/** Grad-CAM maps of the probes at one snapshot. */
export interface SnapshotCams {
  layer: string;
  method: 'gradcam';
  /** `[height, width]` of each stored map: the input's, or the layer's for inputs over 64 px. */
  shape: [number, number];
  /** Per probe: the map for its true class, uint8 of the [0, 1] heatmap, base64. */
  true: string[];
  /** Per probe: the map for its predicted class; null where that is the true class. */
  predicted: (string | null)[];
}

/** The first convolution's kernels as small images. */
export interface SnapshotFilters {
  layer: string;
  /** Filters stored (the first ones, up to the limit). */
  count: number;
  /** Filters of the layer. */
  total: number;
  /** `[kernelHeight, kernelWidth]`. */
  shape: [number, number];
  /** 3 for RGB inputs (colour), else 1 (input channels averaged). */
  channels: 1 | 3;
  /** `minmax`: each filter to [0, 255]; `symmetric`: 0 at 128, the filter's largest |w| at 0 or 255. */
  scaling: 'minmax' | 'symmetric';
  /** uint8 `[count, kh, kw, channels]`, base64. */
  data: string;
}

/** Activation statistics of one layer on the probe batch (over every value). */
export interface LayerActivationStats {
  layer: string;
  className: string;
  mean: number;
  std: number;
  /** Fraction of exact zeros (dead ReLU outputs). */
  zeroFraction: number;
}

/** Something a snapshot (or the run's snapshots) left out, and why. */
export interface SnapshotSkip {
  what: string;
  reason: string;
}

/** `snapshot.e0003.json` / `snapshot.final.json`. */
export interface SnapshotFile {
  version: 1;
  /** Epochs completed (the metric step); the final snapshot has the run's last epoch. */
  epoch: number;
  phase: PhaseName;
  final: boolean;
  createdAt: string;
  /** Seconds spent computing it. */
  seconds: number;
  predictions: ProbePrediction[];
  cams?: SnapshotCams;
  filters?: SnapshotFilters;
  layers?: LayerActivationStats[];
  skipped: SnapshotSkip[];
}

/** One snapshot as the index lists it. */
export interface SnapshotEntry {
  name: string;
  epoch: number;
  phase: PhaseName;
  final: boolean;
  bytes: number;
  seconds: number;
}

/** `snapshot.index.json`. */
export interface SnapshotIndex {
  version: 1;
  createdAt: string;
  probes: string;
  /** A snapshot every N epochs. */
  every: number;
  camLayer: string | null;
  /** Where each phase starts (1-based epoch of its first snapshot step) and its epochs. */
  phases: { phase: PhaseName; firstEpoch: number; epochs: number }[];
  snapshots: SnapshotEntry[];
  totalBytes: number;
  totalSeconds: number;
  skipped: SnapshotSkip[];
}
