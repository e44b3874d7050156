import { describe, expect, it } from 'vitest';
import {
  activationGrids,
  camClasses,
  cropRgba,
  camFile,
  camMethodsFor,
  formatShape,
  isExplanationIndex,
  packFileUrl,
  samplesWith,
  type ExplanationIndex,
  type PackFile,
} from './explain-pack';

const file = (name: string, kind: string, metadata: Record<string, unknown>): PackFile => ({
  name,
  kind,
  mimeType: 'image/png',
  bytes: 10,
  metadata: { kind, ...metadata },
});

const index: ExplanationIndex = {
  version: 1,
  createdAt: '2026-01-01T00:00:00Z',
  classNames: ['a', 'b', 'c'],
  imageShape: [4, 4, 1],
  camLayer: 'pool2',
  camMethods: ['gradcam', 'layercam', 'eigencam'],
  layers: [],
  samples: [
    { index: 3, label: 2, predicted: 0, confidence: 0.9, correct: false },
    { index: 7, label: 1, predicted: 1, confidence: 0.8, correct: true },
  ],
  files: [
    file('x1', 'activations', { sample: 3, layer: 'pool1', order: 1 }),
    file('x0', 'activations', { sample: 3, layer: 'conv1', order: 0 }),
    file('x2', 'activations', { sample: 7, layer: 'conv1', order: 0 }),
    file('g0', 'gradcam', { sample: 3, classIndex: 0, method: 'gradcam' }),
    file('g1', 'gradcam', { sample: 3, classIndex: 2, method: 'gradcam' }),
    file('g2', 'gradcam', { sample: 3, classIndex: 2, method: 'eigencam' }),
    file('g3', 'gradcam', { sample: 7, classIndex: 1, method: 'gradcam' }),
    file('l', 'lime', { sample: 7 }),
  ],
  totalBytes: 80,
  timings: {},
  skipped: [],
};

describe('explanation pack lookups', () => {
  it('recognises an index', () => {
    expect(isExplanationIndex(index)).toBe(true);
    expect(isExplanationIndex({ version: 2, files: [] })).toBe(false);
    expect(isExplanationIndex(null)).toBe(false);
  });

  it('orders a sample’s activation grids by layer', () => {
    expect(activationGrids(index, 3).map((f) => f.metadata.layer)).toEqual(['conv1', 'pool1']);
    expect(activationGrids(index, 99)).toEqual([]);
  });

  it('lists CAM classes true first, then predicted', () => {
    expect(camClasses(index, 3)).toEqual([2, 0]);
    expect(camClasses(index, 7)).toEqual([1]);
  });

  it('finds CAM files and the methods a class has, in the index order', () => {
    expect(camFile(index, 3, 2, 'eigencam')?.name).toBe('g2');
    expect(camFile(index, 3, 0, 'eigencam')).toBeUndefined();
    expect(camMethodsFor(index, 3, 2)).toEqual(['gradcam', 'eigencam']);
    expect(camMethodsFor(index, 3, 0)).toEqual(['gradcam']);
  });

  it('finds the samples with a kind of file', () => {
    expect(samplesWith(index, 'lime').map((s) => s.index)).toEqual([7]);
  });

  it('formats shapes and same-origin URLs', () => {
    expect(formatShape([28, 28, 32])).toBe('28 × 28 × 32');
    expect(formatShape([null, 10])).toBe('? × 10');
    expect(packFileUrl('r 1', 'explain.s3.cam.gradcam.c2.png')).toBe(
      '/runs/r%201/artifacts/explain.s3.cam.gradcam.c2.png',
    );
  });
});

describe('cropRgba', () => {
  it('copies one rectangle of an RGBA image', () => {
    // 3 x 2 image, pixel value = its index in every channel
    const data = Array.from({ length: 24 }, (_, i) => Math.floor(i / 4));
    const out = cropRgba({ data, width: 3 }, { x: 1, y: 0, width: 2, height: 2 });
    expect(Array.from(out).filter((_, i) => i % 4 === 0)).toEqual([1, 2, 4, 5]);
  });
});
