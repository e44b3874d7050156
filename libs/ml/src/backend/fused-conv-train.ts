import * as tf from '@tensorflow/tfjs';
import { RELU_GRAD_KERNEL } from './relu-grad';
import { asAttrMap, kernelAttrs } from './tf-internals';

/*
 * Conv2D + bias + relu as one kernel in training too. tf.layers' Conv2D calls tf.fused.conv2d,
 * which fuses bias and activation only outside gradient recording; while training it runs
 * Conv2D, Add and Relu: two extra passes over every conv output and two more tensors per layer
 * and step, and a separate bias-gradient Sum in the backward. Here the layer runs FusedConv2D
 * (oneDNN: bias and relu fused into the convolution) in training as well, with the gradient
 * registered below: the relu gradient from the output (y > 0 exactly where the pre-activation
 * is, tf.fused.conv2d's own rule), then the filter and bias gradients in one oneDNN pass where
 * the backend has FILTER_BIAS_GRAD_KERNEL, and the input gradient only when it is needed (the
 * tape asks per input: the first layer's never is).
 */

/** Kernel computing [dFilter, dBias] from { x, dy } (Conv2DBackpropFilter's attrs). */
export const FILTER_BIAS_GRAD_KERNEL = 'ConvscopeConv2DBackpropFilterBias';

const FUSED_CONV = 'FusedConv2D';

/** Activations the fused training path covers (the rest take the stock layer's path). */
const FUSABLE = new Set(['relu', 'linear']);

/** dy where y > 0, else 0: relu's gradient read from its output. */
function reluGradFromOutput(dy: tf.Tensor, y: tf.Tensor): tf.Tensor {
  if (tf.getKernel(RELU_GRAD_KERNEL, tf.getBackend()) !== undefined)
    return tf.engine().runKernel<tf.Tensor>(RELU_GRAD_KERNEL, { dy, x: y });
  return tf.mul(dy, tf.cast(tf.step(y), 'float32'));
}

/** Conv2DBackpropFilter's attrs for a FusedConv2D call. */
function filterAttrs(a: tf.FusedConv2DAttrs, filter: tf.Tensor): tf.Conv2DBackpropFilterAttrs {
  return {
    strides: a.strides,
    pad: a.pad,
    dataFormat: a.dataFormat,
    dimRoundingMode: a.dimRoundingMode,
    filterShape: filter.shape as [number, number, number, number],
  };
}

/** dFilter and dBias: one kernel where the backend has it. */
function filterAndBiasGrads(
  x: tf.Tensor,
  dy: tf.Tensor,
  filter: tf.Tensor,
  a: tf.FusedConv2DAttrs,
): [tf.Tensor, tf.Tensor] {
  const attrs = asAttrMap(filterAttrs(a, filter));
  if (tf.getKernel(FILTER_BIAS_GRAD_KERNEL, tf.getBackend()) !== undefined) {
    const outs = tf.engine().runKernel(FILTER_BIAS_GRAD_KERNEL, { x, dy }, attrs);
    const [dw, db] = outs as [tf.Tensor, tf.Tensor];
    return [dw, db];
  }
  const dw = tf.engine().runKernel<tf.Tensor>('Conv2DBackpropFilter', { x, dy }, attrs);
  return [dw, tf.sum(dy, [0, 1, 2])];
}

let gradientInstalled = false;

/**
 * Registers the gradient of the FusedConv2D kernel (TF.js registers none: tf.fused.conv2d
 * differentiates through tf.customGrad, whose inner kernels the tape never sees, so this one
 * only applies where FusedConv2D itself is recorded: {@link fusedConv2dTraining}). NHWC,
 * dilation 1, relu or linear, with a bias. Idempotent.
 */
export function installFusedConvGradient(): void {
  if (gradientInstalled) return;
  gradientInstalled = true;
  tf.registerGradient({
    kernelName: FUSED_CONV,
    inputsToSave: ['x', 'filter'],
    outputsToSave: [true],
    gradFunc: (dy, saved, attrs) => {
      const [x, filter, y] = saved;
      if (x === undefined || filter === undefined || y === undefined)
        throw new Error('FusedConv2D gradient: a saved tensor is missing');
      const a = kernelAttrs<tf.FusedConv2DAttrs>(attrs);
      if (!FUSABLE.has(a.activation ?? 'linear'))
        throw new Error(`FusedConv2D gradient: activation ${a.activation} is not supported`);
      // Computed here, not in the per-input thunks: the tape runs each thunk in its own tidy,
      // so a result shared between them would be disposed after the first. Like the stock
      // gradients, these live until the backward pass ends. Only dx is left lazy (the first
      // layer's is never asked for); the filter and bias gradients come as one pass.
      const dyPre =
        a.activation === 'relu' ? reluGradFromOutput(dy as tf.Tensor, y) : (dy as tf.Tensor);
      const [dw, db] = filterAndBiasGrads(x, dyPre, filter, a);
      return {
        x: () =>
          tf.engine().runKernel<tf.Tensor>(
            'Conv2DBackpropInput',
            { dy: dyPre, filter },
            asAttrMap<tf.Conv2DBackpropInputAttrs>({
              strides: a.strides,
              pad: a.pad,
              dataFormat: a.dataFormat,
              dimRoundingMode: a.dimRoundingMode,
              inputShape: x.shape as [number, number, number, number],
            }),
          ),
        filter: () => dw,
        bias: () => db,
      };
    },
  });
}

/** What {@link fusedConv2dTraining} takes: the layer's tensors and geometry. */
export interface FusedConvArgs {
  x: tf.Tensor4D;
  filter: tf.Tensor4D;
  bias: tf.Tensor1D;
  strides: [number, number];
  pad: 'same' | 'valid';
  activation: 'relu' | 'linear';
}

/**
 * conv2d(x, filter) + bias [relu] as one recorded FusedConv2D kernel (NHWC, dilation 1),
 * differentiable through {@link installFusedConvGradient}.
 */
export function fusedConv2dTraining(args: FusedConvArgs): tf.Tensor4D {
  installFusedConvGradient();
  const { x, filter, bias, strides, pad, activation } = args;
  const attrs: tf.FusedConv2DAttrs = {
    strides,
    pad,
    dataFormat: 'NHWC',
    dilations: [1, 1],
    dimRoundingMode: undefined as unknown as tf.FusedConv2DAttrs['dimRoundingMode'],
    activation,
  };
  return tf.engine().runKernel<tf.Tensor4D>(FUSED_CONV, { x, filter, bias }, asAttrMap(attrs));
}

/** The fields of tf.layers' Conv2D that its call reads (public at run time). */
interface Conv2DFields {
  kernel: tf.LayerVariable | null;
  bias: tf.LayerVariable | null;
  strides: number[];
  padding: string;
  dataFormat: string;
  dilationRate: number | number[];
  activation: { getClassName(): string };
  rank: number;
}

/** The fused arguments for this layer and input, or null when the stock path must run. */
export function fusedArgsFor(layer: Conv2DFields, x: tf.Tensor): FusedConvArgs | null {
  const act = layer.activation.getClassName().toLowerCase();
  const dil = Array.isArray(layer.dilationRate) ? layer.dilationRate : [layer.dilationRate];
  const [sh, sw] = layer.strides;
  if (
    layer.rank !== 2 ||
    x.rank !== 4 ||
    x.dtype !== 'float32' ||
    layer.kernel === null ||
    layer.bias === null ||
    layer.dataFormat !== 'channelsLast' ||
    (layer.padding !== 'same' && layer.padding !== 'valid') ||
    !dil.every((d) => d === 1) ||
    (act !== 'relu' && act !== 'linear') ||
    sh === undefined ||
    sw === undefined
  )
    return null;
  return {
    x: x as tf.Tensor4D,
    filter: layer.kernel.read() as tf.Tensor4D,
    bias: layer.bias.read() as tf.Tensor1D,
    strides: [sh, sw],
    pad: layer.padding,
    activation: act,
  };
}

type LayerCtor = new (config: object) => tf.layers.Layer;
let fusedClass: LayerCtor | null = null;

/**
 * tf.layers.conv2d's class with {@link fusedConv2dTraining} as its call (relu / linear, NHWC,
 * dilation 1, with a bias; anything else is the stock call). Same class name ('Conv2D'), config, weights
 * and serialisation as the stock layer; only the kernels it runs differ.
 */
function fusedConv2dClass(): LayerCtor {
  if (fusedClass !== null) return fusedClass;
  const entry = tf.serialization.SerializationMap.getMap().classNameMap.Conv2D;
  if (entry === undefined) throw new Error('tf.layers Conv2D is not registered');
  const Stock = entry[0] as unknown as LayerCtor;
  class FusedTrainingConv2D extends Stock {
    override call(inputs: tf.Tensor | tf.Tensor[], kwargs: tf.serialization.ConfigDict): tf.Tensor {
      const x = Array.isArray(inputs) ? inputs[0] : inputs;
      const args = x === undefined ? null : fusedArgsFor(this as unknown as Conv2DFields, x);
      if (args === null) return super.call(inputs, kwargs) as tf.Tensor;
      return tf.tidy(() => fusedConv2dTraining(args));
    }
  }
  fusedClass = FusedTrainingConv2D;
  return fusedClass;
}

/** Creates a Conv2D layer whose training runs {@link fusedConv2dTraining} (tf.layers.conv2d's config). */
export function fusedTrainingConv2d(config: object): tf.layers.Layer {
  return new (fusedConv2dClass())(config);
}
