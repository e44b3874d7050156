/** The stored form of a run's per-epoch layer statistics (one JSON artifact per recorded epoch). */
import type { ValueSummary } from './histogram';

/** Format tag of a layer-stats artifact. */
export const LAYER_STATS_FORMAT = 'convscope.layer-stats/1';

/** Artifact kind of the per-epoch files. */
export const LAYER_STATS_KIND = 'layer-stats';

/** Metric name prefixes of the per-layer scalars (`grad_norm/<layer>` ...). */
export const LAYER_METRIC_PREFIXES = {
  gradNorm: 'grad_norm/',
  weightNorm: 'weight_norm/',
  deadRelu: 'dead_relu/',
} as const;

/**
 * Artifact name of epoch `step` (1-based, the step of the epoch's metrics): `histograms.e0003.json`.
 * @throws RangeError when `step` is not a positive integer below 10^6
 */
export function layerStatsArtifactName(step: number): string {
  if (!Number.isInteger(step) || step < 1 || step >= 1e6)
    throw new RangeError(`epoch step must be an integer in [1, 999999], got ${step}`);
  return `histograms.e${String(step).padStart(4, '0')}.json`;
}

/** One weight tensor of a layer (or the gradient of the loss with respect to it). */
export interface TensorStats extends ValueSummary {
  /** The weight's short name: `kernel`, `bias`, `gamma`... */
  weight: string;
  /** `value`: the weights themselves; `gradient`: d loss / d weights on the probe batch. */
  role: 'value' | 'gradient';
  shape: number[];
}

/** The statistics of one layer with weights at one epoch. */
export interface LayerStats {
  /** Layer name (a nested model's layers are prefixed `model/`). */
  name: string;
  /** Keras class name (`Conv2D`, `Dense`...). */
  className: string;
  /** L2 norm of all the layer's weights together. */
  weightNorm: number;
  /** L2 norm of the loss gradient over the layer's trainable weights; absent when it has none (frozen). */
  gradNorm?: number;
  tensors: TensorStats[];
}

/** Dead units of one ReLU-activated layer on the probe batch. */
export interface DeadUnits {
  /** Layer name (the layer whose output is ReLU'd: a Conv2D/Dense with relu activation, or a ReLU layer). */
  name: string;
  /** Units counted: channels of a conv output, units of a dense one. */
  units: number;
  /** Units whose output is 0 for every probe image (and every position of a conv map). */
  dead: number;
  /** `dead / units`. */
  fraction: number;
}

/** Something left out of an epoch's statistics, and why. */
export interface LayerStatsSkip {
  what: string;
  reason: string;
}

/** One epoch's file: `histograms.eNNNN.json`. */
export interface LayerStatsEpoch {
  format: typeof LAYER_STATS_FORMAT;
  /** 1-based epoch: the step of the epoch's metrics. */
  step: number;
  /** Training phase of the epoch (`head`/`finetune` for transfer runs). */
  phase?: string;
  bins: number;
  /** The band's percentiles (`BAND_PERCENTILES`). */
  percentiles: number[];
  /** Probe batch the gradients and dead units are computed on. */
  probe: { size: number; seed: number };
  /** The probe batch's loss (inference mode, with weight regularisation). */
  loss: number;
  /** Seconds the statistics took to compute. */
  seconds: number;
  layers: LayerStats[];
  dead: DeadUnits[];
  skipped: LayerStatsSkip[];
}
