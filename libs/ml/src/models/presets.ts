/**
 * Model presets are data: a list of layer specs (Keras layer names and their config) plus the
 * training recipe. The same shape is accepted from JSON/YAML configs, so a user can define a
 * model without writing code. The types and their checks are the zod schemas of
 * @convscope/schemas (re-exported here for the lib's callers).
 */
import type { LayerSpec, ModelPreset, TauWeightDecay } from '@convscope/schemas';

export {
  ACTIVATIONS,
  LAYER_TYPES,
  type Activation,
  type LayerSpec,
  type ModelPreset,
  type OptimizerSpec,
  type TauWeightDecay,
} from '@convscope/schemas';

/** lambda = (1 - dropoutRate) * lengthScale^2 / (2 * trainSize * tau); see {@link TauWeightDecay}. */
export function tauWeightDecay(spec: TauWeightDecay, trainSize = spec.trainSize): number {
  if (!(spec.tau > 0) || !(trainSize > 0) || !(spec.lengthScale > 0))
    throw new RangeError('tau, lengthScale and trainSize must be > 0');
  return ((1 - spec.dropoutRate) * spec.lengthScale ** 2) / (2 * trainSize * spec.tau);
}

/**
 * `conv2d` (3x3, relu) + `maxPooling2d` (2) blocks named conv1, pool1, conv2, pool2, ...; with
 * `mcDropout`, each block ends in an always-on dropout of that rate (mc_dropout1, ...).
 */
function convBlocks(
  filters: number[],
  padding: 'same' | 'valid',
  options: { mcDropout?: number } = {},
): LayerSpec[] {
  const { mcDropout } = options;
  return filters.flatMap((f, i): LayerSpec[] => [
    {
      type: 'conv2d',
      filters: f,
      kernelSize: 3,
      padding,
      activation: 'relu',
      name: `conv${i + 1}`,
    },
    { type: 'maxPooling2d', poolSize: 2, name: `pool${i + 1}` },
    ...(mcDropout === undefined ? [] : [mcDropoutLayer(mcDropout, i + 1)]),
  ]);
}

function mcDropoutLayer(rate: number, index: number): LayerSpec {
  return { type: 'mcDropout', rate, name: `mc_dropout${index}` };
}

/**
 * The classifier head every preset ends in: flatten, a relu dense `fc1`, the `middle` layers
 * (dropout, a latent, ...) and the `predictions` layer.
 */
function denseHead(head: {
  units: number;
  middle?: LayerSpec[];
  classes: number;
  activation: 'softmax' | 'sigmoid';
}): LayerSpec[] {
  return [
    { type: 'flatten', name: 'flatten' },
    { type: 'dense', units: head.units, activation: 'relu', name: 'fc1' },
    ...(head.middle ?? []),
    { type: 'dense', units: head.classes, activation: head.activation, name: 'predictions' },
  ];
}

/** The training recipe most presets share: Adam at 1e-3 on categorical cross-entropy. */
function adamRecipe(
  batchSize: number,
  epochs: number,
): Pick<ModelPreset, 'optimizer' | 'loss' | 'batchSize' | 'epochs'> {
  return {
    optimizer: { type: 'adam', learningRate: 1e-3 },
    loss: 'categoricalCrossentropy',
    batchSize,
    epochs,
  };
}

/** The presets shipped with the product. */
export const PRESETS: Record<string, ModelPreset> = {
  'fmnist-cnn': {
    name: 'fmnist-cnn',
    description: 'Two conv/max-pool blocks and a dense head for 28x28 grayscale Fashion-MNIST.',
    inputShape: [28, 28, 1],
    layers: [
      ...convBlocks([32, 64], 'same'),
      ...denseHead({
        units: 128,
        middle: [{ type: 'dropout', rate: 0.3, name: 'dropout' }],
        classes: 10,
        activation: 'softmax',
      }),
    ],
    ...adamRecipe(64, 5),
  },
  'monkey-eye': {
    name: 'monkey-eye',
    description:
      'Six conv/max-pool blocks (32-32-64-64-128-128) and a dense head for 128x128 RGB images, 10 classes.',
    inputShape: [128, 128, 3],
    layers: [
      ...convBlocks([32, 32, 64, 64, 128, 128], 'same'),
      ...denseHead({
        units: 256,
        middle: [{ type: 'dropout', rate: 0.5, name: 'dropout' }],
        classes: 10,
        activation: 'softmax',
      }),
    ],
    ...adamRecipe(32, 20),
  },
  'cats-dogs-small': {
    name: 'cats-dogs-small',
    description:
      'Four conv/max-pool blocks (32-64-128-128), dense 512 and one sigmoid unit for 150x150 RGB cats vs dogs.',
    inputShape: [150, 150, 3],
    layers: [
      ...convBlocks([32, 64, 128, 128], 'valid'),
      ...denseHead({ units: 512, classes: 1, activation: 'sigmoid' }),
    ],
    optimizer: { type: 'rmsprop', learningRate: 1e-4 },
    loss: 'binaryCrossentropy',
    batchSize: 20,
    epochs: 30,
  },
  'cifar3-cnn': {
    name: 'cifar3-cnn',
    description: 'Small fast CNN (conv 16-32, dense 64) for 32x32 RGB images, 3 classes.',
    inputShape: [32, 32, 3],
    layers: [
      ...convBlocks([16, 32], 'same'),
      ...denseHead({ units: 64, classes: 3, activation: 'softmax' }),
    ],
    ...adamRecipe(64, 10),
  },
  vnn: {
    name: 'vnn',
    description:
      'Variational network: conv encoder, a 32-d Gaussian latent (mean, log-variance, reparameterised sample, KL in the loss), softmax head; 28x28 grayscale.',
    inputShape: [28, 28, 1],
    layers: [
      ...convBlocks([32, 64], 'same'),
      ...denseHead({
        units: 128,
        middle: [
          // Linear: the first 32 columns are the latent mean, the last 32 its log-variance.
          { type: 'dense', units: 64, activation: 'linear', name: 'z_params' },
          { type: 'gaussianSampling', klWeight: 1e-3, name: 'z' },
        ],
        classes: 10,
        activation: 'softmax',
      }),
    ],
    ...adamRecipe(64, 8),
  },
  'mc-dropout-cnn': {
    name: 'mc-dropout-cnn',
    description:
      'CNN with dropout 0.5 kept active at prediction (MC dropout) and L2 weight decay derived from tau; 28x28 grayscale.',
    inputShape: [28, 28, 1],
    layers: [
      ...convBlocks([32, 64], 'same', { mcDropout: 0.5 }),
      ...denseHead({
        units: 128,
        middle: [mcDropoutLayer(0.5, 3)],
        classes: 10,
        activation: 'softmax',
      }),
    ],
    ...adamRecipe(64, 10),
    // lambda = 0.5 * 1^2 / (2 * 54000 * 0.1) = 4.6e-5 on the full Fashion-MNIST training split.
    weightDecay: { lengthScale: 1, tau: 0.1, dropoutRate: 0.5, trainSize: 54000 },
  },
};

/** Looks up a preset by name; the error lists the known ones. */
export function getPreset(name: string): ModelPreset {
  const preset = PRESETS[name];
  if (!preset) {
    throw new Error(`unknown preset "${name}"; available: ${Object.keys(PRESETS).join(', ')}`);
  }
  return structuredClone(preset);
}
