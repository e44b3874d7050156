/**
 * Bindings of libs/ml/native/src/depthwise.cc (part of {@link OnednnAddon}): depthwise
 * convolutions as oneDNN grouped convolutions (one group per input channel) on TF.js layouts,
 * NHWC activations and the [kh, kw, c, m] filter, in place on caller-owned Float32Arrays.
 *
 * `shape` is the dense conv kernels' array [n, ih, iw, c, oh, ow, c * m, kh, kw, sh, sw, dh, dw,
 * pt, pl, pb, pr] (output channels = c times the channel multiplier m).
 */
export interface DepthwiseAddon {
  /** y = depthwiseConv(x, filter) [+ bias] [relu]; bias has c * m elements. */
  depthwiseForward(
    x: Float32Array,
    filter: Float32Array,
    bias: Float32Array | null,
    y: Float32Array,
    shape: number[],
    relu: boolean,
  ): void;
  /** dx from dy and the filter: the gradient of the depthwise convolution w.r.t. its input. */
  depthwiseBackwardData(
    dy: Float32Array,
    filter: Float32Array,
    dx: Float32Array,
    shape: number[],
  ): void;
  /** dFilter ([kh, kw, c, m]) and, when db is given, the bias gradient, from x and dy. */
  depthwiseBackwardWeights(
    x: Float32Array,
    dy: Float32Array,
    dFilter: Float32Array,
    db: Float32Array | null,
    shape: number[],
  ): void;
}
