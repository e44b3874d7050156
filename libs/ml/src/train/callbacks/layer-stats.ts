/**
 * Per-layer histograms of weights, biases and gradients each epoch, with gradient norms and
 * dead-ReLU fractions as metrics (issue #13, item 2). Every `everyEpochs` epochs (and the last),
 * on a probe batch of training images fixed at the start from the seed: the metrics
 * `grad_norm/<layer>`, `weight_norm/<layer>` and `dead_relu/<layer>` at the epoch's step (as the
 * tracking callback logs epoch metrics), and one artifact `histograms.eNNNN.json` (kind
 * `layer-stats`, bounded by `maxBytes`).
 */
import * as tf from '@tensorflow/tfjs';
import type { ImageSplit } from '../../data/dataset';
import { BAND_PERCENTILES, DEFAULT_BINS } from '../../explain/layer-stats/histogram';
import { probeIndices, probeTensors, readProbe } from '../../explain/layer-stats/probe';
import { LayerStatsProbe } from '../../explain/layer-stats/stats';
import {
  LAYER_METRIC_PREFIXES,
  LAYER_STATS_FORMAT,
  LAYER_STATS_KIND,
  layerStatsArtifactName,
  type LayerStatsEpoch,
} from '../../explain/layer-stats/types';
import type { MetricPointInput, RunTracker } from '../../tracking/run-tracker';
import type { ExperimentData } from '../experiment-data';
import type { TrainingCallback } from '../training-callback';

/** Options of {@link layerStatsCallback}. */
export interface LayerStatsOptions {
  /** Record every N epochs (default 1); the last epoch is always recorded. */
  everyEpochs?: number;
  /** Histogram bins (default 30). */
  bins?: number;
  /** Training images in the probe batch (default 32: about 0.3 s per epoch for fmnist-cnn on WASM, 64 doubles it). */
  probeSize?: number;
  /** Byte limit of one epoch's artifact (default 512 KiB): layers past it are dropped and listed. */
  maxBytes?: number;
  /** Seconds one epoch's statistics may take (default 2): layers not reached by then are listed as skipped. */
  maxSeconds?: number;
  /** Multiplier of the pixel bytes, as training scales them (default 1/255). */
  rescale?: number;
}

/** Defaults of {@link LayerStatsOptions}. */
export const LAYER_STATS_DEFAULTS = {
  everyEpochs: 1,
  bins: DEFAULT_BINS,
  probeSize: 32,
  maxBytes: 512 * 1024,
  maxSeconds: 2,
} as const;

/** Per-layer histograms of weights, biases and gradients each epoch, with gradient norms and dead-ReLU fractions as metrics (issue #13, item 2). */
export function layerStatsCallback(
  tracker: Pick<RunTracker, 'log' | 'flush' | 'uploadArtifact'>,
  run: { data: ExperimentData; seed: number; options: LayerStatsOptions },
): TrainingCallback | undefined {
  const o = { ...LAYER_STATS_DEFAULTS, ...run.options };
  checkOptions(o);
  const { data, seed } = run;
  let probe: LayerStatsProbe | undefined;
  let bytes: ImageSplit | undefined;
  let epochs = 0;
  return {
    name: 'layer-stats',
    onTrainBegin: async ({ model, epochs: planned }) => {
      epochs = planned;
      probe = probeOf(model);
      if (!probe) return;
      const count = data.train.count;
      const pixels = data.shape[0] * data.shape[1] * data.shape[2];
      bytes = await readProbe(data.train, probeIndices(count, o.probeSize, seed), pixels);
    },
    onEpochEnd: async ({ model, epoch, phase }) => {
      const step = epoch + 1;
      if (!probe || !bytes || bytes.count === 0) return;
      if (step % o.everyEpochs !== 0 && step !== epochs) return;
      // A transfer run recompiles its model between phases; the probe follows the model.
      if (probe.model !== model) probe = probeOf(model);
      if (!probe) return;
      const columns = (model.outputs[0]!.shape.at(-1) as number | null) ?? 1;
      const batch = probeTensors(bytes, { shape: data.shape, columns, rescale: o.rescale });
      const started = performance.now();
      let result;
      try {
        result = await probe.compute(batch, { bins: o.bins, maxSeconds: o.maxSeconds });
      } finally {
        tf.dispose([batch.xs, batch.ys]);
      }
      const file: LayerStatsEpoch = {
        format: LAYER_STATS_FORMAT,
        step,
        phase,
        bins: o.bins,
        percentiles: [...BAND_PERCENTILES],
        probe: { size: bytes.count, seed },
        loss: result.loss,
        seconds: (performance.now() - started) / 1000,
        layers: result.layers,
        dead: result.dead,
        skipped: result.skipped,
      };
      await tracker.log(epochMetrics(file));
      const body = encodeBounded(file, o.maxBytes);
      await tracker.uploadArtifact(layerStatsArtifactName(step), body, {
        kind: LAYER_STATS_KIND,
        mimeType: 'application/json',
        metadata: {
          kind: LAYER_STATS_KIND,
          step,
          layers: file.layers.length,
          seconds: Math.round(file.seconds * 1000) / 1000,
        },
      });
      // The tracking callback flushed before this one ran: send these points now, not next epoch.
      await tracker.flush();
    },
  };
}

/**
 * The probe of a model, or undefined (with one line on stderr) when its statistics cannot be
 * computed (a loss other than the built-in ones): a diagnostic never ends a run.
 */
function probeOf(model: tf.LayersModel): LayerStatsProbe | undefined {
  try {
    return new LayerStatsProbe(model);
  } catch (err) {
    console.warn(`[layer-stats] none for this run: ${(err as Error).message}`);
    return undefined;
  }
}

function checkOptions(o: Required<Omit<LayerStatsOptions, 'rescale'>>): void {
  for (const key of ['everyEpochs', 'bins', 'probeSize'] as const)
    if (!Number.isInteger(o[key]) || o[key] < 1)
      throw new RangeError(`layerStats.${key} must be a positive integer, got ${o[key]}`);
  if (!(o.maxBytes > 0))
    throw new RangeError(`layerStats.maxBytes must be positive, got ${o.maxBytes}`);
  if (!(o.maxSeconds > 0))
    throw new RangeError(`layerStats.maxSeconds must be positive, got ${o.maxSeconds}`);
}

/** The epoch's scalars as metric points at its step. */
export function epochMetrics(file: LayerStatsEpoch): MetricPointInput[] {
  const { step } = file;
  const points: MetricPointInput[] = [];
  for (const l of file.layers) {
    points.push({ name: LAYER_METRIC_PREFIXES.weightNorm + l.name, step, value: l.weightNorm });
    if (l.gradNorm !== undefined)
      points.push({ name: LAYER_METRIC_PREFIXES.gradNorm + l.name, step, value: l.gradNorm });
  }
  for (const d of file.dead)
    points.push({ name: LAYER_METRIC_PREFIXES.deadRelu + d.name, step, value: d.fraction });
  return points;
}

/**
 * The file as JSON within `maxBytes`: layers are dropped from the end (and listed as skipped)
 * until it fits.
 */
export function encodeBounded(file: LayerStatsEpoch, maxBytes: number): Uint8Array {
  const enc = new TextEncoder();
  let body = enc.encode(JSON.stringify(file));
  const kept = { ...file, layers: [...file.layers], skipped: [...file.skipped] };
  while (body.length > maxBytes && kept.layers.length > 0) {
    const dropped = kept.layers.pop()!;
    kept.skipped.unshift({ what: dropped.name, reason: `byte budget of ${maxBytes} reached` });
    body = enc.encode(JSON.stringify(kept));
  }
  return body;
}
