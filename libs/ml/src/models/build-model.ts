import * as tf from '@tensorflow/tfjs';
import { fusedAdam } from '../backend/fused-adam';
import { fusedRmsprop } from '../backend/fused-rmsprop';
import { fusedL2 } from '../backend/l2-regularizer';
import { layerFactory } from '../backend/tf-internals';
import { tauWeightDecay, type LayerSpec, type ModelPreset } from './presets';
import { GaussianSampling, MCDropout, SeededDropout } from './custom-layers';

/** One row of a model summary. */
export interface LayerSummary {
  name: string;
  className: string;
  /** Output shape without the batch dimension, e.g. `[28, 28, 32]`. */
  outputShape: number[];
  params: number;
  trainable: boolean;
}

/** What a run stores about its model. */
export interface ModelSummary {
  layers: LayerSummary[];
  totalParams: number;
  trainableParams: number;
}

const WEIGHTED = new Set(['conv2d', 'separableConv2d', 'dense']);

/** What {@link makeLayer} needs besides the spec. */
interface MakeLayerOptions {
  /** Seed of the model; layer `i` uses `seed + i` (and `+ 1000` for a second initialiser). */
  seed: number;
  /** Input shape, given to the first layer only. */
  inputShape?: number[];
  /** L2 penalty of conv2d/dense kernels without their own `kernelL2`. */
  defaultL2?: number;
}

/** The layers of this project (seeded masks and noise); null for stock tf.layers types. */
function makeCustomLayer(spec: LayerSpec, common: CustomArgs): tf.layers.Layer | null {
  if (spec.type === 'mcDropout')
    return new MCDropout({ rate: spec.rate, name: spec.name, ...common });
  // A fresh mask per batch, still reproducible from the seed (see SeededDropout).
  if (spec.type === 'dropout')
    return new SeededDropout({ rate: spec.rate, name: spec.name, ...common });
  if (spec.type === 'gaussianSampling') {
    const { type: _type, ...config } = spec;
    return new GaussianSampling({ ...config, ...common });
  }
  return null;
}

/** Arguments every custom layer takes from the model (not from its spec). */
type CustomArgs = { seed: number; inputShape?: number[] };

function makeLayer(spec: LayerSpec, index: number, options: MakeLayerOptions): tf.layers.Layer {
  const { seed, inputShape, defaultL2 } = options;
  const custom = makeCustomLayer(spec, { seed: seed + index, ...(inputShape && { inputShape }) });
  if (custom !== null) return custom;
  const { type, ...config } = spec;
  const cfg: Record<string, unknown> = { ...config };
  if (inputShape) cfg.inputShape = inputShape;
  // Seeded initialisers make a run reproducible: the same seed gives the same initial weights.
  if (WEIGHTED.has(type)) {
    const init = tf.initializers.glorotUniform({ seed: seed + index });
    if (type === 'separableConv2d') {
      cfg.depthwiseInitializer = init;
      cfg.pointwiseInitializer = tf.initializers.glorotUniform({ seed: seed + index + 1000 });
    } else {
      cfg.kernelInitializer = init;
    }
  }
  if ('kernelL2' in cfg) delete cfg.kernelL2;
  const l2 = ('kernelL2' in spec ? spec.kernelL2 : undefined) ?? defaultL2;
  if (l2 && (type === 'conv2d' || type === 'dense'))
    // tf.regularizers.l2 (same class, config and values) with a one-pass gradient.
    cfg.kernelRegularizer = fusedL2(l2);
  const factory = layerFactory(type);
  if (factory === undefined) throw new Error(`unknown layer type "${type}" in layer ${index}`);
  return factory(cfg);
}

/**
 * Builds and compiles a Sequential model from a preset.
 * @param preset layer specs and training recipe
 * @param options.numClasses overrides the units of the final dense layer (for datasets with other class counts)
 * @param options.seed seed of the weight initialisers (default 42)
 * @param options.learningRate overrides the preset's learning rate
 * @param options.trainSize training-set size N of the tau-derived weight decay (presets with `weightDecay`)
 */
export function buildModel(
  preset: ModelPreset,
  options: { numClasses?: number; seed?: number; learningRate?: number; trainSize?: number } = {},
): tf.Sequential {
  const seed = options.seed ?? 42;
  const defaultL2 = preset.weightDecay
    ? tauWeightDecay(preset.weightDecay, options.trainSize)
    : undefined;
  const layers = preset.layers.map((l) => ({ ...l }));
  const last = layers[layers.length - 1];
  if (!last || last.type !== 'dense')
    throw new Error(`preset ${preset.name}: the last layer must be dense`);
  if (options.numClasses && preset.loss === 'categoricalCrossentropy')
    last.units = options.numClasses;
  const model = tf.sequential({ name: preset.name.replace(/[^A-Za-z0-9_]/g, '_') });
  layers.forEach((spec, i) => {
    try {
      const inputShape = i === 0 ? preset.inputShape : undefined;
      model.add(makeLayer(spec, i, { seed, inputShape, defaultL2 }));
    } catch (err) {
      model.dispose();
      throw new Error(
        `preset ${preset.name}: layers[${i}] (${spec.type}${spec.name ? ` "${spec.name}"` : ''}): ${(err as Error).message}`,
      );
    }
    // A stack that shrinks the image below 1 pixel must fail here, naming the layer.
    const shape = model.outputShape as (number | null)[];
    if (shape.slice(1).some((d) => d !== null && d < 1)) {
      model.dispose();
      throw new Error(
        `preset ${preset.name}: layers[${i}] (${spec.type}${spec.name ? ` "${spec.name}"` : ''}) outputs shape [${shape.slice(1).join(', ')}]: the input ${JSON.stringify(preset.inputShape)} is too small for this stack`,
      );
    }
  });
  model.compile({
    optimizer: makeOptimizer(
      preset.optimizer.type,
      options.learningRate ?? preset.optimizer.learningRate,
    ),
    loss: preset.loss,
    metrics: ['accuracy'],
  });
  return model;
}

/** Creates an optimizer from its name and learning rate. */
export function makeOptimizer(
  type: ModelPreset['optimizer']['type'],
  learningRate: number,
): tf.Optimizer {
  switch (type) {
    case 'adam':
      // Stock Adam elsewhere; one fused pass per variable on the wasm/onednn backends.
      return fusedAdam({ learningRate });
    case 'rmsprop':
      // Stock RMSprop elsewhere; one fused pass per variable on the wasm/onednn backends.
      return fusedRmsprop({ learningRate });
    case 'sgd':
      return tf.train.sgd(learningRate);
    default:
      throw new Error(`unknown optimizer "${type as string}"`);
  }
}

/** Summarises a model layer by layer (name, class, output shape, parameter count). */
export function summarizeModel(model: tf.LayersModel): ModelSummary {
  const layers = model.layers.map((layer) => {
    const shape = layer.outputShape;
    const first = Array.isArray(shape[0]) ? shape[0] : (shape as (number | null)[]);
    return {
      name: layer.name,
      className: layer.getClassName(),
      outputShape: first.slice(1).map((d) => d ?? -1),
      params: layer.countParams(),
      trainable: layer.trainable,
    };
  });
  const trainableParams = model.trainableWeights.reduce(
    (s, w) => s + w.shape.reduce((a: number, b) => a * (b ?? 1), 1),
    0,
  );
  return { layers, totalParams: model.countParams(), trainableParams };
}
