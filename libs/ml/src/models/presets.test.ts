import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { selectBackend } from '../backend/select-backend';
import { buildModel, summarizeModel } from './build-model';
import { getPreset, PRESETS, tauWeightDecay } from './presets';
import { ConfigError, parseExperimentConfig } from './config';
import { MCDropout } from './custom-layers';

beforeAll(async () => {
  await selectBackend({ requested: 'wasm' });
});

describe('presets', () => {
  it('cats-dogs-small has the classic architecture (parameter count by hand) and a sigmoid output', () => {
    const m = buildModel(getPreset('cats-dogs-small'));
    const s = summarizeModel(m);
    expect(s.layers.map((l) => l.outputShape)).toEqual([
      [148, 148, 32],
      [74, 74, 32],
      [72, 72, 64],
      [36, 36, 64],
      [34, 34, 128],
      [17, 17, 128],
      [15, 15, 128],
      [7, 7, 128],
      [6272],
      [512],
      [1],
    ]);
    // 896 + 18,496 + 73,856 + 147,584 + 6272 * 512 + 512 + 513
    expect(s.totalParams).toBe(3_453_121);
    expect(getPreset('cats-dogs-small').loss).toBe('binaryCrossentropy');
    m.dispose();
  });

  it('every preset builds, ends in the declared output and leaks nothing', () => {
    for (const name of Object.keys(PRESETS)) {
      const before = tf.memory().numTensors;
      const m = buildModel(getPreset(name));
      const out = m.outputShape as number[];
      const last = getPreset(name).layers.at(-1)!;
      expect(out[1]).toBe(last.type === 'dense' ? last.units : -1);
      const optimizer = m.optimizer;
      m.dispose();
      optimizer.dispose();
      expect(tf.memory().numTensors).toBe(before);
    }
    expect(Object.keys(PRESETS)).toEqual([
      'fmnist-cnn',
      'monkey-eye',
      'cats-dogs-small',
      'cifar3-cnn',
      'vnn',
      'mc-dropout-cnn',
    ]);
  });

  it('monkey-eye has six conv blocks down to 2x2', () => {
    const s = summarizeModel(buildModel(getPreset('monkey-eye')));
    expect(s.layers.filter((l) => l.className === 'Conv2D')).toHaveLength(6);
    expect(s.layers.find((l) => l.name === 'pool6')!.outputShape).toEqual([2, 2, 128]);
  });

  it('derives the MC-dropout weight decay from tau and puts it on every kernel', () => {
    const spec = { lengthScale: 2, tau: 0.5, dropoutRate: 0.25, trainSize: 1000 };
    // (1 - 0.25) * 2^2 / (2 * 1000 * 0.5) = 3 / 1000
    expect(tauWeightDecay(spec)).toBeCloseTo(0.003, 12);
    expect(tauWeightDecay(spec, 3000)).toBeCloseTo(0.001, 12);
    const m = buildModel(getPreset('mc-dropout-cnn'), { trainSize: 500 });
    const lambda = (0.5 * 1) / (2 * 500 * 0.1);
    const regs = m.layers
      .filter((l) => l.getClassName() === 'Conv2D' || l.getClassName() === 'Dense')
      .map((l) => (l.getConfig().kernelRegularizer as { config: { l2: number } }).config.l2);
    expect(regs).toHaveLength(4);
    regs.forEach((r) => expect(r).toBeCloseTo(lambda, 8));
    expect(m.layers.filter((l) => l instanceof MCDropout)).toHaveLength(3);
    m.dispose();
  });

  it('names the layer when the input is too small for the stack', () => {
    const p = getPreset('monkey-eye');
    p.inputShape = [32, 32, 3];
    expect(() => buildModel(p)).toThrow(/layers\[\d+\] \(maxPooling2d "pool\d"\)/);
  });
});

describe('experiment configs', () => {
  it('accepts a preset with overrides', () => {
    const c = parseExperimentConfig(
      'preset: cifar3-cnn\nmodel:\n  optimizer: { type: sgd, learningRate: 0.01 }\ntraining:\n  epochs: 2\n  seed: 3\n',
    );
    expect(c.preset.name).toBe('cifar3-cnn');
    expect(c.preset.optimizer).toEqual({ type: 'sgd', learningRate: 0.01 });
    expect(c.preset.layers).toEqual(getPreset('cifar3-cnn').layers);
    expect(c.training).toEqual({ epochs: 2, seed: 3 });
    expect(c.data).toEqual({ source: 'fashion-mnist' });
    // The uncertainty passes of an MC-dropout run; 0 turns the evaluation off.
    for (const passes of [0, 250])
      expect(
        parseExperimentConfig(`preset: mc-dropout-cnn\ntraining: { uncertaintyPasses: ${passes} }`)
          .training,
      ).toEqual({ uncertaintyPasses: passes });
  });

  it('accepts a full model in JSON, named after the file', () => {
    const c = parseExperimentConfig(
      JSON.stringify({
        model: {
          inputShape: [28, 28, 1],
          layers: [{ type: 'flatten' }, { type: 'dense', units: 10, activation: 'softmax' }],
          optimizer: { type: 'adam', learningRate: 0.001 },
          loss: 'categoricalCrossentropy',
        },
        data: { source: 'image-folder', folder: '/data/x' },
      }),
      'configs/my-model.json',
    );
    expect(c.preset.name).toBe('my-model');
    expect(c.data).toEqual({ source: 'image-folder', folder: '/data/x' });
  });

  it('reads image-folder data (paths relative to the config file) and augmentation', () => {
    const c = parseExperimentConfig(
      `preset: monkey-eye
model: { inputShape: [64, 64, 3] }
data:
  folder: ../data/monkeys
  labelsFile: labels/monkey_labels.txt
  split: { validation: 0.2, test: 0.1, seed: 7 }
  onBadFile: skip
  fit: cover
training:
  augmentation:
    horizontalFlip: true
    rotationRange: 40
    widthShiftRange: 0.2
    heightShiftRange: [0, 1, 2]
    zoomRange: [0.8, 1.2]
    fillMode: constant
`,
      '/work/configs/monkeys.yaml',
    );
    expect(c.data).toEqual({
      source: 'image-folder',
      folder: '/work/data/monkeys',
      labelsFile: '/work/configs/labels/monkey_labels.txt',
      split: { validation: 0.2, test: 0.1, seed: 7 },
      onBadFile: 'skip',
      fit: 'cover',
    });
    expect(c.preset.inputShape).toEqual([64, 64, 3]);
    expect(c.training.augmentation).toEqual({
      horizontalFlip: true,
      rotationRange: 40,
      widthShiftRange: 0.2,
      heightShiftRange: [0, 1, 2],
      zoomRange: [0.8, 1.2],
      fillMode: 'constant',
    });
    // The decoded channels set the preset's input channels; absolute paths stay as written.
    const gray = parseExperimentConfig(
      'preset: cifar3-cnn\ndata: { folder: /data/cifar3, color: grayscale, labelsFile: false }',
      'x.yaml',
    );
    expect(gray.preset.inputShape).toEqual([32, 32, 1]);
    expect(gray.data).toMatchObject({ folder: '/data/cifar3', labelsFile: false });
  });

  const bad: [string, string | RegExp][] = [
    ['preset: nope', /preset: unknown preset "nope"; available: fmnist-cnn/],
    ['training: { epochs: 1 }', /a config needs `preset: NAME` or a full `model:`/],
    [
      'preset: vnn\nmodel:\n  layers:\n    - { type: conv3d, filters: 2 }\n    - { type: dense, units: 2 }',
      /model\.layers\[0\]\.type: unknown layer type "conv3d"; known: conv2d/,
    ],
    [
      'preset: vnn\nmodel:\n  layers:\n    - { type: conv2d, kernelSize: 3 }\n    - { type: dense, units: 2 }',
      'model.layers[0].filters: required by conv2d layers',
    ],
    [
      'preset: vnn\nmodel:\n  layers:\n    - { type: dense, units: 2, activaton: relu }',
      /model\.layers\[0\]\.activaton: unknown field/,
    ],
    [
      'preset: vnn\nmodel: { inputShape: [28, 28] }',
      /model\.inputShape: expected \[height, width, channels\]/,
    ],
    [
      'preset: vnn\nmodel: { inputShape: [28, 0, 1] }',
      /model\.inputShape\[1\]: expected an integer >= 1, got 0/,
    ],
    [
      'model: { inputShape: [8, 8, 1], layers: [{ type: flatten }, { type: dense, units: 1 }] }',
      'model.optimizer: required when no preset is given',
    ],
    [
      'preset: vnn\ntraining: { epochs: 2.5 }',
      'training.epochs: expected an integer >= 1, got 2.5',
    ],
    [
      'preset: vnn\ntraining: { uncertaintyPasses: -1 }',
      'training.uncertaintyPasses: expected an integer >= 0, got -1',
    ],
    [
      'preset: vnn\ntraining: { validationSplit: 1 }',
      /training\.validationSplit: expected a number in \[0, 1\)/,
    ],
    [
      'preset: vnn\ndata: { source: imagenet }',
      /data\.source: expected one of fashion-mnist, image-folder/,
    ],
    ['preset: vnn\ndata: { source: image-folder }', /data\.folder: expected a non-empty string/],
    ['preset: vnn\ndata: { source: image-folder, path: /x }', 'data.path: renamed'],
    [
      'preset: vnn\ndata: { folder: /x, onBadFile: ignore }',
      /data\.onBadFile: expected one of skip, fail/,
    ],
    ['preset: vnn\ndata: { folder: /x, colour: rgb }', /data\.colour: unknown field/],
    [
      'preset: vnn\ndata: { folder: /x, split: { test: 1 } }',
      /data\.split\.test: expected a number in \[0, 1\)/,
    ],
    [
      'preset: vnn\ndata: { folder: /x, split: { validation: 0.5, test: 0.5 } }',
      'data.split: validation + test must leave some training images',
    ],
    [
      'preset: vnn\nmodel: { inputShape: [28, 28, 1] }\ndata: { folder: /x, color: rgb }',
      'data.color: rgb images have 3 channel(s) but model.inputShape has 1',
    ],
    [
      'preset: vnn\ndata: { folder: /x }\ntransfer: { base: { pretrain: { classes: [0] } } }',
      /transfer\.base\.pretrain: pretraining a base on other classes needs fashion-mnist data/,
    ],
    [
      'preset: vnn\ntraining: { augmentation: { horizontalFlip: 1 } }',
      'training.augmentation.horizontalFlip: expected true or false, got 1',
    ],
    [
      'preset: vnn\ntraining: { augmentation: { rotationRange: -5 } }',
      /training\.augmentation\.rotationRange: expected a number in \[0, 180\]/,
    ],
    [
      'preset: vnn\ntraining: { augmentation: { widthShiftRange: [0.1, x] } }',
      /training\.augmentation\.widthShiftRange\[1\]: expected a number/,
    ],
    [
      'preset: vnn\ntraining: { augmentation: { zoomRange: [1.2, 0.8] } }',
      /training\.augmentation\.zoomRange\[1\]: expected a number in \[1\.2/,
    ],
    [
      'preset: vnn\ntraining: { augmentation: { fillMode: mirror } }',
      /training\.augmentation\.fillMode: expected one of nearest, constant, reflect, wrap/,
    ],
    [
      'preset: vnn\ntraining: { augmentation: { flip: true } }',
      /training\.augmentation\.flip: unknown field/,
    ],
    ['preset: vnn\nbogus: 1', /bogus: unknown field; allowed: preset, model/],
    [
      'preset: fmnist-cnn\ndata: { classes: [5, 6] }\ntransfer: { base: { pretrain: { classes: [4, 5] } } }',
      /transfer\.base\.pretrain\.classes: shares classes 5 with data\.classes/,
    ],
    ['preset: vnn\ntransfer: { headEpochs: 2 }', /transfer\.base: required/],
  ];
  it.each(bad)('rejects %j naming the field', (text, message) => {
    expect(() => parseExperimentConfig(text, 'f.yaml')).toThrow(ConfigError);
    expect(() => parseExperimentConfig(text, 'f.yaml')).toThrow(message);
  });

  it('rejects binary cross-entropy without one sigmoid unit, and invalid YAML', () => {
    expect(() =>
      parseExperimentConfig('preset: fmnist-cnn\nmodel: { loss: binaryCrossentropy }'),
    ).toThrow(/model\.layers\[7\]: binaryCrossentropy needs a last dense layer of 1 sigmoid unit/);
    expect(() => parseExperimentConfig('preset: [1', 'x.yaml')).toThrow(
      /^x\.yaml: not valid YAML\/JSON/,
    );
  });
});
