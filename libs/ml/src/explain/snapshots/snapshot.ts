/** One training snapshot: predictions, Grad-CAMs, first-layer filters and activation statistics of the probes. */
import * as tf from '@tensorflow/tfjs';
import type { PhaseName } from '../../transfer/phases';
import { classActivationMap } from '../cam';
import { classProbabilities } from '../saliency';
import { normalizeEach, quantize01, toBase64 } from './encode';
import { firstLayerFilters, type FilterOptions } from './filters';
import { layerActivationStats } from './layer-stats';
import type { ProbePrediction, SnapshotCams, SnapshotFile, SnapshotProbe } from './types';

/** Maps of inputs up to this many pixels are stored at the input's size, larger ones at the layer's. */
export const MAX_INPUT_MAP_PIXELS = 64 * 64;

/** What {@link takeSnapshot} needs. */
export interface SnapshotInput {
  model: tf.LayersModel;
  /** The probes' images `[probes, H, W, C]`, preprocessed as the model expects (the caller owns it). */
  images: tf.Tensor4D;
  probes: readonly SnapshotProbe[];
  /** The CAM layer (the explanation pack's default: the last layer with a 4-D output). */
  camLayer: string | null;
  epoch: number;
  phase: PhaseName;
  final: boolean;
  filters: FilterOptions;
  /** Seconds after which the parts not started yet are left out (and listed). */
  maxSeconds: number;
  /** Clock in ms (default performance.now). */
  now?: () => number;
}

/**
 * Computes one snapshot. Predictions always; then the CAMs, the activation statistics and the
 * filters, each only if the time budget is not spent when it would start. Disposes every tensor
 * it makes.
 */
export function takeSnapshot(input: SnapshotInput): SnapshotFile {
  const now = input.now ?? (() => performance.now());
  const t0 = now();
  const spent = () => (now() - t0) / 1000 > input.maxSeconds;
  const { model, images } = input;
  const snapshot: SnapshotFile = {
    version: 1,
    epoch: input.epoch,
    phase: input.phase,
    final: input.final,
    createdAt: new Date().toISOString(),
    seconds: 0,
    predictions: probePredictions(model, images, input.probes),
    skipped: [],
  };
  const parts: [string, () => void][] = [
    [
      'gradcam',
      () => {
        if (input.camLayer !== null)
          snapshot.cams = probeCams({ ...input, camLayer: input.camLayer }, snapshot.predictions);
      },
    ],
    ['activations', () => (snapshot.layers = layerActivationStats(model, images))],
    ['filters', () => (snapshot.filters = firstLayerFilters(model, input.filters) ?? undefined)],
  ];
  for (const [what, run] of parts) {
    if (spent()) {
      snapshot.skipped.push({ what, reason: `time budget of ${input.maxSeconds} s spent` });
      continue;
    }
    try {
      run();
    } catch (err) {
      snapshot.skipped.push({ what, reason: err instanceof Error ? err.message : String(err) });
    }
  }
  snapshot.seconds = Number(((now() - t0) / 1000).toFixed(3));
  return snapshot;
}

/** Predicted class and its probability per probe (a one-column model is a sigmoid's P(class 1)). */
function probePredictions(
  model: tf.LayersModel,
  images: tf.Tensor4D,
  probes: readonly SnapshotProbe[],
): ProbePrediction[] {
  const probs = classProbabilities(model, images);
  const columns = probs.shape[1];
  const p = probs.dataSync();
  probs.dispose();
  return probes.map((probe, i) => {
    let predicted = 0;
    let confidence: number;
    if (columns === 1) {
      const q = p[i]!;
      predicted = q >= 0.5 ? 1 : 0;
      confidence = q >= 0.5 ? q : 1 - q;
    } else {
      for (let c = 1; c < columns; c++)
        if (p[i * columns + c]! > p[i * columns + predicted]!) predicted = c;
      confidence = p[i * columns + predicted]!;
    }
    return { ...probe, predicted, confidence: Number(confidence.toFixed(4)) };
  });
}

/**
 * Grad-CAM of each probe for its true class and, where it differs, its predicted class. A
 * sigmoid model has one logit (evidence for class 1): its one map is stored as the true one.
 */
function probeCams(
  input: SnapshotInput & { camLayer: string },
  predictions: readonly ProbePrediction[],
): SnapshotCams {
  const { model, images, camLayer } = input;
  const binary = (model.outputs[0]?.shape[1] ?? 0) === 1;
  const cam = (classIndex: number[]) => {
    const r = classActivationMap({ model, images, layer: camLayer, classIndex, method: 'gradcam' });
    const [n, H, W] = r.heatmapShape;
    if (H * W <= MAX_INPUT_MAP_PIXELS)
      return { shape: [H, W] as [number, number], maps: split(r.heatmap, n, H * W) };
    const [, h, w] = r.mapShape;
    return {
      shape: [h, w] as [number, number],
      maps: split(normalizeEach(r.map, n, h * w), n, h * w),
    };
  };
  const truth = cam(predictions.map((p) => (binary ? 0 : p.label)));
  const differs = predictions.some((p) => !binary && p.predicted !== p.label);
  const guess = differs ? cam(predictions.map((p) => p.predicted)) : null;
  return {
    layer: camLayer,
    method: 'gradcam',
    shape: truth.shape,
    true: truth.maps,
    predicted: predictions.map((p, i) =>
      guess && p.predicted !== p.label ? guess.maps[i]! : null,
    ),
  };
}

// Each map quantised to bytes, as base64.
function split(values: Float32Array, n: number, size: number): string[] {
  return Array.from({ length: n }, (_, i) =>
    toBase64(quantize01(values.subarray(i * size, (i + 1) * size))),
  );
}
