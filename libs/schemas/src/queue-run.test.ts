import { describe, expect, it } from 'vitest';
import {
  buildQueueRunRequest,
  emptyNewRunForm,
  prefillNewRunForm,
  type NewRunFormValues,
} from './queue-run';

const form = (over: Partial<NewRunFormValues> = {}): NewRunFormValues => ({
  ...emptyNewRunForm('fmnist-cnn'),
  ...over,
});

describe('buildQueueRunRequest', () => {
  it('writes the fields into an experiment file, with tags, priority and requirements', () => {
    const r = buildQueueRunRequest(
      form({
        name: ' quick ',
        trainLimit: '600',
        epochs: '3',
        batchSize: '32',
        learningRate: '0.001',
        optimizer: 'sgd',
        tags: 'a, b,, a',
        priority: '5',
        backend: 'onednn',
        gpu: true,
        minMemoryMb: '2048',
      }),
      undefined,
      { sourceRunId: 'r1' },
    );
    expect(r).toEqual({
      ok: true,
      request: {
        name: 'quick',
        config: {
          preset: 'fmnist-cnn',
          data: { source: 'fashion-mnist' },
          training: { epochs: 3, batchSize: 32, learningRate: 0.001, trainLimit: 600 },
          model: { optimizer: { type: 'sgd' } },
        },
        tags: ['a', 'b'],
        priority: 5,
        requirements: { backend: 'onednn', gpu: true, minMemoryMb: 2048 },
        sourceRunId: 'r1',
      },
    });
  });

  it('names each wrong field, all at once, and builds nothing', () => {
    const r = buildQueueRunRequest(
      form({ epochs: '0', batchSize: 'ten', learningRate: '-1', priority: '1.5' }),
      undefined,
    );
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.errors.epochs).toBe('Epochs: expected an integer from 1 to 10,000, got 0');
    expect(r.errors.batchSize).toBe('Batch size: expected an integer from 1 to 65,536, got "ten"');
    expect(r.errors.learningRate).toBe('Learning rate: expected a number in (0, 10], got -1');
    expect(r.errors.priority).toBe('Priority: expected an integer from -1,000 to 1,000, got 1.5');
    expect(r.errors.name).toBeUndefined();
  });

  it('keeps the advanced config and lets the fields override it', () => {
    const r = buildQueueRunRequest(form({ epochs: '2' }), {
      training: { epochs: 9, seed: 7, augmentation: { horizontalFlip: true } },
      data: { classes: [0, 1] },
    });
    expect(r.ok && r.request.config).toEqual({
      preset: 'fmnist-cnn',
      training: { epochs: 2, seed: 7, augmentation: { horizontalFlip: true } },
      data: { source: 'fashion-mnist', classes: [0, 1] },
    });
  });

  it('reports a problem of the config box with its path, at the box', () => {
    const r = buildQueueRunRequest(form(), { training: { patience: -1 } });
    expect(r).toEqual({
      ok: false,
      errors: { configText: 'Config: training.patience: expected an integer >= 0, got -1' },
    });
    expect(buildQueueRunRequest(form(), ['not', 'a', 'mapping'])).toMatchObject({
      ok: false,
      errors: { configText: expect.stringMatching(/^Config: expected a mapping/) as string },
    });
  });

  it('needs a folder for an image folder and a preset or model', () => {
    expect(buildQueueRunRequest(form({ dataSource: 'image-folder' }), undefined)).toEqual({
      ok: false,
      errors: { folder: 'Image folder: required for an image folder' },
    });
    const noPreset = buildQueueRunRequest(form({ preset: '' }), undefined);
    expect(noPreset.ok).toBe(false);
    expect(!noPreset.ok && noPreset.errors.preset).toMatch(/^Preset: choose one/);
  });

  it('sends an image folder and drops Fashion-MNIST-only options', () => {
    const r = buildQueueRunRequest(
      form({ preset: 'monkey-eye', dataSource: 'image-folder', folder: '/data/monkeys' }),
      { data: { dir: '/x', onBadFile: 'skip' } },
    );
    expect(r.ok && r.request.config.data).toEqual({
      source: 'image-folder',
      folder: '/data/monkeys',
      onBadFile: 'skip',
    });
  });
});

describe('prefillNewRunForm', () => {
  it('splits a queued config into the fields and the rest, which round-trip', () => {
    const queuedConfig = {
      preset: 'fmnist-cnn',
      name: 'ignored',
      training: { epochs: 4, batchSize: 64, seed: 3, trainLimit: 500 },
      data: { source: 'fashion-mnist', classes: [1, 2] },
      model: { optimizer: { type: 'rmsprop', learningRate: 0.01 } },
    };
    const { values, rest } = prefillNewRunForm({
      name: 'base',
      tags: ['x', 'y'],
      notes: 'n',
      priority: 2,
      queuedConfig,
    });
    expect(values).toMatchObject({
      name: 'base (again)',
      preset: 'fmnist-cnn',
      epochs: '4',
      batchSize: '64',
      learningRate: '',
      trainLimit: '500',
      optimizer: 'rmsprop',
      tags: 'x, y',
      notes: 'n',
      priority: '2',
      dataSource: 'fashion-mnist',
    });
    expect(rest).toEqual({
      training: { seed: 3 },
      data: { classes: [1, 2] },
      model: { optimizer: { type: 'rmsprop', learningRate: 0.01 } },
    });
    const again = buildQueueRunRequest({ ...values, configText: '' }, rest);
    const { name: _n, ...file } = queuedConfig;
    expect(again.ok && again.request.config).toEqual(file);
  });

  it('takes a run started by hand from its hyperparameters', () => {
    const { values, rest } = prefillNewRunForm({
      name: 'manual',
      tags: [],
      hyperparameters: {
        preset: 'cifar3-cnn',
        epochs: 10,
        learningRate: 0.0005,
        optimizer: 'adam',
        seed: 42,
        loss: 'categoricalCrossentropy',
      },
    });
    expect(values).toMatchObject({
      preset: 'cifar3-cnn',
      epochs: '10',
      learningRate: '0.0005',
      optimizer: 'adam',
      priority: '0',
    });
    expect(rest).toEqual({ training: { seed: 42 } });
  });
});
