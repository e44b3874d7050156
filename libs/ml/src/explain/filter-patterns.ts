/**
 * Filter patterns: the input that a channel of a convolutional layer responds to most, found by
 * gradient ascent in input space, the method of F. Chollet's cats-vs-dogs study (Deep Learning
 * with Python, 5.4.2): start from grey noise, repeatedly add the gradient of the channel's mean
 * activation normalised by its RMS, and deprocess the result into an image.
 *
 * The regularisers that make patterns readable (Yosinski et al. 2015; Olah et al., "Feature
 * Visualization", Distill 2017) are options: transformation robustness (random roll, scale and
 * rotation before each step), total variation and L2 penalties, periodic Gaussian blur, and a
 * Fourier image parameterisation with 1/f spectrum scaling and colour decorrelation as in Lucid.
 *
 * Several channels are optimised at once, one image per channel in a batch; every image has its
 * own random stream, so a batched run gives the same images as one channel at a time.
 */
import * as tf from '@tensorflow/tfjs';
import { first, itemAt } from '../util/checked';
import { createRng } from '../util/rng';

/** Regularisers of {@link filterPatterns}; all off by default (Chollet's plain method). */
export interface FilterPatternRegularizers {
  /** Random roll of up to this many pixels in x and y before each forward pass (wraps around). */
  jitter?: number;
  /** Scale factors, one picked at random per step and image (e.g. [0.95, 1, 1.05]); bilinear. */
  scale?: number[];
  /** Random rotation, uniform in [-rotate, rotate] degrees per step and image; bilinear. */
  rotate?: number;
  /** Weight of the total variation penalty: mean |x(i+1, j) - x(i, j)| + |x(i, j+1) - x(i, j)|. */
  tv?: number;
  /** Weight of the L2 penalty: mean (x - 0.5)^2. */
  l2?: number;
  /** Gaussian blur of the image every `blurEvery` steps (pixel parameterisation only). */
  blurEvery?: number;
  /** Standard deviation of that blur in pixels. Default 0.5. */
  blurSigma?: number;
}

/** Regularisers that give readable patterns on small convnets; a starting point to tune. */
export const READABLE_REGULARIZERS: Readonly<FilterPatternRegularizers> = {
  jitter: 2,
  scale: [0.95, 0.975, 1, 1.025, 1.05],
  rotate: 5,
  tv: 0.05,
  l2: 0.01,
  blurEvery: 4,
  blurSigma: 0.5,
};

/** Options of {@link filterPatterns}. */
export interface FilterPatternsOptions {
  /**
   * The layer: its name anywhere in the model (`conv2d_1`), or a path through nested models
   * (`base/conv2d_1`). For a layer inside a nested model (a model used as a layer), the pattern
   * is an input of that nested model.
   */
  layer: string;
  /** Channels (last axis of the layer's output) to visualise. Default: all. */
  channels?: number[];
  /** Gradient ascent steps. Default 40. */
  steps?: number;
  /**
   * Step size on the RMS-normalised gradient: 0.01 (pixel) or 0.05 (fourier) by default, in
   * image units (the image lives in [0, 1] before `inputRange` maps it to the model).
   */
  stepSize?: number;
  /** Seed of the starting noise and of the random transformations. Default 0. */
  seed?: number;
  /** `[height, width]` of the pattern. Default: the (nested) model's input size. */
  size?: [number, number];
  /** Channels optimised together in one batch. Default 16. */
  batchSize?: number;
  /** Regularisers (see {@link FilterPatternRegularizers}). Default: none. */
  regularizers?: FilterPatternRegularizers;
  /**
   * 'pixel' (default): the pixels themselves are optimised, starting at 0.5 plus uniform noise
   * of +-0.05. 'fourier': scaled Fourier coefficients of the image are (Lucid's fft_image), the
   * image being sigmoid(decorrelate(irfft2(coefficients * scale) / 4)).
   */
  parameterization?: 'pixel' | 'fourier';
  /**
   * 'normalized' (default): Chollet's step, the gradient divided by its RMS per image. 'adam':
   * Adam with `stepSize` as its learning rate (Lucid's choice for the Fourier parameters).
   */
  optimizer?: 'normalized' | 'adam';
  /** Fourier only: decay power of the 1/f spectrum scaling. Default 1. */
  decayPower?: number;
  /** Fourier with 3 channels: apply Lucid's colour decorrelation. Default true. */
  decorrelate?: boolean;
  /** Model input values of image values 0 and 1 (the image is mapped linearly). Default [0, 1]. */
  inputRange?: [number, number];
}

/** The result of {@link filterPatterns}. */
export interface FilterPatternsResult {
  /** The layer's resolved path (`base/conv2d_1`). */
  layer: string;
  /** The layer's output shape, batch first (`[null, h, w, channels]`). */
  shape: (number | null)[];
  /** The channels, in the order of `images`. */
  channels: number[];
  /** `[height, width, channels]` of every image. */
  imageShape: [number, number, number];
  /**
   * One pattern per channel, bytes `[height, width, channels]`. Pixel parameterisation: Chollet's
   * deprocessing (centre, std 0.1, + 0.5, clip to [0, 1], x 255 truncated); fourier: the image
   * itself (already in [0, 1]) x 255 truncated.
   */
  images: Uint8Array[];
  /** Mean activation of each channel on its final pattern (no transformation applied). */
  losses: number[];
  /**
   * Mean activation of each channel on its (transformed) image at each step, before that
   * step's update: `history[i][step]`.
   */
  history: number[][];
}

/**
 * Visualise what channels of a layer respond to by gradient ascent in input space (see the
 * module comment). Deterministic for a seed; disposes every tensor it makes.
 */
export async function filterPatterns(
  model: tf.LayersModel,
  options: FilterPatternsOptions,
): Promise<FilterPatternsResult> {
  const { path, layer, owner } = findLayer(model, options.layer);
  const shape = firstShape(layer.outputShape);
  const numChannels = shape[shape.length - 1];
  if (typeof numChannels !== 'number')
    throw new Error(`layer "${path}" has no known channel count`);
  const channels = options.channels ?? Array.from({ length: numChannels }, (_, i) => i);
  for (const c of channels) {
    if (!Number.isInteger(c) || c < 0 || c >= numChannels) {
      throw new Error(`channel ${c} is not in [0, ${numChannels}) for layer "${path}"`);
    }
  }
  const inputShape = firstShape(first(owner.inputs, 'a model input').shape);
  if (inputShape.length !== 4)
    throw new Error(`the input of "${owner.name}" is not an image [batch, h, w, c]`);
  const [height, width] = options.size ?? [inputShape[1], inputShape[2]];
  const depth = inputShape[3];
  if (typeof height !== 'number' || typeof width !== 'number' || typeof depth !== 'number') {
    throw new Error(`the input of "${owner.name}" has no fixed size: give options.size`);
  }
  const resized = height !== inputShape[1] || width !== inputShape[2];
  const forward = resized ? chainForward(owner, layer) : subModelForward(owner, layer);
  if (!forward) {
    throw new Error(
      `layer "${path}" is not reached through convolutions and pooling alone: ` +
        `a ${height}x${width} pattern needs the input size ${inputShape[1]}x${inputShape[2]}`,
    );
  }
  const parameterization = options.parameterization ?? 'pixel';
  const config: RunConfig = {
    forward,
    height,
    width,
    depth,
    steps: options.steps ?? 40,
    stepSize: options.stepSize ?? (parameterization === 'fourier' ? 0.05 : 0.01),
    seed: options.seed ?? 0,
    reg: options.regularizers ?? {},
    parameterization,
    optimizer: options.optimizer ?? 'normalized',
    decayPower: options.decayPower ?? 1,
    decorrelate: (options.decorrelate ?? true) && depth === 3,
    inputRange: options.inputRange ?? [0, 1],
    numChannels,
  };
  const batchSize = Math.max(1, options.batchSize ?? 16);
  const result: FilterPatternsResult = {
    layer: path,
    shape,
    channels: [...channels],
    imageShape: [height, width, depth],
    images: [],
    losses: [],
    history: [],
  };
  for (let start = 0; start < channels.length; start += batchSize) {
    const part = await optimiseBatch(config, channels.slice(start, start + batchSize));
    result.images.push(...part.images);
    result.losses.push(...part.losses);
    result.history.push(...part.history);
  }
  return result;
}

interface RunConfig {
  /** The layer's output for images `[b, h, w, depth]` (in model input units). */
  forward: (x: tf.Tensor4D) => tf.Tensor;
  height: number;
  width: number;
  depth: number;
  steps: number;
  stepSize: number;
  seed: number;
  reg: FilterPatternRegularizers;
  parameterization: 'pixel' | 'fourier';
  optimizer: 'normalized' | 'adam';
  decayPower: number;
  decorrelate: boolean;
  inputRange: [number, number];
  numChannels: number;
}

async function optimiseBatch(
  cfg: RunConfig,
  channels: number[],
): Promise<{ images: Uint8Array[]; losses: number[]; history: number[][] }> {
  const { height: h, width: w, depth: c, reg } = cfg;
  const b = channels.length;
  // One random stream per channel, so batching does not change any image.
  const rngs = channels.map((ch) => createRng(mixSeed(cfg.seed, ch)));
  const fourier = cfg.parameterization === 'fourier' ? fourierBasis(h, w, cfg.decayPower) : null;
  const decorrelation = cfg.decorrelate ? tf.tensor2d(colourDecorrelation(), [3, 3]) : null;

  let params = initialParams(cfg, rngs, fourier);
  const toImage = (p: tf.Tensor): tf.Tensor4D =>
    fourier ? fourierImage(p, b, c, fourier, decorrelation) : (p as tf.Tensor4D);
  const oneHot = tf.tidy(() =>
    tf.oneHot(tf.tensor1d(channels, 'int32'), cfg.numChannels).toFloat(),
  );
  const channelMean = (image: tf.Tensor4D): tf.Tensor1D => {
    const [lo, hi] = cfg.inputRange;
    const x = lo === 0 && hi === 1 ? image : image.mul<tf.Tensor4D>(hi - lo).add<tf.Tensor4D>(lo);
    const act = cfg.forward(x);
    // Mean over every axis but batch and channels, then each image's own channel.
    const perChannel = act.rank > 2 ? act.reshape([b, -1, cfg.numChannels]).mean(1) : act;
    return perChannel.mul(oneHot).sum<tf.Tensor1D>(1);
  };
  const transforming =
    (reg.jitter ?? 0) > 0 || (reg.scale?.length ?? 0) > 0 || (reg.rotate ?? 0) > 0;

  const adam = cfg.optimizer === 'adam' ? adamState(params) : null;
  const history: number[][] = channels.map(() => []);
  for (let step = 0; step < cfg.steps; step++) {
    const sampling = transforming ? samplingGrid(rngs, h, w, reg) : null;
    const captured: { act?: tf.Tensor1D } = {};
    const next = tf.tidy(() => {
      const grad = tf.grad((p: tf.Tensor) => {
        const image = toImage(p);
        const seen = sampling ? resample(image, sampling) : image;
        const act = channelMean(seen);
        captured.act = tf.keep(act);
        let objective: tf.Tensor = act.sum();
        if (reg.tv) objective = objective.sub(totalVariation(image).mul(reg.tv));
        if (reg.l2)
          objective = objective.sub(image.sub(0.5).square().mean([1, 2, 3]).sum().mul(reg.l2));
        return objective;
      })(params);
      let updated = params.add(ascentStep(grad, adam, cfg.stepSize));
      if (!fourier && reg.blurEvery && (step + 1) % reg.blurEvery === 0) {
        updated = gaussianBlur(updated as tf.Tensor4D, reg.blurSigma ?? 0.5);
      }
      return updated;
    });
    params.dispose();
    params = next;
    const act = captured.act as tf.Tensor1D;
    const values = await act.data();
    act.dispose();
    values.forEach((v, i) => history[i]!.push(v));
    // A macrotask turn per step: a pack computes patterns for many seconds, and the process's
    // timers and sockets (an API served in the same process, its reaper) must not starve meanwhile.
    await new Promise<void>((resolve) => setImmediate(resolve));
  }

  const finalImage = tf.tidy(() => toImage(params));
  const finalAct = tf.tidy(() => channelMean(finalImage));
  const losses = Array.from(await finalAct.data());
  const pixels = await finalImage.data();
  tf.dispose([params, finalImage, finalAct, oneHot]);
  if (adam) tf.dispose([adam.m, adam.v]);
  decorrelation?.dispose();
  fourier?.dispose();

  const size = h * w * c;
  const images = channels.map((_, i) => {
    const x = pixels.subarray(i * size, (i + 1) * size);
    return fourier ? toBytes(x) : deprocess(x);
  });
  return { images, losses, history };
}

/** Adam's moments (per element, so each image of a batch moves as it would alone). */
interface AdamState {
  m: tf.Tensor;
  v: tf.Tensor;
  t: number;
}

function adamState(params: tf.Tensor): AdamState {
  return { m: tf.zerosLike(params), v: tf.zerosLike(params), t: 0 };
}

/**
 * The ascent step for a gradient (inside a tidy). Without Adam: Chollet's step, the gradient
 * normalised by each image's RMS. With Adam (Lucid's optimiser for the Fourier parameters):
 * every coefficient moves by about `stepSize`, whatever its spectrum scale, so the 1/f scaling
 * shapes the image without the low frequencies taking every step.
 */
function ascentStep(grad: tf.Tensor, adam: AdamState | null, stepSize: number): tf.Tensor {
  if (!adam) {
    const axes = Array.from({ length: grad.rank - 1 }, (_, i) => i + 1);
    const rms = grad.square().mean(axes, true).sqrt().add(1e-5);
    return grad.div(rms).mul(stepSize);
  }
  const [b1, b2] = [0.9, 0.999];
  adam.t += 1;
  const m = adam.m.mul(b1).add(grad.mul(1 - b1));
  const v = adam.v.mul(b2).add(grad.square().mul(1 - b2));
  tf.dispose([adam.m, adam.v]);
  adam.m = tf.keep(m);
  adam.v = tf.keep(v);
  const mHat = m.div(1 - b1 ** adam.t);
  const vHat = v.div(1 - b2 ** adam.t);
  return mHat.div(vHat.sqrt().add(1e-8)).mul(stepSize);
}

/** Starting parameters: grey noise images, or small random Fourier coefficients (sd 0.01). */
function initialParams(
  cfg: RunConfig,
  rngs: Array<() => number>,
  fourier: FourierBasis | null,
): tf.Tensor {
  const { height: h, width: w, depth: c } = cfg;
  const b = rngs.length;
  if (!fourier) {
    const size = h * w * c;
    const data = new Float32Array(b * size);
    rngs.forEach((rng, i) => {
      for (let j = 0; j < size; j++) data[i * size + j] = 0.5 + 0.1 * (rng() - 0.5);
    });
    return tf.tensor4d(data, [b, h, w, c]);
  }
  // [batch, 2 (real, imaginary), channels, h, wf]
  const size = 2 * c * h * fourier.wf;
  const data = new Float32Array(b * size);
  rngs.forEach((rng, i) => {
    for (let j = 0; j < size; j++) data[i * size + j] = 0.01 * normal(rng);
  });
  return tf.tensor(data, [b, 2, c, h, fourier.wf]);
}

/** Chollet's deprocess_image: centre, std to 0.1, + 0.5, clip to [0, 1], x 255 truncated. */
export function deprocess(x: ArrayLike<number>): Uint8Array {
  const n = x.length;
  let mean = 0;
  for (let i = 0; i < n; i++) mean += x[i]!;
  mean /= n;
  let variance = 0;
  for (let i = 0; i < n; i++) variance += (x[i]! - mean) ** 2;
  const std = Math.sqrt(variance / n);
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const v = ((x[i]! - mean) / (std + 1e-5)) * 0.1 + 0.5;
    out[i] = Math.floor(Math.min(1, Math.max(0, v)) * 255);
  }
  return out;
}

function toBytes(x: ArrayLike<number>): Uint8Array {
  return Uint8Array.from(x, (v) => Math.floor(Math.min(1, Math.max(0, v)) * 255));
}

// ---------------------------------------------------------------------------------------------
// Layer lookup

interface FoundLayer {
  path: string;
  layer: tf.layers.Layer;
  /** The (nested) model whose graph holds the layer. */
  owner: tf.LayersModel;
}

/**
 * Find a layer by path (`base/conv1`) or by a name that occurs once anywhere in the model,
 * looking inside nested models.
 */
function findLayer(model: tf.LayersModel, name: string): FoundLayer {
  const all: FoundLayer[] = [];
  const visit = (m: tf.LayersModel, prefix: string): void => {
    for (const layer of m.layers) {
      if (layer.getClassName() === 'InputLayer') continue;
      all.push({ path: prefix + layer.name, layer, owner: m });
      if (layer instanceof tf.LayersModel) visit(layer, `${prefix}${layer.name}/`);
    }
  };
  visit(model, '');
  const exact = all.find((l) => l.path === name);
  if (exact) return exact;
  const byName = all.filter((l) => l.layer.name === name);
  const [only] = byName;
  if (byName.length === 1 && only !== undefined) return only;
  if (byName.length > 1) {
    throw new Error(
      `layer name "${name}" is ambiguous (${byName.map((l) => l.path).join(', ')}); give its path`,
    );
  }
  throw new Error(`unknown layer "${name}"; layers: ${all.map((l) => l.path).join(', ')}`);
}

function firstShape(s: tf.Shape | tf.Shape[]): (number | null)[] {
  return (Array.isArray(s[0]) ? s[0] : s) as (number | null)[];
}

// ---------------------------------------------------------------------------------------------
// Forward passes to the layer

/** Layers that work on any spatial size (weights depend on channels only). */
const SIZE_FREE = new Set([
  'Conv2D',
  'DepthwiseConv2D',
  'SeparableConv2D',
  'MaxPooling2D',
  'AveragePooling2D',
  'ZeroPadding2D',
  'Activation',
  'ReLU',
  'LeakyReLU',
  'ELU',
  'BatchNormalization',
  'Dropout',
  'SpatialDropout2D',
  'GaussianNoise',
  'Rescaling',
]);

function subModelForward(owner: tf.LayersModel, layer: tf.layers.Layer): Forward {
  // The sub-model from the nested model's own input: an inner layer's symbolic output is not
  // connected to the outer model's input. The first node's output: once graph.ts has re-applied
  // the layers (layerActivations, topActivatingImages), `layer.output` throws for having several
  // inbound nodes.
  const sub = tf.model({ inputs: owner.inputs, outputs: layer.getOutputAt(0) });
  return (x) => sub.apply(x, { training: false }) as tf.Tensor;
}

type Forward = (x: tf.Tensor4D) => tf.Tensor;

/**
 * The layers from the owner's input to `target`, when they form a chain of size-free layers
 * (convolutions, pooling, activations...); else null. Such a layer can be shown a canvas of any
 * size.
 */
function sizeFreeChain(owner: tf.LayersModel, target: tf.layers.Layer): tf.layers.Layer[] | null {
  const chain: tf.layers.Layer[] = [];
  let previous: tf.layers.Layer | null = null;
  for (const layer of owner.layers) {
    if (layer.getClassName() === 'InputLayer') continue;
    const inbound = layer.inboundNodes[0]?.inboundLayers ?? [];
    const from = inbound.length === 1 ? inbound[0] : undefined;
    const linked = previous === null ? from?.getClassName() === 'InputLayer' : from === previous;
    if (!linked || !SIZE_FREE.has(layer.getClassName())) return null;
    chain.push(layer);
    if (layer === target) return chain;
    previous = layer;
  }
  return null;
}

/** An eager forward pass through the size-free chain to `target`, or null (see {@link sizeFreeChain}). */
function chainForward(owner: tf.LayersModel, target: tf.layers.Layer): Forward | null {
  const chain = sizeFreeChain(owner, target);
  if (!chain) return null;
  // Eager apply on real tensors adds no node to the layers (unlike a symbolic re-application).
  return (x) => chain.reduce<tf.Tensor>((t, l) => l.apply(t, { training: false }) as tf.Tensor, x);
}

/**
 * Whether `layer` (a name or path, as {@link filterPatterns} takes) is reached from its model's
 * input through convolutions, pooling and activations only: then its patterns can be computed on
 * a canvas larger than the input (`options.size`).
 */
export function isSizeFree(model: tf.LayersModel, layer: string): boolean {
  const found = findLayer(model, layer);
  return sizeFreeChain(found.owner, found.layer) !== null;
}

// ---------------------------------------------------------------------------------------------
// Random streams

function mixSeed(seed: number, channel: number): number {
  // Different, well-spread seeds per channel (golden-ratio multiply, then an avalanche step).
  let h = (seed ^ Math.imul(channel + 1, 0x9e3779b1)) >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b) >>> 0;
  return (h ^ (h >>> 13)) >>> 0;
}

function normal(rng: () => number): number {
  // Box-Muller; 1 - u keeps the logarithm finite.
  const u = 1 - rng();
  const v = rng();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
}

// ---------------------------------------------------------------------------------------------
// Regularisers

/** Mean absolute difference between horizontal and vertical neighbours, per image, summed. */
function totalVariation(x: tf.Tensor4D): tf.Scalar {
  const [b, h, w, c] = x.shape;
  const dy = x.slice([0, 1, 0, 0], [b, h - 1, w, c]).sub(x.slice([0, 0, 0, 0], [b, h - 1, w, c]));
  const dx = x.slice([0, 0, 1, 0], [b, h, w - 1, c]).sub(x.slice([0, 0, 0, 0], [b, h, w - 1, c]));
  return dy
    .abs()
    .mean([1, 2, 3])
    .add(dx.abs().mean([1, 2, 3]))
    .sum();
}

/** Separable Gaussian blur with reflected borders (zero padding would darken the edges). */
function gaussianBlur(x: tf.Tensor4D, sigma: number): tf.Tensor4D {
  const radius = Math.max(1, Math.ceil(2 * sigma));
  const [, h, w, c] = x.shape;
  if (radius >= h || radius >= w) return x;
  const taps = Array.from({ length: 2 * radius + 1 }, (_, i) =>
    Math.exp(-((i - radius) ** 2) / (2 * sigma * sigma)),
  );
  const total = taps.reduce((s, t) => s + t, 0);
  const k = taps.map((t) => t / total);
  const kernel = (along: 'y' | 'x') => {
    const data = new Float32Array(k.length * c);
    k.forEach((t, i) => data.fill(t, i * c, (i + 1) * c));
    return tf.tensor4d(data, along === 'y' ? [k.length, 1, c, 1] : [1, k.length, c, 1]);
  };
  const padded = tf.mirrorPad(
    x,
    [
      [0, 0],
      [radius, radius],
      [radius, radius],
      [0, 0],
    ],
    'reflect',
  );
  const vertical = tf.depthwiseConv2d(padded, kernel('y'), 1, 'valid');
  return tf.depthwiseConv2d(vertical, kernel('x'), 1, 'valid');
}

/** Per output pixel of every image: 4 source indices and bilinear weights. */
interface SamplingGrid {
  indices: Int32Array[];
  weights: Float32Array[];
}

/**
 * Random roll, scale and rotation of each image as a bilinear resampling, drawn from each
 * image's own stream. Source coordinates wrap around (a roll), like np.roll for the jitter.
 */
function samplingGrid(
  rngs: Array<() => number>,
  h: number,
  w: number,
  reg: FilterPatternRegularizers,
): SamplingGrid {
  const b = rngs.length;
  const n = b * h * w;
  const idx = [new Int32Array(n), new Int32Array(n), new Int32Array(n), new Int32Array(n)];
  const wt = [new Float32Array(n), new Float32Array(n), new Float32Array(n), new Float32Array(n)];
  const jitter = Math.floor(reg.jitter ?? 0);
  const cy = (h - 1) / 2;
  const cx = (w - 1) / 2;
  const wrap = (v: number, m: number) => ((v % m) + m) % m;
  rngs.forEach((rng, i) => {
    const sx = jitter > 0 ? Math.floor(rng() * (2 * jitter + 1)) - jitter : 0;
    const sy = jitter > 0 ? Math.floor(rng() * (2 * jitter + 1)) - jitter : 0;
    const scales = reg.scale ?? [];
    const s = scales.length > 0 ? scales[Math.floor(rng() * scales.length)]! : 1;
    const angle = reg.rotate ? ((rng() * 2 - 1) * reg.rotate * Math.PI) / 180 : 0;
    const cos = Math.cos(angle);
    const sin = Math.sin(angle);
    for (let y = 0; y < h; y++) {
      for (let x = 0; x < w; x++) {
        // Inverse map: output pixel <- source at c + R(-angle)(p - c) / s - shift.
        const px = x - cx;
        const py = y - cy;
        const fx = (cos * px + sin * py) / s + cx - sx;
        const fy = (-sin * px + cos * py) / s + cy - sy;
        const x0 = Math.floor(fx);
        const y0 = Math.floor(fy);
        const ax = fx - x0;
        const ay = fy - y0;
        const o = (i * h + y) * w + x;
        const base = i * h * w;
        const xa = wrap(x0, w);
        const xb = wrap(x0 + 1, w);
        const ya = wrap(y0, h);
        const yb = wrap(y0 + 1, h);
        idx[0]![o] = base + ya * w + xa;
        idx[1]![o] = base + ya * w + xb;
        idx[2]![o] = base + yb * w + xa;
        idx[3]![o] = base + yb * w + xb;
        wt[0]![o] = (1 - ax) * (1 - ay);
        wt[1]![o] = ax * (1 - ay);
        wt[2]![o] = (1 - ax) * ay;
        wt[3]![o] = ax * ay;
      }
    }
  });
  return { indices: idx, weights: wt };
}

/**
 * Apply a sampling grid. A custom gradient in plain JS (the transposed gather, a scatter-add):
 * TF.js's gather gradient needs UnsortedSegmentSum, which the wasm backend lacks, and the
 * images are small.
 */
function resample(image: tf.Tensor4D, grid: SamplingGrid): tf.Tensor4D {
  const shape = image.shape;
  const c = shape[3];
  const n = shape[0] * shape[1] * shape[2];
  const op = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const src = (args[0] as tf.Tensor).dataSync();
    const out = new Float32Array(n * c);
    for (let k = 0; k < 4; k++) {
      const idx = itemAt(grid.indices, k, 'grid tap');
      const wt = itemAt(grid.weights, k, 'grid weight');
      for (let o = 0; o < n; o++) {
        const from = idx[o]! * c;
        const weight = wt[o]!;
        for (let ch = 0; ch < c; ch++) out[o * c + ch]! += weight * src[from + ch]!;
      }
    }
    const gradFunc = (dy: tf.Tensor): tf.Tensor => {
      const g = dy.dataSync();
      const dx = new Float32Array(n * c);
      for (let k = 0; k < 4; k++) {
        const idx = itemAt(grid.indices, k, 'grid tap');
        const wt = itemAt(grid.weights, k, 'grid weight');
        for (let o = 0; o < n; o++) {
          const to = idx[o]! * c;
          const weight = wt[o]!;
          for (let ch = 0; ch < c; ch++) dx[to + ch]! += weight * g[o * c + ch]!;
        }
      }
      return tf.tensor4d(dx, shape);
    };
    return { value: tf.tensor4d(out, shape), gradFunc };
  });
  return op(image);
}

// ---------------------------------------------------------------------------------------------
// Fourier parameterisation (Lucid's fft_image and colour decorrelation)

/** Constant tensors of the inverse real 2-D DFT of one image size. */
interface FourierBasis {
  h: number;
  w: number;
  /** Columns of the half spectrum: floor(w / 2) + 1. */
  wf: number;
  /** Spectrum scale `[h, wf]`: sqrt(h w) / max(f, 1 / max(h, w))^decay, f the frequency. */
  scale: tf.Tensor2D;
  cosY: tf.Tensor2D;
  sinY: tf.Tensor2D;
  cosX: tf.Tensor2D;
  sinX: tf.Tensor2D;
  dispose(): void;
}

/** The constant matrices of {@link irfft2}, and Lucid's 1/f scaling for this size. */
export function fourierBasis(h: number, w: number, decayPower = 1): FourierBasis {
  const wf = Math.floor(w / 2) + 1;
  const scale = new Float32Array(h * wf);
  for (let ky = 0; ky < h; ky++) {
    const fy = (ky < Math.ceil(h / 2) ? ky : ky - h) / h; // numpy.fft.fftfreq
    for (let kx = 0; kx < wf; kx++) {
      const f = Math.hypot(kx / w, fy);
      scale[ky * wf + kx] = Math.sqrt(w * h) / Math.max(f, 1 / Math.max(w, h)) ** decayPower;
    }
  }
  const cy = new Float32Array(h * h);
  const sy = new Float32Array(h * h);
  for (let y = 0; y < h; y++) {
    for (let ky = 0; ky < h; ky++) {
      const t = (2 * Math.PI * ((ky * y) % h)) / h;
      cy[y * h + ky] = Math.cos(t);
      sy[y * h + ky] = Math.sin(t);
    }
  }
  // irfft along x: DC and (even w) Nyquist counted once with their imaginary part ignored, the
  // other columns twice (Hermitian symmetry); 1 / (h w) normalisation as numpy's irfft2.
  const cx = new Float32Array(wf * w);
  const sx = new Float32Array(wf * w);
  for (let kx = 0; kx < wf; kx++) {
    const edge = kx === 0 || (w % 2 === 0 && kx === w / 2);
    const factor = (edge ? 1 : 2) / (h * w);
    for (let x = 0; x < w; x++) {
      const t = (2 * Math.PI * ((kx * x) % w)) / w;
      cx[kx * w + x] = factor * Math.cos(t);
      sx[kx * w + x] = edge ? 0 : factor * Math.sin(t);
    }
  }
  const tensors = {
    scale: tf.tensor2d(scale, [h, wf]),
    cosY: tf.tensor2d(cy, [h, h]),
    sinY: tf.tensor2d(sy, [h, h]),
    cosX: tf.tensor2d(cx, [wf, w]),
    sinX: tf.tensor2d(sx, [wf, w]),
  };
  return { h, w, wf, ...tensors, dispose: () => tf.dispose(Object.values(tensors)) };
}

/**
 * Inverse real 2-D DFT (numpy.fft.irfft2 with s = (h, w)) of n half spectra, as real matrix
 * products so that TF.js can differentiate it: a complex inverse DFT along y, then a real one
 * along x.
 * @param re real parts `[n, h, wf]`
 * @param im imaginary parts `[n, h, wf]`
 * @returns `[n, h, w]`
 */
export function irfft2(re: tf.Tensor3D, im: tf.Tensor3D, basis: FourierBasis): tf.Tensor3D {
  return tf.tidy(() => {
    const [n, h, wf] = re.shape;
    const cols = (t: tf.Tensor3D) => t.transpose([1, 0, 2]).reshape<tf.Tensor2D>([h, n * wf]);
    const r = cols(re);
    const i = cols(im);
    // (re + i im) e^{+i t} summed over ky.
    const zr = tf.matMul(basis.cosY, r).sub(tf.matMul(basis.sinY, i));
    const zi = tf.matMul(basis.sinY, r).add(tf.matMul(basis.cosY, i));
    const rows = (t: tf.Tensor) =>
      t
        .reshape([h, n, wf])
        .transpose([1, 0, 2])
        .reshape<tf.Tensor2D>([n * h, wf]);
    const out = tf.matMul(rows(zr), basis.cosX).sub(tf.matMul(rows(zi), basis.sinX));
    return out.reshape<tf.Tensor3D>([n, h, basis.w]);
  });
}

/** Lucid's color_correlation_svd_sqrt divided by its largest column norm, transposed for x M^T. */
function colourDecorrelation(): Float32Array {
  const m = [
    [0.26, 0.09, 0.02],
    [0.27, 0.0, -0.05],
    [0.27, -0.09, 0.03],
  ];
  const maxNorm = Math.max(...[0, 1, 2].map((j) => Math.hypot(m[0]![j]!, m[1]![j]!, m[2]![j]!)));
  const t = new Float32Array(9);
  for (let i = 0; i < 3; i++) for (let j = 0; j < 3; j++) t[j * 3 + i] = m[i]![j]! / maxNorm;
  return t;
}

/** Images in [0, 1] from Fourier parameters `[b, 2, c, h, wf]`: Lucid's fft_image + to_valid_rgb. */
function fourierImage(
  p: tf.Tensor,
  b: number,
  c: number,
  basis: FourierBasis,
  decorrelation: tf.Tensor2D | null,
): tf.Tensor4D {
  const { h, w, wf } = basis;
  const scaled = p.mul(basis.scale);
  const re = scaled.slice([0, 0, 0, 0, 0], [b, 1, c, h, wf]).reshape<tf.Tensor3D>([b * c, h, wf]);
  const im = scaled.slice([0, 1, 0, 0, 0], [b, 1, c, h, wf]).reshape<tf.Tensor3D>([b * c, h, wf]);
  let image = irfft2(re, im, basis).reshape([b, c, h, w]).transpose([0, 2, 3, 1]).div(4);
  if (decorrelation) image = tf.matMul(image.reshape([-1, 3]), decorrelation).reshape([b, h, w, 3]);
  return tf.sigmoid(image) as tf.Tensor4D;
}
