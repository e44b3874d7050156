/**
 * Model presets are data: a list of layer specs (Keras layer names and their config) plus the
 * training recipe. The same shape is accepted from JSON/YAML configs, so a user can define a
 * model without writing code.
 */

/** One layer: `type` is a tf.layers factory name, the other fields its config (Keras names). */
export type LayerSpec =
  | {
      type: 'conv2d';
      filters: number;
      kernelSize: number | [number, number];
      strides?: number;
      padding?: 'same' | 'valid';
      activation?: Activation;
      name?: string;
    }
  | {
      type: 'separableConv2d';
      filters: number;
      kernelSize: number;
      strides?: number;
      padding?: 'same' | 'valid';
      activation?: Activation;
      name?: string;
    }
  | {
      type: 'maxPooling2d';
      poolSize: number;
      strides?: number;
      padding?: 'same' | 'valid';
      name?: string;
    }
  | {
      type: 'averagePooling2d';
      poolSize: number;
      strides?: number;
      padding?: 'same' | 'valid';
      name?: string;
    }
  | { type: 'globalAveragePooling2d'; name?: string }
  | { type: 'batchNormalization'; name?: string }
  | { type: 'flatten'; name?: string }
  | { type: 'dense'; units: number; activation?: Activation; name?: string }
  | { type: 'dropout'; rate: number; name?: string }
  | { type: 'activation'; activation: Activation; name?: string };

/** Activations accepted in layer specs. */
export type Activation = 'relu' | 'sigmoid' | 'softmax' | 'tanh' | 'linear' | 'elu';

/** Optimizer recipe. */
export interface OptimizerSpec {
  type: 'adam' | 'rmsprop' | 'sgd';
  learningRate: number;
}

/** A complete, trainable model definition. */
export interface ModelPreset {
  /** Identifier used on the command line (`--preset fmnist-cnn`). */
  name: string;
  /** One line for people. */
  description: string;
  /** Input image shape `[height, width, channels]`. */
  inputShape: [number, number, number];
  /** Layers in order; the last must produce one unit per class (softmax) or one unit (sigmoid). */
  layers: LayerSpec[];
  optimizer: OptimizerSpec;
  loss: 'categoricalCrossentropy' | 'binaryCrossentropy';
  /** Default batch size. */
  batchSize: number;
  /** Default number of epochs. */
  epochs: number;
}

/** The presets shipped with the product. */
export const PRESETS: Record<string, ModelPreset> = {
  'fmnist-cnn': {
    name: 'fmnist-cnn',
    description: 'Two conv/max-pool blocks and a dense head for 28x28 grayscale Fashion-MNIST.',
    inputShape: [28, 28, 1],
    layers: [
      {
        type: 'conv2d',
        filters: 32,
        kernelSize: 3,
        padding: 'same',
        activation: 'relu',
        name: 'conv1',
      },
      { type: 'maxPooling2d', poolSize: 2, name: 'pool1' },
      {
        type: 'conv2d',
        filters: 64,
        kernelSize: 3,
        padding: 'same',
        activation: 'relu',
        name: 'conv2',
      },
      { type: 'maxPooling2d', poolSize: 2, name: 'pool2' },
      { type: 'flatten', name: 'flatten' },
      { type: 'dense', units: 128, activation: 'relu', name: 'fc1' },
      { type: 'dropout', rate: 0.3, name: 'dropout' },
      { type: 'dense', units: 10, activation: 'softmax', name: 'predictions' },
    ],
    optimizer: { type: 'adam', learningRate: 1e-3 },
    loss: 'categoricalCrossentropy',
    batchSize: 64,
    epochs: 5,
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
