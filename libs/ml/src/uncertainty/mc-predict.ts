/**
 * Predictive uncertainty by Monte Carlo sampling: T stochastic forward passes of a model whose
 * prediction is random (MC dropout, a variational latent), summarised per sample. Entropies are
 * in nats (natural log).
 */
import * as tf from '@tensorflow/tfjs';
import type { ImageSplit } from '../data/dataset';
import { makeBatch } from '../train/batches';
import { evaluateClassification } from '@convscope/metrics';
import { isStochasticModel } from '../models/custom-layers';
import { quantileSorted as d3QuantileSorted } from 'd3-array';
import { newNoiseRun, withNoiseRun, type NoiseRun, type RowKeys } from './row-noise';

/**
 * Default most rows per forward. On 'onednn' (2 threads, 32x32x3, mc-dropout-cnn and vnn),
 * 128 to 256 rows per call ran as fast as or faster than 1,024 (the conv activations, 33 MB at
 * 256 rows, stay nearer the caches); the per-call overhead is small at either size.
 */
export const MC_DEFAULT_MAX_ROWS = 256;

/** Quantiles reported per sample and class, in this order (numpy's default linear percentiles). */
export const MC_QUANTILES = [0, 0.25, 0.5, 0.75, 1] as const;

/** Per-sample statistics of T probability vectors per sample. All arrays are row-major. */
export interface McStatistics {
  /** Number of samples n. */
  numSamples: number;
  /** Number of classes C (2 for a one-unit sigmoid model, expanded to `[1 - p, p]`). */
  numClasses: number;
  /** Number of passes T. */
  passes: number;
  /** `[n, C]`: mean probability over passes (the MC prediction). */
  mean: Float32Array;
  /** `[n, C]`: standard deviation over passes (population, numpy's default ddof = 0). */
  std: Float32Array;
  /** `[n]`: predictive entropy H[mean p] = -sum_c mean_c ln mean_c. */
  predictiveEntropy: Float32Array;
  /** `[n]`: expected entropy E_t[H[p_t]] (aleatoric part). */
  expectedEntropy: Float32Array;
  /** `[n]`: mutual information (BALD) H[mean p] - E_t[H[p_t]] (epistemic part), >= 0 up to rounding. */
  mutualInformation: Float32Array;
  /**
   * `[n, C, 5]`: min, first quartile, median, third quartile, max of each class's probability
   * over passes (linear interpolation, like `numpy.percentile(..., [0, 25, 50, 75, 100])`), for boxplots.
   */
  quantiles: Float32Array;
}

/** What {@link mcPredict} returns: the statistics plus, unless turned off, every pass. */
export interface McPrediction extends McStatistics {
  /** `[n, T, C]`: probabilities of every pass (absent with `keepPasses: false`). */
  passProbabilities?: Float32Array;
  /** Whether the model has a layer random at prediction; false means every pass is identical. */
  stochastic: boolean;
}

/** Options of {@link mcPredict}. */
export interface McPredictOptions {
  /** Number of stochastic passes T (default 100; 1000 works, memory stays bounded). */
  passes?: number;
  /**
   * Most rows (sample copies) per forward pass (default {@link MC_DEFAULT_MAX_ROWS}, 256): passes are stacked along the batch
   * dimension (`[k * b, h, w, c]`, k passes of b samples) so small sets need few calls, and large
   * ones are cut into blocks.
   */
  maxRowsPerBatch?: number;
  /** Return `passProbabilities` (default true; n * T * C floats, 40 MB for 10,000 x 100 x 10). */
  keepPasses?: boolean;
}

/** Entropy of `p[offset .. offset + length)`; the caller keeps the range inside `p`. */
function entropy(p: ArrayLike<number>, offset: number, length: number): number {
  let h = 0;
  for (let c = 0; c < length; c++) {
    const v = p[offset + c]!;
    if (v > 0) h -= v * Math.log(v);
  }
  return h;
}

/**
 * Linear-interpolated quantile of a sorted array (numpy's default `linear` method, R-7): d3's
 * quantileSorted, which interpolates between the values at floor and ceil of `(n - 1) * q`.
 * NaN for an empty array or a NaN `q`.
 */
export function quantileSorted(sorted: number[], q: number): number {
  return d3QuantileSorted(sorted, q) ?? NaN;
}

/**
 * numpy's linear percentile of `sorted[0 .. n)`, the same arithmetic as d3's quantileSorted
 * (identical results) without copying the typed array into a plain one.
 */
function quantileOfSorted(sorted: Float64Array, n: number, q: number): number {
  if (q <= 0 || n < 2) return sorted[0]!;
  if (q >= 1) return sorted[n - 1]!;
  const i = (n - 1) * q;
  const i0 = Math.floor(i);
  const v0 = sorted[i0]!;
  return v0 + (sorted[i0 + 1]! - v0) * (i - i0);
}

/**
 * Statistics of per-pass probabilities: `passProbabilities` is row-major `[n, T, C]`.
 * Sums are accumulated in float64.
 */
export function summarizePasses(
  passProbabilities: ArrayLike<number>,
  numSamples: number,
  passes: number,
  numClasses: number,
): McStatistics {
  const n = numSamples;
  const T = passes;
  const C = numClasses;
  if (passProbabilities.length !== n * T * C)
    throw new RangeError(
      `expected ${n} x ${T} x ${C} = ${n * T * C} probabilities, got ${passProbabilities.length}`,
    );
  const out = emptyStats(n, T, C);
  const mean = new Float64Array(C);
  // Float64: inputs may be plain doubles (a Float32Array would round them).
  const column = new Float64Array(T);
  const Q = MC_QUANTILES.length;
  // Hot loops: every index below is within the n * T * C probabilities (checked above), the C
  // means or the T passes.
  for (let i = 0; i < n; i++) {
    const base = i * T * C;
    mean.fill(0);
    let expected = 0;
    for (let t = 0; t < T; t++) {
      for (let c = 0; c < C; c++) mean[c]! += passProbabilities[base + t * C + c]!;
      expected += entropy(passProbabilities, base + t * C, C);
    }
    for (let c = 0; c < C; c++) mean[c]! /= T;
    expected /= T;
    const predictive = entropy(mean, 0, C);
    out.predictiveEntropy[i] = predictive;
    out.expectedEntropy[i] = expected;
    out.mutualInformation[i] = predictive - expected;
    for (let c = 0; c < C; c++) {
      let ss = 0;
      const m = mean[c]!;
      for (let t = 0; t < T; t++) {
        const v = passProbabilities[base + t * C + c]!;
        column[t] = v;
        ss += (v - m) ** 2;
      }
      out.mean[i * C + c] = m;
      out.std[i * C + c] = Math.sqrt(ss / T);
      // A typed array sorts numerically (NaN last), in place, without a comparator call.
      column.sort();
      const q0 = (i * C + c) * Q;
      for (let k = 0; k < Q; k++)
        out.quantiles[q0 + k] = quantileOfSorted(column, T, MC_QUANTILES[k]!);
    }
  }
  return out;
}

/** Options of {@link mcPredictWithRun}, besides those of {@link mcPredict}. */
interface RunOptions {
  /** The noise run the passes belong to (one stream per random layer for the whole run). */
  run: NoiseRun;
  /** Index of `images[0]` in the whole set, for the rows' noise keys. */
  sampleOffset: number;
}

/**
 * Runs T stochastic passes of `model` over images `[n, h, w, c]` (the caller keeps `images`) and
 * summarises them per sample. Layers random at prediction (MCDropout, GaussianSampling with
 * `sampleAtInference`) draw noise keyed by (pass, sample) in one stream per call of mcPredict,
 * so stacked copies of a sample are independent passes and, with seeded layers, the result does
 * not depend on `maxRowsPerBatch`; ordinary dropout stays off, and a model without random layers
 * gives T identical passes. A one-unit sigmoid output is expanded to two classes `[1 - p, p]`.
 */
export function mcPredict(
  model: tf.LayersModel,
  images: tf.Tensor4D,
  options: McPredictOptions = {},
): McPrediction {
  return mcPredictWithRun(model, images, options, { run: newNoiseRun(), sampleOffset: 0 });
}

function mcPredictWithRun(
  model: tf.LayersModel,
  images: tf.Tensor4D,
  options: McPredictOptions,
  { run, sampleOffset }: RunOptions,
): McPrediction {
  const T = options.passes ?? 100;
  const maxRows = options.maxRowsPerBatch ?? MC_DEFAULT_MAX_ROWS;
  if (!(Number.isInteger(T) && T >= 1))
    throw new RangeError(`passes must be an integer >= 1, got ${T}`);
  if (!(Number.isInteger(maxRows) && maxRows >= 1))
    throw new RangeError(`maxRowsPerBatch must be an integer >= 1, got ${maxRows}`);
  const n = images.shape[0];
  const output = model.outputs[0];
  if (!output) throw new Error('the model has no output');
  const outUnits = output.shape.at(-1) ?? 1;
  const C = outUnits === 1 ? 2 : outUnits;
  const keep = options.keepPasses ?? true;
  const all = keep ? new Float32Array(n * T * C) : undefined;
  const stats: McStatistics[] = [];
  for (let start = 0; start < n; start += maxRows) {
    const b = Math.min(maxRows, n - start);
    const perForward = Math.max(1, Math.floor(maxRows / b));
    // [b, T, C] for this block of samples.
    const block = new Float32Array(b * T * C);
    const x = images.slice([start, 0, 0, 0], [b, -1, -1, -1]);
    // The k copies of the block: one tile for every full forward of the block.
    let stackedK = 1;
    let stacked: tf.Tensor4D = x;
    try {
      for (let p0 = 0; p0 < T; p0 += perForward) {
        const k = Math.min(perForward, T - p0);
        if (stackedK !== k) {
          if (stacked !== x) stacked.dispose();
          stacked = tf.tile(x, [k, 1, 1, 1]);
          stackedK = k;
        }
        run.rows = rowKeys(k, b, p0, sampleOffset + start);
        const input = stacked;
        // One call over all k * b rows: the rows' noise keys assume a single batch.
        const probs = withNoiseRun(run, () =>
          tf.tidy(() => model.predict(input, { batchSize: k * b }) as tf.Tensor2D),
        );
        const data = probs.dataSync();
        probs.dispose();
        // Row r = j * b + i is pass p0 + j of sample i; data holds k * b rows of outUnits values.
        for (let j = 0; j < k; j++)
          for (let i = 0; i < b; i++) {
            const dst = (i * T + p0 + j) * C;
            const src = (j * b + i) * outUnits;
            if (outUnits === 1) {
              block[dst] = 1 - data[src]!;
              block[dst + 1] = data[src]!;
            } else for (let c = 0; c < C; c++) block[dst + c] = data[src + c]!;
          }
      }
    } finally {
      run.rows = null;
      if (stacked !== x) stacked.dispose();
      x.dispose();
    }
    stats.push(summarizePasses(block, b, T, C));
    all?.set(block, start * T * C);
  }
  return {
    ...concatStats(stats, n, T, C),
    passProbabilities: all,
    stochastic: isStochasticModel(model),
  };
}

/** Noise keys of k stacked passes (from p0) of b samples (from sample s0): row j * b + i. */
function rowKeys(k: number, b: number, p0: number, s0: number): RowKeys {
  const pass = new Uint32Array(k * b);
  const sample = new Uint32Array(k * b);
  for (let j = 0; j < k; j++)
    for (let i = 0; i < b; i++) {
      pass[j * b + i] = p0 + j;
      sample[j * b + i] = s0 + i;
    }
  return { pass, sample };
}

/** Zero-filled statistics for `n` samples, `T` passes and `C` classes. */
function emptyStats(n: number, T: number, C: number): McStatistics {
  return {
    numSamples: n,
    numClasses: C,
    passes: T,
    mean: new Float32Array(n * C),
    std: new Float32Array(n * C),
    predictiveEntropy: new Float32Array(n),
    expectedEntropy: new Float32Array(n),
    mutualInformation: new Float32Array(n),
    quantiles: new Float32Array(n * C * MC_QUANTILES.length),
  };
}

function concatStats(parts: McStatistics[], n: number, T: number, C: number): McStatistics {
  const out = emptyStats(n, T, C);
  let offset = 0;
  for (const p of parts) {
    out.mean.set(p.mean, offset * C);
    out.std.set(p.std, offset * C);
    out.predictiveEntropy.set(p.predictiveEntropy, offset);
    out.expectedEntropy.set(p.expectedEntropy, offset);
    out.mutualInformation.set(p.mutualInformation, offset);
    out.quantiles.set(p.quantiles, offset * C * MC_QUANTILES.length);
    offset += p.numSamples;
  }
  return out;
}

/**
 * {@link mcPredict} over a split of byte images, converted in blocks of `blockSize` images
 * (default 256) so only one block of floats exists at a time. The blocks share one noise run,
 * so with seeded layers the result equals mcPredict over the whole split, whatever `blockSize`.
 */
export function mcPredictSplit(
  model: tf.LayersModel,
  split: ImageSplit,
  options: McPredictOptions & {
    /** Image shape `[height, width, channels]`. */
    shape: [number, number, number];
    /** Images converted to floats at a time (default 256). */
    blockSize?: number;
  },
): McPrediction {
  const blockSize = options.blockSize ?? 256;
  const run = newNoiseRun();
  const parts: McPrediction[] = [];
  for (let start = 0; start < split.count; start += blockSize) {
    const idx: number[] = [];
    for (let i = start; i < Math.min(split.count, start + blockSize); i++) idx.push(i);
    const { xs, ys } = makeBatch(split, idx, {
      shape: options.shape,
      numClasses: 1,
      encoding: 'binary',
    });
    ys.dispose();
    try {
      parts.push(mcPredictWithRun(model, xs, options, { run, sampleOffset: start }));
    } finally {
      xs.dispose();
    }
  }
  const [first] = parts;
  if (!first) throw new Error('the split is empty');
  const { passes: T, numClasses: C } = first;
  const stats = concatStats(parts, split.count, T, C);
  let passProbabilities: Float32Array | undefined;
  if (options.keepPasses ?? true) {
    passProbabilities = new Float32Array(split.count * T * C);
    let offset = 0;
    for (const p of parts) {
      // Every part ran with the same keepPasses, so each kept its passes.
      if (!p.passProbabilities) throw new Error('a block of the split kept no passes');
      passProbabilities.set(p.passProbabilities, offset);
      offset += p.passProbabilities.length;
    }
  }
  return { ...stats, passProbabilities, stochastic: first.stochastic };
}

/** Accuracy and one-vs-rest AUC of the MC mean predictions. */
export interface McEvaluation {
  /** Fraction of samples whose argmax of the mean probabilities is the label. */
  accuracy: number;
  /** One-vs-rest ROC AUC per class (null for a class absent from the labels or present in all). */
  auc: (number | null)[];
  /** Mean of the non-null per-class AUCs (null when none is defined). */
  macroAuc: number | null;
}

/** Scores the mean predictions of an MC run against labels (definitions of libs/ml/src/evaluation). */
export function evaluateMcPredictions(
  prediction: Pick<McStatistics, 'mean' | 'numClasses'>,
  labels: ArrayLike<number>,
): McEvaluation {
  const report = evaluateClassification({
    labels: Array.from(labels),
    probabilities: prediction.mean,
    numClasses: prediction.numClasses,
  });
  const auc = report.perClass.map((p) => p.auc);
  const defined = auc.filter((a): a is number => a !== null);
  return {
    accuracy: report.accuracy,
    auc,
    macroAuc: defined.length ? defined.reduce((s, a) => s + a, 0) / defined.length : null,
  };
}
