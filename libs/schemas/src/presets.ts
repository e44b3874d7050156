/**
 * The model presets as the API and the dashboard's "New run" form show them: name, one line,
 * input shape and number of classes. Static data so that the API needs no TF.js; a unit test
 * (test/unit/preset-info.test.ts) checks it equals libs/ml's PRESETS.
 */

/** What a client needs to offer a preset. */
export interface PresetInfo {
  /** Identifier (`preset:` in an experiment file). */
  name: string;
  /** One line for people. */
  description: string;
  /** Input image shape `[height, width, channels]`. */
  inputShape: readonly [number, number, number];
  /** Classes the model tells apart (2 for one sigmoid unit). */
  classes: number;
  /** Default epochs and batch size of the preset. */
  epochs: number;
  batchSize: number;
}

/** Every preset shipped with libs/ml, in its order. */
export const PRESET_INFO: readonly PresetInfo[] = [
  {
    name: 'fmnist-cnn',
    description: 'Two conv/max-pool blocks and a dense head for 28x28 grayscale Fashion-MNIST.',
    inputShape: [28, 28, 1],
    classes: 10,
    epochs: 5,
    batchSize: 64,
  },
  {
    name: 'monkey-eye',
    description:
      'Six conv/max-pool blocks (32-32-64-64-128-128) and a dense head for 128x128 RGB images, 10 classes.',
    inputShape: [128, 128, 3],
    classes: 10,
    epochs: 20,
    batchSize: 32,
  },
  {
    name: 'cats-dogs-small',
    description:
      'Four conv/max-pool blocks (32-64-128-128), dense 512 and one sigmoid unit for 150x150 RGB cats vs dogs.',
    inputShape: [150, 150, 3],
    classes: 2,
    epochs: 30,
    batchSize: 20,
  },
  {
    name: 'cifar3-cnn',
    description: 'Small fast CNN (conv 16-32, dense 64) for 32x32 RGB images, 3 classes.',
    inputShape: [32, 32, 3],
    classes: 3,
    epochs: 10,
    batchSize: 64,
  },
  {
    name: 'vnn',
    description:
      'Variational network: conv encoder, a 32-d Gaussian latent (mean, log-variance, reparameterised sample, KL in the loss), softmax head; 28x28 grayscale.',
    inputShape: [28, 28, 1],
    classes: 10,
    epochs: 8,
    batchSize: 64,
  },
  {
    name: 'mc-dropout-cnn',
    description:
      'CNN with dropout 0.5 kept active at prediction (MC dropout) and L2 weight decay derived from tau; 28x28 grayscale.',
    inputShape: [28, 28, 1],
    classes: 10,
    epochs: 10,
    batchSize: 64,
  },
];

/** The preset of that name, or undefined. */
export function presetInfo(name: string): PresetInfo | undefined {
  return PRESET_INFO.find((p) => p.name === name);
}
