import * as tf from '@tensorflow/tfjs';
import { compiledOptimizer, renameModel } from '../backend/tf-internals';
import { first, itemAt } from '../util/checked';
import { makeOptimizer } from '../models/build-model';
import type { OptimizerSpec } from '../models/presets';

/** Output shape of a layer, its first output if it has several. */
function outputShapeOf(layer: tf.layers.Layer): (number | null)[] {
  const shape = layer.outputShape;
  return Array.isArray(shape[0]) ? shape[0] : (shape as (number | null)[]);
}

/**
 * Name of the default cut layer: the last layer with a 4-D output `[batch, h, w, c]` before the
 * first layer that leaves the image (flatten, global pooling, dense).
 * @throws when the model has no 4-D layer output
 */
export function defaultCutLayer(model: tf.LayersModel): string {
  let candidate: string | undefined;
  for (const layer of model.layers) {
    if (layer.getClassName() === 'InputLayer') continue;
    if (outputShapeOf(layer).length === 4) candidate = layer.name;
    else if (candidate) break;
  }
  if (!candidate)
    throw new Error(
      `model "${model.name}" has no layer with a 4-D output [batch, h, w, c] to cut at`,
    );
  return candidate;
}

/**
 * The part of a model from its input up to (and including) a layer, as a model of its own that
 * shares the layers (and weights) of `model`. The layers after the cut and the optimizer of
 * `model` are disposed: `model` must not be used afterwards.
 * @param model the full model (for example a pretrained classifier)
 * @param layerName layer to cut at (default {@link defaultCutLayer})
 */
export function cutModel(model: tf.LayersModel, layerName?: string): tf.LayersModel {
  const name = layerName ?? defaultCutLayer(model);
  const names = model.layers.map((l) => l.name);
  const index = names.indexOf(name);
  if (index < 0)
    throw new Error(
      `model "${model.name}" has no layer "${name}"; its layers: ${names.join(', ')}`,
    );
  const layer = itemAt(model.layers, index, 'layer');
  const base = tf.model({
    inputs: model.inputs,
    outputs: layer.output,
    name: 'base',
  });
  const kept = new Set(base.layers);
  for (const l of model.layers) if (!kept.has(l)) l.dispose();
  // A loaded model may come compiled with its training optimizer; nothing will use it now.
  compiledOptimizer(model)?.dispose();
  return base;
}

/** Options of {@link buildTransferModel}. */
export interface TransferModelOptions {
  /** The base, from the input to a 4-D feature map `[batch, h, w, c]` (see {@link cutModel}). */
  base: tf.LayersModel;
  /** Number of classes: `numClasses` softmax units, or 1 sigmoid unit when `binary`. */
  numClasses: number;
  /** One sigmoid unit and binary cross-entropy instead of softmax (default false). */
  binary?: boolean;
  /** How the feature map becomes a vector (default `avg`: global average pooling). */
  pooling?: 'avg' | 'max' | 'flatten';
  /** Hidden relu dense layers of the head, units each (default none). */
  hidden?: number[];
  /** Dropout rate before the output layer (default 0.5; 0 for none). */
  dropout?: number;
  /** Optimizer of the head phase (default Adam 1e-3). */
  optimizer?: OptimizerSpec;
  /** Seed of the head's initialisers and dropout (default 42). */
  seed?: number;
  /** Freeze the base (default true; false trains everything, e.g. the from-scratch baseline). */
  freezeBase?: boolean;
}

/** A transfer model: the full model and the base nested inside it. */
export interface TransferModel {
  /** input → base (a nested model, one layer named `base`) → head; compiled. */
  model: tf.LayersModel;
  /** The nested base (the same object as `model.getLayer('base')`). */
  base: tf.LayersModel;
}

/**
 * Puts a new classification head on a base: global pooling, optional hidden layers, dropout and
 * a dense output. The base stays one nested model inside the full model (so tools such as Grad-CAM
 * can find its last feature map), frozen by default, and the model is compiled.
 */
export function buildTransferModel(options: TransferModelOptions): TransferModel {
  const { base, numClasses } = options;
  const seed = options.seed ?? 42;
  const binary = options.binary ?? false;
  const featureShape = first(base.outputs, 'an output of the base').shape;
  if (featureShape.length !== 4)
    throw new Error(
      `the base must output a 4-D feature map [batch, h, w, c], got [${featureShape.join(', ')}]`,
    );
  if (base.name !== 'base') {
    // The head finds the base by this name (model.getLayer('base')).
    renameModel(base, 'base');
  }
  const inputShape = first(base.inputs, 'an input of the base').shape.slice(1) as number[];
  const input = tf.input({ shape: inputShape, name: 'image' });
  let x = base.apply(input) as tf.SymbolicTensor;
  const pooling = options.pooling ?? 'avg';
  x = (
    pooling === 'avg'
      ? tf.layers.globalAveragePooling2d({ name: 'head_pool' })
      : pooling === 'max'
        ? tf.layers.globalMaxPooling2d({ name: 'head_pool' })
        : tf.layers.flatten({ name: 'head_flatten' })
  ).apply(x) as tf.SymbolicTensor;
  (options.hidden ?? []).forEach((units, i) => {
    x = tf.layers
      .dense({
        units,
        activation: 'relu',
        name: `head_dense${i + 1}`,
        kernelInitializer: tf.initializers.glorotUniform({ seed: seed + 100 + i }),
      })
      .apply(x) as tf.SymbolicTensor;
  });
  const rate = options.dropout ?? 0.5;
  if (rate > 0) x = tf.layers.dropout({ rate, name: 'head_dropout' }).apply(x) as tf.SymbolicTensor;
  const output = tf.layers
    .dense({
      units: binary ? 1 : numClasses,
      activation: binary ? 'sigmoid' : 'softmax',
      name: 'predictions',
      kernelInitializer: tf.initializers.glorotUniform({ seed: seed + 200 }),
    })
    .apply(x) as tf.SymbolicTensor;
  const model = tf.model({ inputs: input, outputs: output, name: 'transfer' });
  base.trainable = !(options.freezeBase ?? true);
  compileTransferModel(model, options.optimizer ?? { type: 'adam', learningRate: 1e-3 }, binary);
  return { model, base };
}

/**
 * (Re)compiles a transfer model: needed after changing `trainable`, since the trainable weights
 * are collected at compile time. The previous optimizer (and its slot variables) is disposed.
 */
export function compileTransferModel(
  model: tf.LayersModel,
  optimizer: OptimizerSpec,
  binary: boolean,
): void {
  const previous = compiledOptimizer(model);
  model.compile({
    optimizer: makeOptimizer(optimizer.type, optimizer.learningRate),
    loss: binary ? 'binaryCrossentropy' : 'categoricalCrossentropy',
    metrics: ['accuracy'],
  });
  previous?.dispose();
}

/**
 * Unfreezes the base for fine-tuning: every layer (`'all'`) or only the top `n` layers (the
 * others stay frozen). Recompile afterwards ({@link compileTransferModel}).
 */
export function unfreezeBase(base: tf.LayersModel, layers: 'all' | number = 'all'): void {
  base.trainable = true;
  if (layers === 'all') return;
  if (!(Number.isInteger(layers) && layers >= 0))
    throw new RangeError(`unfreeze expects "all" or a layer count >= 0, got ${layers}`);
  const frozen = Math.max(0, base.layers.length - layers);
  base.layers.forEach((l, i) => {
    l.trainable = i >= frozen;
  });
}

/** Whether a model's loss is binary cross-entropy (one sigmoid unit). */
export function isBinaryModel(model: tf.LayersModel): boolean {
  const shape = first(model.outputs, 'a model output').shape;
  return shape.at(-1) === 1;
}
