/**
 * The settings that make filter patterns readable on the seed-style networks (Olah et al.,
 * "Feature Visualization", Distill 2017, and Lucid's defaults, scaled to small inputs):
 *
 * - a Fourier parameterisation with 1/f spectrum scaling, so that gradient steps favour smooth,
 *   large-scale structure over pixel noise;
 * - for RGB models, Lucid's ImageNet colour decorrelation (the square root of the colour
 *   covariance of ImageNet photos). The seed RGB datasets (cats vs dogs, monkeys, CIFAR
 *   classes) are natural photographs whose colour statistics are close to ImageNet's, and a fixed
 *   matrix keeps patterns comparable between runs and computable without the training data;
 *   grayscale models get a single-channel parameterisation;
 * - transformation robustness at each step: a random roll, scale and rotation, so that only
 *   patterns that survive small shifts (structure, not adversarial pixels) are kept;
 * - a larger canvas (up to twice the input) where the layer is reached through convolutions and
 *   pooling alone, showing what the channel looks for over more than one receptive field.
 */
import type { FilterPatternsOptions } from '../filter-patterns';

/** What {@link readablePatternOptions} needs to know of the model and layer. */
export interface ReadableInput {
  /** `[height, width]` of the model input. */
  inputSize: [number, number];
  /** Whether the layer takes any canvas size (see `isSizeFree`). */
  sizeFree: boolean;
  /** Longest side of the canvas (default 64): a larger canvas costs time and bytes. */
  maxSide?: number;
}

/**
 * Options of `filterPatterns` for readable patterns: Fourier parameterisation (colour
 * decorrelated for RGB), transformation robustness scaled to the canvas, a light L2 penalty, and
 * the canvas size (up to twice the input, at most `maxSide`, where the layer allows it).
 */
export function readablePatternOptions(
  input: ReadableInput,
): Pick<
  FilterPatternsOptions,
  'size' | 'parameterization' | 'optimizer' | 'regularizers' | 'stepSize'
> {
  const size = canvasSize(input);
  const side = Math.max(...size);
  return {
    size,
    parameterization: 'fourier',
    optimizer: 'adam',
    // Lucid takes 512 Adam steps of 0.05; the pack affords about 20, so larger ones.
    stepSize: 0.4,
    regularizers: {
      // About 1/16 of the canvas: 3-4 px on 56, 8 on 128 (Lucid's jitter 8 on 128 px).
      jitter: Math.max(1, Math.round(side / 16)),
      scale: [0.9, 0.95, 1, 1.05, 1.1],
      rotate: 10,
      l2: 0.01,
    },
  };
}

/** The canvas: the input size, or up to twice it (at most `maxSide`) for size-free layers. */
export function canvasSize(input: ReadableInput): [number, number] {
  const [h, w] = input.inputSize;
  if (!input.sizeFree) return [h, w];
  const maxSide = input.maxSide ?? 64;
  const factor = Math.max(1, Math.min(2, maxSide / Math.max(h, w)));
  return [Math.round(h * factor), Math.round(w * factor)];
}
