import { describe, expect, it } from 'vitest';
import {
  experimentFileSchema,
  firstIssue,
  layerSpecSchema,
  modelPresetSchema,
  problemText,
  type LayerSpec,
} from './index';

/** The one-line message the schemas give for `value`, or null when it is valid. */
function problemOf(
  schema: { safeParse(v: unknown): { success: boolean; error?: { issues: unknown[] } } },
  value: unknown,
): string | null {
  const r = schema.safeParse(value);
  if (r.success) return null;
  return problemText(firstIssue((r.error?.issues ?? []) as Parameters<typeof firstIssue>[0]));
}

const model = (layers: unknown[]) => ({ model: { layers } });

describe('experiment file schema: messages name the path', () => {
  it.each([
    [
      model([{ type: 'dense', units: 0 }]),
      'model.layers[0].units: expected an integer >= 1, got 0',
    ],
    [
      model([
        { type: 'flatten' },
        { type: 'flatten' },
        { type: 'conv2d', filters: 2.5, kernelSize: 3 },
      ]),
      'model.layers[2].filters: expected an integer >= 1, got 2.5',
    ],
    [
      model([{ type: 'conv2d', kernelSize: 3 }]),
      'model.layers[0].filters: required by conv2d layers',
    ],
    [model([{ filters: 3 }]), /^model\.layers\[0\]\.type: missing; one of conv2d, /],
    [model([{ type: 'conv3d' }]), /^model\.layers\[0\]\.type: unknown layer type "conv3d"/],
    [
      model([{ type: 'conv2d', filters: 2, kernelSize: [3, 0] }]),
      'model.layers[0].kernelSize[1]: expected an integer >= 1, got 0',
    ],
    [
      model([{ type: 'conv2d', filters: 2, kernelSize: [3, 3, 3] }]),
      'model.layers[0].kernelSize: expected an integer or a pair [h, w], got [3,3,3]',
    ],
    [
      model([{ type: 'dense', units: 2, activaton: 'relu' }]),
      /^model\.layers\[0\]\.activaton: unknown field; allowed: type, name, units/,
    ],
    [
      { training: { validationSplit: 1 } },
      'training.validationSplit: expected a number in [0, 1), got 1',
    ],
    [
      { training: { augmentation: { zoomRange: [1.2, 0.8] } } },
      'training.augmentation.zoomRange[1]: expected a number in [1.2, ∞], got 0.8',
    ],
    [
      { training: { augmentation: { widthShiftRange: [] } } },
      'training.augmentation.widthShiftRange: expected a number or a non-empty list of numbers',
    ],
    [
      { data: { source: 'imagenet' } },
      'data.source: expected one of fashion-mnist, image-folder, got "imagenet"',
    ],
    [
      { data: { source: 'image-folder', path: '/x' } },
      'data.path: renamed: give the image folder as data.folder',
    ],
    [{ data: { classes: [1, 1] } }, 'data.classes: lists a class twice'],
    [
      { data: { folder: '/x', split: { validation: 0.5, test: 0.5 } } },
      'data.split: validation + test must leave some training images (sum < 1)',
    ],
    [{ transfer: { headEpochs: 2 } }, /^transfer\.base: required/],
    [
      { transfer: { base: 'm', unfreeze: 0 } },
      'transfer.unfreeze: expected an integer >= 1, got 0',
    ],
    [{ tags: 'a' }, 'tags: expected a list of strings, got "a"'],
    [{ bogus: 1 }, /^bogus: unknown field; allowed: preset, model/],
    [[1], 'expected a mapping, got [1]'],
  ])('%j: %s', (value, message) => {
    const got = problemOf(experimentFileSchema, value);
    if (typeof message === 'string') expect(got).toBe(message);
    else expect(got).toMatch(message);
  });

  it('accepts a valid file, infers the data source and fills the transfer defaults', () => {
    const r = experimentFileSchema.parse({
      preset: 'fmnist-cnn',
      data: { folder: 'images' },
      transfer: { base: 'models/base' },
    });
    expect(r.data).toEqual({ source: 'image-folder', folder: 'images' });
    expect(r.transfer).toEqual({ base: 'models/base', headEpochs: 5, fineTuneEpochs: 5 });
    expect(experimentFileSchema.parse({ data: {} }).data).toEqual({ source: 'fashion-mnist' });
  });
});

describe('model schemas', () => {
  it('types a layer spec from the schema and keeps valid specs as given', () => {
    const spec: LayerSpec = { type: 'conv2d', filters: 8, kernelSize: [3, 5], padding: 'same' };
    expect(layerSpecSchema.parse(spec)).toEqual(spec);
  });

  it('rejects a preset without layers, naming the field', () => {
    const preset = {
      name: 'p',
      description: 'd',
      inputShape: [8, 8, 1],
      layers: [],
      optimizer: { type: 'adam', learningRate: 0.001 },
      loss: 'categoricalCrossentropy',
      batchSize: 4,
      epochs: 1,
    };
    expect(problemOf(modelPresetSchema, preset)).toBe(
      'layers: expected a non-empty list of layers, got []',
    );
    expect(problemOf(modelPresetSchema, { ...preset, layers: [{ type: 'flatten' }] })).toBeNull();
  });
});
