/**
 * Model definitions as data: layer specs (Keras layer names and their config), the optimizer and
 * the training recipe. The same shape is accepted from JSON/YAML configs, so a user can define a
 * model without writing code; the presets of libs/ml are values of {@link modelPresetSchema}.
 */
import { z } from 'zod';
import { bool, describeValue, int, intOrPair, num, oneOf, positive, str, strict } from './checks';

/** Activations accepted in layer specs. */
export const ACTIVATIONS = ['relu', 'sigmoid', 'softmax', 'tanh', 'linear', 'elu'] as const;
/** An activation a layer spec may name. */
export type Activation = (typeof ACTIVATIONS)[number];

const PADDING = ['same', 'valid'] as const;

/** Fields every layer spec may carry besides its own. */
const named = { name: str().optional() };

/** A layer field that a layer type requires. */
const required = (type: string) => ({ missing: `required by ${type} layers` });

const activation = oneOf(ACTIVATIONS);
const padding = oneOf(PADDING);
/** An L2 penalty `kernelL2 * sum(kernel^2)` on a layer's kernel, added to the loss (Keras `regularizers.l2`). */
const kernelL2 = num({ min: 0 });
const dropoutRate = (type: string) => num({ min: 0, max: 1, maxExclusive: true }, required(type));

/** One schema per layer type; `type` is a tf.layers factory name or one of this project's layers. */
const LAYER_SCHEMAS = [
  strict({
    type: z.literal('conv2d'),
    ...named,
    filters: int(1, required('conv2d')),
    kernelSize: intOrPair(required('conv2d')),
    strides: intOrPair().optional(),
    padding: padding.optional(),
    activation: activation.optional(),
    kernelL2: kernelL2.optional(),
  }),
  strict({
    type: z.literal('separableConv2d'),
    ...named,
    filters: int(1, required('separableConv2d')),
    kernelSize: int(1, required('separableConv2d')),
    strides: int().optional(),
    padding: padding.optional(),
    activation: activation.optional(),
  }),
  strict({
    type: z.literal('maxPooling2d'),
    ...named,
    poolSize: int(1, required('maxPooling2d')),
    strides: int().optional(),
    padding: padding.optional(),
  }),
  strict({
    type: z.literal('averagePooling2d'),
    ...named,
    poolSize: int(1, required('averagePooling2d')),
    strides: int().optional(),
    padding: padding.optional(),
  }),
  strict({ type: z.literal('globalAveragePooling2d'), ...named }),
  strict({ type: z.literal('globalMaxPooling2d'), ...named }),
  strict({ type: z.literal('batchNormalization'), ...named }),
  strict({ type: z.literal('flatten'), ...named }),
  strict({
    type: z.literal('dense'),
    ...named,
    units: int(1, required('dense')),
    activation: activation.optional(),
    kernelL2: kernelL2.optional(),
  }),
  strict({ type: z.literal('dropout'), ...named, rate: dropoutRate('dropout') }),
  /** Dropout kept active at prediction (Monte Carlo dropout). */
  strict({ type: z.literal('mcDropout'), ...named, rate: dropoutRate('mcDropout') }),
  /**
   * Reparameterised Gaussian latent: input `[batch, 2d]` (mean, log-variance), output a sample
   * `[batch, d]`; adds `klWeight * KL` to the loss.
   */
  strict({
    type: z.literal('gaussianSampling'),
    ...named,
    klWeight: num({ min: 0 }).optional(),
    sampleAtInference: bool().optional(),
  }),
  strict({
    type: z.literal('activation'),
    ...named,
    activation: oneOf(ACTIVATIONS, required('activation')),
  }),
] as const;

/** Every layer type a spec may name. */
export const LAYER_TYPES = LAYER_SCHEMAS.map((s) => s.shape.type.value);

/**
 * One layer: `type` is a tf.layers factory name (or one of this project's custom layers,
 * `mcDropout` and `gaussianSampling`), the other fields its config (Keras names).
 */
export const layerSpecSchema = z.discriminatedUnion('type', LAYER_SCHEMAS, {
  error: (iss) => {
    const type = (iss.input as { type?: unknown } | undefined)?.type;
    if (typeof iss.input !== 'object' || iss.input === null || Array.isArray(iss.input))
      return `expected a mapping, got ${describeValue(iss.input)}`;
    return type === undefined
      ? `missing; one of ${LAYER_TYPES.join(', ')}`
      : `unknown layer type ${describeValue(type)}; known: ${LAYER_TYPES.join(', ')}`;
  },
});
/** One layer of a model (see {@link layerSpecSchema}). */
export type LayerSpec = z.infer<typeof layerSpecSchema>;

/** Optimizer recipe. */
export const optimizerSpecSchema = strict({
  type: oneOf(['adam', 'rmsprop', 'sgd']),
  learningRate: num({ min: 0 }),
});
/** Optimizer recipe. */
export type OptimizerSpec = z.infer<typeof optimizerSpecSchema>;

/**
 * Weight decay of an MC-dropout network derived from the model precision tau (Gal & Ghahramani
 * 2016): lambda = p * l^2 / (2 * N * tau), with p = 1 - dropout rate the keep probability, l the
 * prior length-scale, N the number of training images. Applied as an L2 penalty to every conv2d
 * and dense kernel without its own `kernelL2`.
 */
export const tauWeightDecaySchema = strict({
  /** Prior length-scale l of the weights (larger: weights expected to vary less). */
  lengthScale: positive(),
  /** Model precision tau (larger: less predictive noise, weaker decay). */
  tau: positive(),
  /** Dropout rate whose keep probability p = 1 - rate enters the formula. */
  dropoutRate: num({ min: 0, max: 1, maxExclusive: true }),
  /** N used when the actual training-set size is not given to buildModel. */
  trainSize: int(),
});
/** See {@link tauWeightDecaySchema}. */
export type TauWeightDecay = z.infer<typeof tauWeightDecaySchema>;

/** Losses a model may train with. */
export const LOSSES = ['categoricalCrossentropy', 'binaryCrossentropy'] as const;

const inputShape = z.tuple([int(), int(), int()], {
  error: (iss) => `expected [height, width, channels], got ${describeValue(iss.input)}`,
});
const layerList = z.array(layerSpecSchema, {
  error: (iss) => `expected a non-empty list of layers, got ${describeValue(iss.input)}`,
});

/** A complete, trainable model definition. */
export const modelPresetSchema = strict({
  /** Identifier used on the command line (`--preset fmnist-cnn`). */
  name: str(),
  /** One line for people. */
  description: str(),
  /** Input image shape `[height, width, channels]`. */
  inputShape,
  /** Layers in order; the last must produce one unit per class (softmax) or one unit (sigmoid). */
  layers: layerList.min(1, {
    error: (iss) => `expected a non-empty list of layers, got ${describeValue(iss.input)}`,
  }),
  optimizer: optimizerSpecSchema,
  loss: oneOf(LOSSES),
  /** Default batch size. */
  batchSize: int(),
  /** Default number of epochs. */
  epochs: int(),
  /** MC-dropout weight decay derived from tau (applied to conv2d/dense kernels by buildModel). */
  weightDecay: tauWeightDecaySchema.optional(),
});
/** A complete, trainable model definition. */
export type ModelPreset = z.infer<typeof modelPresetSchema>;

/**
 * The `model:` section of a config file: a full model, or (with `preset:`) the fields that
 * override the preset's. Which fields a model without preset needs is checked by the config's
 * loader; `optimizer.learningRate` defaults to the preset's.
 */
export const modelSectionSchema = strict({
  ...modelPresetSchema.shape,
  optimizer: strict({
    type: optimizerSpecSchema.shape.type,
    learningRate: num({ min: 0 }).optional(),
  }),
}).partial();
/** See {@link modelSectionSchema}. */
export type ModelSection = z.infer<typeof modelSectionSchema>;
