/**
 * Predictive uncertainty of a tracked run: when the trained model is random at prediction time
 * (MC dropout, a sampled variational latent), T stochastic passes over the test split are
 * summarised per sample (mcPredictSplit) and stored with the run (`Run.uncertainty`).
 */
import * as tf from '@tensorflow/tfjs';
import type { ImageSplit } from '../data/dataset';
import { GaussianSampling, MCDropout } from '../models/custom-layers';
import type { RunTracker, UncertaintyInfo } from '../tracking/run-tracker';
import { evaluateMcPredictions, mcPredictSplit } from './mc-predict';

/** Passes T of a run's uncertainty evaluation unless told otherwise. */
export const DEFAULT_UNCERTAINTY_PASSES = 100;

/** How a model's predictions are random. */
export type UncertaintyMethod = 'mc-dropout' | 'variational';

/**
 * The sampling method of a model whose predictions are random, found by layer class (nested
 * models are searched): `mc-dropout` for an MCDropout layer, `variational` for a
 * GaussianSampling layer that samples at inference; null for a deterministic model (its passes
 * would all be identical). MC dropout wins when a model has both.
 */
export function uncertaintyMethod(model: tf.LayersModel): UncertaintyMethod | null {
  let variational = false;
  const visit = (m: tf.LayersModel): boolean => {
    for (const layer of m.layers) {
      if (layer instanceof MCDropout) return true;
      if (layer instanceof GaussianSampling && layer.sampleAtInference) variational = true;
      if (layer instanceof tf.LayersModel && visit(layer)) return true;
    }
    return false;
  };
  if (visit(model)) return 'mc-dropout';
  return variational ? 'variational' : null;
}

/** Options of {@link logRunUncertainty}. */
export interface LogRunUncertaintyOptions {
  /** The split to evaluate (bytes, like the evaluation's test split). */
  split: ImageSplit;
  /** Image shape `[height, width, channels]`. */
  shape: [number, number, number];
  /** Class names, stored when they match the model's class count. */
  classNames?: readonly string[];
  /** Passes T (default {@link DEFAULT_UNCERTAINTY_PASSES}); 0 stores nothing. */
  passes?: number;
  /** Split name (default `test`). */
  splitName?: string;
}

/**
 * Computes and stores the run's uncertainty on a split when `model` is stochastic; returns the
 * stored evaluation, or null (deterministic model, or `passes: 0`). The per-pass probabilities
 * are not kept, so memory stays at the statistics (n x C x 7 floats).
 */
export async function logRunUncertainty(
  tracker: RunTracker,
  model: tf.LayersModel,
  options: LogRunUncertaintyOptions,
): Promise<UncertaintyInfo | null> {
  const passes = options.passes ?? DEFAULT_UNCERTAINTY_PASSES;
  const method = uncertaintyMethod(model);
  if (method === null || passes <= 0 || options.split.count === 0) return null;
  const prediction = mcPredictSplit(model, options.split, {
    shape: options.shape,
    passes,
    keepPasses: false,
  });
  const labels = Int32Array.from(options.split.labels.subarray(0, options.split.count));
  const names = options.classNames;
  return tracker.logUncertainty({
    split: options.splitName ?? 'test',
    method,
    labels,
    prediction,
    classNames: names && names.length === prediction.numClasses ? names : undefined,
    evaluation: evaluateMcPredictions(prediction, labels),
  });
}
