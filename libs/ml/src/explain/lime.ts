/**
 * LIME for images (Ribeiro, Singh, Guestrin, "Why Should I Trust You?", KDD 2016), following the
 * reference `lime` package's LimeImageExplainer: the image is cut into superpixels (SLIC here), random
 * on/off patterns of superpixels are predicted (the first one all on), each pattern is weighted by
 * an exponential kernel of its cosine distance to the all-on pattern, and a weighted ridge
 * regression of the class probability on the patterns gives each superpixel's weight.
 */
import * as tf from '@tensorflow/tfjs';
import { createRng } from '../util/rng';
import { slic, type Segmentation } from './slic';

/**
 * What LIME explains: a TF.js model taking `[n, height, width, channels]`, or any function that
 * maps a batch of n images (`[n, height, width, channels]`, flattened) to class probabilities
 * `[n, classes]`. A single output column (a sigmoid) is read as [1 - p, p].
 */
export type Predictor =
  tf.LayersModel | ((batch: Float32Array, n: number) => Float32Array | Promise<Float32Array>);

/** Options of {@link explainImage}. */
export interface LimeOptions {
  /** The image `[height, width, channels]`, in the units the predictor expects. */
  image: ArrayLike<number>;
  /** Width in pixels. */
  width: number;
  /** Height in pixels. */
  height: number;
  /** 1 or 3. */
  channels: 1 | 3;
  /** The model or prediction function. */
  predict: Predictor;
  /** Class to explain. Default: the class the predictor gives the image the highest probability. */
  classIndex?: number;
  /** Perturbed samples, the first being the image itself. Default 1000 (as the cats-vs-dogs study). */
  numSamples?: number;
  /** Images per predictor call. Default 50. */
  batchSize?: number;
  /** A segmentation to use instead of SLIC. */
  segmentation?: Segmentation;
  /** SLIC: superpixels asked for. Default 35. */
  numSegments?: number;
  /** SLIC: compactness m. Default 10. */
  compactness?: number;
  /** Value of full intensity in `image`, for SLIC's colour conversion. Default 255 for bytes, else 1. */
  maxValue?: number;
  /**
   * What a switched-off superpixel shows: 'mean' (its own mean colour, lime's default) or a fill
   * value for every channel. Default 'mean'.
   */
  hide?: 'mean' | number;
  /** Kernel width on the cosine distance. Default 0.25 (lime_image's). */
  kernelWidth?: number;
  /** Ridge penalty. Default 1 (lime's Ridge(alpha=1)). */
  alpha?: number;
  /** Seed of the on/off patterns. Default 0. */
  seed?: number;
  /** How many superpixels to list for and against the class. Default 5. */
  top?: number;
}

/** A superpixel and its weight in the local linear model. */
export interface SegmentWeight {
  /** Superpixel label. */
  segment: number;
  /** Ridge coefficient: change of the class probability when the superpixel is shown. */
  weight: number;
}

/** The result of {@link explainImage}. */
export interface LimeExplanation {
  /** The superpixels the explanation refers to. */
  segmentation: Segmentation;
  /** The class explained. */
  classIndex: number;
  /** Ridge coefficient of each superpixel, `[numSegments]`. */
  coefficients: Float64Array;
  /** Ridge intercept. */
  intercept: number;
  /** Weighted R^2 of the local fit on the samples (lime's `score`). */
  score: number;
  /** The local model's prediction for the image itself (all superpixels on). */
  localPrediction: number;
  /** The predictor's probability of the class for the image itself. */
  originalPrediction: number;
  /** Up to `top` superpixels with positive weight, strongest first. */
  positive: SegmentWeight[];
  /** Up to `top` superpixels with negative weight, strongest first. */
  negative: SegmentWeight[];
}

/**
 * Explain one image's class probability with LIME (see the module comment). Deterministic for a
 * seed. Disposes every tensor it makes.
 */
export async function explainImage(options: LimeOptions): Promise<LimeExplanation> {
  const { image, width, height, channels } = options;
  const numPixels = width * height;
  if (image.length !== numPixels * channels) {
    throw new Error(`image has ${image.length} values, expected ${numPixels * channels}`);
  }
  const numSamples = options.numSamples ?? 1000;
  if (!Number.isInteger(numSamples) || numSamples < 2) {
    throw new Error(`numSamples must be an integer >= 2, got ${numSamples}`);
  }
  const segmentation =
    options.segmentation ??
    slic({
      pixels: image,
      width,
      height,
      channels,
      numSegments: options.numSegments ?? 35,
      compactness: options.compactness,
      maxValue: options.maxValue,
    });
  if (segmentation.width !== width || segmentation.height !== height) {
    throw new Error('segmentation size differs from the image');
  }
  const k = segmentation.numSegments;

  // Binary patterns, lime's way: uniform on/off per superpixel, the first sample all on.
  const rng = createRng(options.seed ?? 0);
  const data = new Float64Array(numSamples * k);
  for (let i = 0; i < numSamples * k; i++) data[i] = i < k ? 1 : rng() < 0.5 ? 0 : 1;

  const { all, numClasses } = await predictPatterns(options, segmentation, data, numSamples);
  const classIndex = options.classIndex ?? argmax(all.subarray(0, numClasses));
  if (!Number.isInteger(classIndex) || classIndex < 0 || classIndex >= numClasses) {
    throw new Error(`classIndex ${classIndex} is not in [0, ${numClasses})`);
  }
  const y = new Float64Array(numSamples);
  for (let i = 0; i < numSamples; i++) y[i] = all[i * numClasses + classIndex]!;

  const distances = cosineDistanceToAllOn(data, numSamples, k);
  const weights = limeKernel(distances, options.kernelWidth ?? 0.25);
  const fit = weightedRidge({
    x: data,
    y,
    weights,
    numSamples,
    numFeatures: k,
    alpha: options.alpha ?? 1,
  });
  return {
    segmentation,
    classIndex,
    coefficients: fit.coefficients,
    intercept: fit.intercept,
    score: fit.score,
    localPrediction: fit.intercept + fit.coefficients.reduce((s, c) => s + c, 0),
    originalPrediction: y[0]!,
    ...rankSegments(fit.coefficients, options.top ?? 5),
  };
}

/**
 * The predictor's probabilities for every on/off pattern, `[numSamples, numClasses]`, predicted
 * `batchSize` perturbed images at a time.
 * @param data the patterns `[numSamples, numSegments]`, row-major
 */
async function predictPatterns(
  options: LimeOptions,
  segmentation: Segmentation,
  data: Float64Array,
  numSamples: number,
): Promise<{ all: Float32Array; numClasses: number }> {
  const { image, width, height, channels } = options;
  const numPixels = width * height;
  const k = segmentation.numSegments;
  const batchSize = options.batchSize ?? 50;
  const fill = segmentFill(image, segmentation, channels, options.hide ?? 'mean');
  const probabilities: Float32Array[] = [];
  let numClasses = 0;
  for (let start = 0; start < numSamples; start += batchSize) {
    const n = Math.min(batchSize, numSamples - start);
    const batch = new Float32Array(n * numPixels * channels);
    for (let i = 0; i < n; i++) {
      const on = data.subarray((start + i) * k, (start + i + 1) * k);
      batch.set(
        perturbImage({ image, segmentation, channels, on, fill }),
        i * numPixels * channels,
      );
    }
    const probs = await runPredictor(options.predict, batch, n, [height, width, channels]);
    numClasses = probs.length / n;
    probabilities.push(probs);
  }
  return { all: concat(probabilities), numClasses };
}

/** Up to `top` superpixels for the class and against it, strongest first. */
function rankSegments(
  coefficients: Float64Array,
  top: number,
): Pick<LimeExplanation, 'positive' | 'negative'> {
  const ranked = Array.from(coefficients, (weight, segment) => ({ segment, weight }));
  return {
    positive: ranked
      .filter((s) => s.weight > 0)
      .sort((a, b) => b.weight - a.weight)
      .slice(0, top),
    negative: ranked
      .filter((s) => s.weight < 0)
      .sort((a, b) => a.weight - b.weight)
      .slice(0, top),
  };
}

/**
 * The values a switched-off superpixel shows, `[numSegments, channels]`: its mean colour, or a
 * constant.
 */
export function segmentFill(
  image: ArrayLike<number>,
  segmentation: Segmentation,
  channels: number,
  hide: 'mean' | number,
): Float64Array {
  const k = segmentation.numSegments;
  const fill = new Float64Array(k * channels);
  if (hide !== 'mean') return fill.fill(hide);
  const counts = new Float64Array(k);
  segmentation.labels.forEach((s, p) => {
    counts[s]!++;
    for (let c = 0; c < channels; c++) fill[s * channels + c]! += image[p * channels + c]!;
  });
  for (let s = 0; s < k; s++)
    for (let c = 0; c < channels; c++) fill[s * channels + c]! /= counts[s]!;
  return fill;
}

/** Options of {@link perturbImage}. */
export interface PerturbImageOptions {
  /** The image `[height, width, channels]`. */
  image: ArrayLike<number>;
  /** Its superpixels. */
  segmentation: Segmentation;
  /** Channels of the image. */
  channels: number;
  /** 1 (shown) or 0 (hidden) per superpixel, `[numSegments]`. */
  on: ArrayLike<number>;
  /** Values of hidden superpixels, `[numSegments, channels]` (see {@link segmentFill}). */
  fill: ArrayLike<number>;
}

/** The image with the switched-off superpixels replaced by their fill, `[height, width, channels]`. */
export function perturbImage(options: PerturbImageOptions): Float32Array {
  const { image, segmentation, channels, on, fill } = options;
  const out = Float32Array.from(image);
  segmentation.labels.forEach((s, p) => {
    if (on[s]) return;
    for (let c = 0; c < channels; c++) out[p * channels + c] = fill[s * channels + c]!;
  });
  return out;
}

/**
 * Cosine distance of each binary row to the all-on row, as sklearn's pairwise cosine distance:
 * 1 - sum(z) / (|z| sqrt(k)), and 1 for an all-off row (its similarity is taken as 0).
 * @param data `[numSamples, k]` row-major
 */
export function cosineDistanceToAllOn(
  data: ArrayLike<number>,
  numSamples: number,
  k: number,
): Float64Array {
  const out = new Float64Array(numSamples);
  for (let i = 0; i < numSamples; i++) {
    let dot = 0;
    let sq = 0;
    for (let j = 0; j < k; j++) {
      const v = data[i * k + j]!;
      dot += v;
      sq += v * v;
    }
    const sim = sq === 0 ? 0 : dot / (Math.sqrt(sq) * Math.sqrt(k));
    out[i] = Math.min(2, Math.max(0, 1 - sim));
  }
  return out;
}

/** lime's kernel: sqrt(exp(-d^2 / width^2)) per distance. */
export function limeKernel(distances: ArrayLike<number>, width: number): Float64Array {
  return Float64Array.from(distances, (d) => Math.sqrt(Math.exp(-(d * d) / (width * width))));
}

/** Options of {@link weightedRidge}. */
export interface WeightedRidgeOptions {
  /** Features `[numSamples, numFeatures]`, row-major. */
  x: ArrayLike<number>;
  /** Targets `[numSamples]`. */
  y: ArrayLike<number>;
  /** Sample weights `[numSamples]`, >= 0. */
  weights: ArrayLike<number>;
  /** Rows of `x`. */
  numSamples: number;
  /** Columns of `x`. */
  numFeatures: number;
  /** L2 penalty on the coefficients (not on the intercept). Default 1. */
  alpha?: number;
}

/** A fitted weighted ridge regression. */
export interface WeightedRidgeFit {
  /** Coefficients `[numFeatures]`. */
  coefficients: Float64Array;
  /** Intercept. */
  intercept: number;
  /** Weighted R^2 on the training data (sklearn's score with sample_weight). */
  score: number;
}

/**
 * Ridge regression with an intercept and sample weights, solved in closed form as scikit-learn's
 * Ridge(fit_intercept=True).fit(x, y, sample_weight) does: centre x and y on their weighted means,
 * solve (Xc^T W Xc + alpha I) b = Xc^T W yc by Cholesky, intercept = mean(y) - mean(x) . b.
 */
export function weightedRidge(options: WeightedRidgeOptions): WeightedRidgeFit {
  const { x, y, weights, numSamples: n, numFeatures: k } = options;
  const alpha = options.alpha ?? 1;
  if (x.length !== n * k || y.length !== n || weights.length !== n) {
    throw new Error(`weightedRidge: x must be [${n}, ${k}], y and weights [${n}]`);
  }
  let sw = 0;
  for (let i = 0; i < n; i++) sw += weights[i]!;
  if (!(sw > 0)) throw new Error('weightedRidge: the weights sum to 0');
  const xm = new Float64Array(k);
  let ym = 0;
  for (let i = 0; i < n; i++) {
    ym += weights[i]! * y[i]!;
    for (let j = 0; j < k; j++) xm[j]! += weights[i]! * x[i * k + j]!;
  }
  ym /= sw;
  for (let j = 0; j < k; j++) xm[j]! /= sw;

  const a = new Float64Array(k * k);
  const b = new Float64Array(k);
  const row = new Float64Array(k);
  for (let i = 0; i < n; i++) {
    const w = weights[i]!;
    if (w === 0) continue;
    for (let j = 0; j < k; j++) row[j] = x[i * k + j]! - xm[j]!;
    const yc = y[i]! - ym;
    for (let j = 0; j < k; j++) {
      const wr = w * row[j]!;
      b[j]! += wr * yc;
      for (let q = 0; q <= j; q++) a[j * k + q]! += wr * row[q]!;
    }
  }
  for (let j = 0; j < k; j++) {
    a[j * k + j]! += alpha;
    for (let q = 0; q < j; q++) a[q * k + j] = a[j * k + q]!;
  }
  const coefficients = choleskySolve(a, b, k);
  let intercept = ym;
  for (let j = 0; j < k; j++) intercept -= xm[j]! * coefficients[j]!;

  let ssRes = 0;
  let ssTot = 0;
  for (let i = 0; i < n; i++) {
    let pred = intercept;
    for (let j = 0; j < k; j++) pred += x[i * k + j]! * coefficients[j]!;
    ssRes += weights[i]! * (y[i]! - pred) ** 2;
    ssTot += weights[i]! * (y[i]! - ym) ** 2;
  }
  // sklearn's r2_score convention for a constant target: 1 if fitted exactly, else 0.
  const score = ssTot === 0 ? (ssRes === 0 ? 1 : 0) : 1 - ssRes / ssTot;
  return { coefficients, intercept, score };
}

/** Solve a x = b for a symmetric positive definite `[k, k]` matrix (Cholesky). */
function choleskySolve(a: Float64Array, b: Float64Array, k: number): Float64Array {
  const l = new Float64Array(k * k);
  for (let i = 0; i < k; i++) {
    for (let j = 0; j <= i; j++) {
      let s = a[i * k + j]!;
      for (let q = 0; q < j; q++) s -= l[i * k + q]! * l[j * k + q]!;
      if (i === j) {
        if (!(s > 0)) throw new Error('weightedRidge: the system is not positive definite');
        l[i * k + i] = Math.sqrt(s);
      } else {
        l[i * k + j] = s / l[j * k + j]!;
      }
    }
  }
  const z = new Float64Array(k);
  for (let i = 0; i < k; i++) {
    let s = b[i]!;
    for (let q = 0; q < i; q++) s -= l[i * k + q]! * z[q]!;
    z[i] = s / l[i * k + i]!;
  }
  const out = new Float64Array(k);
  for (let i = k - 1; i >= 0; i--) {
    let s = z[i]!;
    for (let q = i + 1; q < k; q++) s -= l[q * k + i]! * out[q]!;
    out[i] = s / l[i * k + i]!;
  }
  return out;
}

/**
 * A per-pixel map of superpixel weights, `[height, width]` (e.g. LIME coefficients), to draw
 * with a diverging colormap.
 */
export function segmentHeatmap(
  segmentation: Segmentation,
  weights: ArrayLike<number>,
): Float32Array {
  if (weights.length !== segmentation.numSegments) {
    throw new Error(`weights has ${weights.length} values, expected ${segmentation.numSegments}`);
  }
  return Float32Array.from(segmentation.labels, (s) => weights[s]!);
}

/** Call a predictor on a batch; a single output column becomes [1 - p, p]. */
async function runPredictor(
  predict: Predictor,
  batch: Float32Array,
  n: number,
  shape: [number, number, number],
): Promise<Float32Array> {
  let probs: Float32Array;
  if (typeof predict === 'function') {
    probs = await predict(batch, n);
  } else {
    const out = tf.tidy(() => {
      const y = predict.predict(tf.tensor4d(batch, [n, ...shape]));
      if (Array.isArray(y)) throw new Error('LIME needs a model with one output');
      return y.reshape([n, -1]);
    });
    probs = (await out.data()) as Float32Array;
    out.dispose();
  }
  if (probs.length % n !== 0 || probs.length === 0) {
    throw new Error(`the predictor returned ${probs.length} values for ${n} images`);
  }
  if (probs.length === n) {
    const two = new Float32Array(2 * n);
    for (let i = 0; i < n; i++) {
      two[2 * i] = 1 - probs[i]!;
      two[2 * i + 1] = probs[i]!;
    }
    return two;
  }
  return probs;
}

function concat(parts: Float32Array[]): Float32Array {
  const out = new Float32Array(parts.reduce((s, p) => s + p.length, 0));
  let offset = 0;
  for (const p of parts) {
    out.set(p, offset);
    offset += p.length;
  }
  return out;
}

function argmax(v: ArrayLike<number>): number {
  let best = 0;
  for (let i = 1; i < v.length; i++) if (v[i]! > v[best]!) best = i;
  return best;
}
