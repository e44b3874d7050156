import { describe, expect, it } from 'vitest';
import { getPreset } from '../models/presets';
import { parseExperimentConfig } from '../models/config';
import { configHyperparameters, flattenConfig, resolveRunConfig } from './resolved-config';

const TRAINING = {
  epochs: 3,
  batchSize: 64,
  learningRate: 0.001,
  seed: 7,
  patience: 2,
  validationSplit: 0.1,
  uncertaintyPasses: 100,
};

describe('flattenConfig', () => {
  it('flattens objects and arrays to dotted keys, leaving out undefined and empty containers', () => {
    expect(
      flattenConfig({
        a: 1,
        b: { c: 'x', d: [10, { e: true }], f: undefined, g: {}, h: [] },
        i: null,
        j: Number.POSITIVE_INFINITY,
      }),
    ).toEqual({
      a: 1,
      'b.c': 'x',
      'b.d.0': 10,
      'b.d.1.e': true,
      i: null,
      j: 'Infinity',
    });
  });
});

describe('resolveRunConfig + configHyperparameters', () => {
  it('records the weight decay, tau and dropout rates of an MC-dropout preset', () => {
    const preset = getPreset('mc-dropout-cnn');
    const flat = configHyperparameters(resolveRunConfig({ preset, training: TRAINING }));
    expect(flat['model.weightDecay.tau']).toBe(0.1);
    expect(flat['model.weightDecay.dropoutRate']).toBe(0.5);
    expect(flat['model.weightDecay.lengthScale']).toBe(1);
    expect(flat['training.uncertaintyPasses']).toBe(100);
    expect(flat['training.seed']).toBe(7);
    expect(flat['data.source']).toBe('fashion-mnist');
    // Every mcDropout layer's rate is a key of its own.
    const rates = Object.entries(flat).filter(
      ([k]) => k.startsWith('model.layers.') && k.endsWith('.rate'),
    );
    expect(rates.length).toBeGreaterThan(0);
    expect(rates.every(([, v]) => v === 0.5)).toBe(true);
    expect(flat['model.description']).toBeUndefined();
  });

  it('records image-folder settings with the split actually used, and augmentation', () => {
    const config = parseExperimentConfig(
      [
        'preset: cifar3-cnn',
        'data:',
        '  source: image-folder',
        '  folder: /data/cifar3',
        '  fit: cover',
        '  onBadFile: skip',
        'training:',
        '  augmentation:',
        '    horizontalFlip: true',
        '    rotationRange: 15',
      ].join('\n'),
      'x.yaml',
    );
    const flat = configHyperparameters(
      resolveRunConfig({
        preset: config.preset,
        training: { ...TRAINING, augmentation: config.training.augmentation },
        data: config.data,
      }),
    );
    expect(flat).toMatchObject({
      'data.source': 'image-folder',
      'data.folder': '/data/cifar3',
      'data.fit': 'cover',
      'data.onBadFile': 'skip',
      'data.split.validation': 0.1,
      'data.split.test': 0,
      'data.split.seed': 7,
      'training.augmentation.horizontalFlip': true,
      'training.augmentation.rotationRange': 15,
    });
  });

  it('replaces the per-layer keys by a layer count when they would not fit', () => {
    const preset = getPreset('fmnist-cnn');
    const many = {
      ...preset,
      layers: Array.from({ length: 2000 }, (_, i) => ({
        type: 'dropout' as const,
        rate: 0.1,
        name: `d${i}`,
      })),
    };
    const flat = configHyperparameters(resolveRunConfig({ preset: many, training: TRAINING }));
    expect(flat['model.layerCount']).toBe(2000);
    expect(Object.keys(flat).some((k) => k.startsWith('model.layers.'))).toBe(false);
    expect(flat['training.epochs']).toBe(3);
  });
});
