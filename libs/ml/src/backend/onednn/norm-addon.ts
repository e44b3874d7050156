/**
 * Bindings of libs/ml/native/src/norm.cc (part of {@link OnednnAddon}). Shapes are plain
 * number arrays; batch-norm shapes are [n, h, w, c] with channels last (any other rank is
 * passed as [rows, 1, 1, c]). Every array length is checked natively against the shape.
 */
export interface NormAddon {
  /**
   * Training-mode batch norm on oneDNN: writes y, the batch mean and the biased batch variance
   * (over every axis but the channels, as tf.moments), y = (x - mean) / sqrt(var + eps) * scale + shift.
   */
  batchNormTrainForward(
    x: Float32Array,
    scale: Float32Array,
    shift: Float32Array,
    y: Float32Array,
    mean: Float32Array,
    variance: Float32Array,
    shape: number[],
    epsilon: number,
  ): void;
  /**
   * Gradient of {@link NormAddon.batchNormTrainForward} with the moments differentiated too:
   * dx, dscale, dshift from dy; dmean / dvariance (the gradients reaching the mean and variance
   * outputs, null when none) add their terms to dx.
   */
  batchNormTrainBackward(
    x: Float32Array,
    dy: Float32Array,
    scale: Float32Array,
    mean: Float32Array,
    variance: Float32Array,
    dmean: Float32Array | null,
    dvariance: Float32Array | null,
    dx: Float32Array,
    dscale: Float32Array,
    dshift: Float32Array,
    shape: number[],
    epsilon: number,
  ): void;
  /** Batch norm with given statistics (TF.js FusedBatchNorm); scale / shift may be null. */
  batchNormInference(
    x: Float32Array,
    mean: Float32Array,
    variance: Float32Array,
    scale: Float32Array | null,
    shift: Float32Array | null,
    y: Float32Array,
    shape: number[],
    epsilon: number,
  ): void;
  /**
   * Max-pooling gradient for 2x2 windows at stride 2 without padding; shape = [n, ih, iw, c]
   * of x / dx (dy is [n, ih / 2, iw / 2, c], rounded down). dy goes to each window's first
   * maximum; rows / columns past the last window get 0.
   */
  maxPoolBackward2x2(x: Float32Array, dy: Float32Array, dx: Float32Array, shape: number[]): void;
  /**
   * One uncentered RMSprop step, bitwise tf.train.rmsprop's; params = [learningRate, decay,
   * 1 - decay, momentum, epsilon] as float32.
   */
  rmspropUpdate(
    x: Float32Array,
    ms: Float32Array,
    mom: Float32Array,
    g: Float32Array,
    newX: Float32Array,
    newMs: Float32Array,
    newMom: Float32Array,
    params: Float32Array,
  ): void;
  /** y = a + b element-wise; all three of one length (threaded over 2^15 elements). */
  addSame(a: Float32Array, b: Float32Array, y: Float32Array): void;
  /**
   * Training batch norm (forward and backward) on oneDNN's primitives (true) or on the addon's
   * own two-pass loops (false, the default: faster where measured). For benchmarks and tests.
   */
  setBatchNormOnednn(on: boolean): void;
  /** y[o, i] = mean over r of x[o, r, i]; shape = [outer, reduce, inner]. */
  meanReduce(x: Float32Array, y: Float32Array, shape: number[]): void;
}
