import { colormapIndex, colormapTable } from '@convscope/colormap';
import { describe, expect, it } from 'vitest';
import {
  camOverlay,
  decodeBase64,
  filterSheet,
  imageRgba,
  layerStatSeries,
  phaseBoundaries,
  resizeBilinear,
  snapshotRefs,
  stepLabel,
} from './snapshots-data';

describe('snapshotRefs', () => {
  it('keeps snapshot artifacts only, epochs in order, final last, each once', () => {
    const refs = snapshotRefs([
      'snapshot.final.json',
      'snapshot.e0010.json',
      'explain.index.json',
      'snapshot.index.json',
      'snapshot.probes.json',
      'snapshot.e0002.json',
      'snapshot.e0002.json',
      'snapshot.e2.json.bak',
    ]);
    expect(refs).toEqual([
      { name: 'snapshot.e0002.json', epoch: 2, final: false },
      { name: 'snapshot.e0010.json', epoch: 10, final: false },
      { name: 'snapshot.final.json', epoch: null, final: true },
    ]);
  });
});

describe('phaseBoundaries and stepLabel', () => {
  const steps = [
    { epoch: 1, phase: 'head', final: false },
    { epoch: 2, phase: 'head', final: false },
    { epoch: 3, phase: 'finetune', final: false },
    { epoch: 4, phase: 'finetune', final: false },
    { epoch: 4, phase: 'finetune', final: true },
  ];
  it('marks the step where the phase changes, halfway between steps', () => {
    // 5 steps: positions 0, .25, .5, .75, 1; the boundary between steps 1 and 2 is at .375.
    expect(phaseBoundaries(steps)).toEqual([
      { index: 2, fraction: 0.375, before: 'head', after: 'fine-tune' },
    ]);
    expect(phaseBoundaries(steps.map((s) => ({ ...s, phase: 'train' })))).toEqual([]);
    expect(phaseBoundaries([])).toEqual([]);
  });
  it('labels steps with their epoch, the final one and the phase when there are phases', () => {
    expect(stepLabel(steps[0]!, { phases: false })).toBe('epoch 1');
    expect(stepLabel(steps[4]!, { phases: false })).toBe('final (epoch 4)');
    expect(stepLabel(steps[2]!, { phases: true })).toBe('epoch 3, fine-tune');
  });
});

describe('pixels', () => {
  it('decodes base64 like Node does', () => {
    const bytes = Uint8Array.from([0, 1, 127, 128, 254, 255, 7]);
    expect(Array.from(decodeBase64(Buffer.from(bytes).toString('base64')))).toEqual(
      Array.from(bytes),
    );
  });
  it('turns one gray or RGB image of a batch into RGBA', () => {
    const gray = Uint8Array.from([1, 2, 3, 4, 5, 6, 7, 8]); // 2 images 2x2x1
    expect(Array.from(imageRgba(gray, [2, 2, 1], 1))).toEqual([
      5, 5, 5, 255, 6, 6, 6, 255, 7, 7, 7, 255, 8, 8, 8, 255,
    ]);
    const rgb = Uint8Array.from([10, 20, 30, 40, 50, 60]); // 1 image 1x2x3
    expect(Array.from(imageRgba(rgb, [1, 2, 3], 0))).toEqual([10, 20, 30, 255, 40, 50, 60, 255]);
    expect(() => imageRgba(gray, [2, 2, 1], 2)).toThrow(/past the 2 stored/);
  });
  it('resizes bilinearly with half-pixel centres (values by hand)', () => {
    // [0, 1] to 4 wide: source x = (X + .5) / 2 - .5 = -.25, .25, .75, 1.25 -> clamped 0, .25, .75, 1.
    expect(Array.from(resizeBilinear([0, 1], [1, 2], [1, 4]))).toEqual([0, 0.25, 0.75, 1]);
    expect(Array.from(resizeBilinear([0, 2, 4, 6], [2, 2], [2, 2]))).toEqual([0, 2, 4, 6]);
  });
  it('blends the stored map over the image with the colormap', () => {
    const image = [100, 100, 100, 255, 0, 0, 0, 255];
    const out = camOverlay({
      image,
      imageShape: [1, 2],
      map: Uint8Array.from([0, 255]),
      mapShape: [1, 2],
      alpha: 0.5,
      colormap: 'jet',
    });
    const lut = colormapTable('jet');
    const hot = colormapIndex(1) * 3;
    const cold = colormapIndex(0) * 3;
    expect(Array.from(out)).toEqual([
      Math.round(50 + 0.5 * lut[cold]!),
      Math.round(50 + 0.5 * lut[cold + 1]!),
      Math.round(50 + 0.5 * lut[cold + 2]!),
      255,
      Math.round(0.5 * lut[hot]!),
      Math.round(0.5 * lut[hot + 1]!),
      Math.round(0.5 * lut[hot + 2]!),
      255,
    ]);
    // A map at a lower resolution is resized to the image first: same result as a full one.
    const small = camOverlay({
      image: [...image, ...image],
      imageShape: [2, 2],
      map: Uint8Array.from([0, 255]),
      mapShape: [1, 2],
      alpha: 1,
      colormap: 'jet',
    });
    expect(Array.from(small.subarray(0, 4))).toEqual([
      lut[cold],
      lut[cold + 1],
      lut[cold + 2],
      255,
    ]);
  });
  it('tiles filters with padding, gray repeated and RGB as is', () => {
    const sheet = filterSheet(Uint8Array.from([10, 20, 30]), {
      count: 3,
      shape: [1, 1],
      channels: 1,
      columns: 2,
      padding: 0,
    });
    expect([sheet.width, sheet.height, sheet.columns, sheet.rows]).toEqual([5, 5, 2, 2]);
    const px = (x: number, y: number) =>
      Array.from(sheet.pixels.subarray((y * 5 + x) * 4, (y * 5 + x) * 4 + 4));
    expect(px(1, 1)).toEqual([10, 10, 10, 255]);
    expect(px(3, 1)).toEqual([20, 20, 20, 255]);
    expect(px(1, 3)).toEqual([30, 30, 30, 255]);
    expect(px(3, 3)).toEqual([0, 0, 0, 255]);
    const rgb = filterSheet(Uint8Array.from([1, 2, 3]), {
      count: 1,
      shape: [1, 1],
      channels: 3,
      columns: 8,
    });
    expect(Array.from(rgb.pixels.subarray((1 * 3 + 1) * 4, (1 * 3 + 1) * 4 + 4))).toEqual([
      1, 2, 3, 255,
    ]);
  });
});

describe('layerStatSeries', () => {
  it('follows one layer statistic across snapshots, skipping those without it', () => {
    const snaps = [
      { layers: [{ layer: 'conv1', mean: 0.1, std: 1, zeroFraction: 0.5 }] },
      null,
      { layers: [{ layer: 'conv1', mean: 0.3, std: 2, zeroFraction: 0.25 }] },
      {},
    ];
    expect(layerStatSeries(snaps, 'conv1', 'zeroFraction')).toEqual([
      { step: 0, value: 0.5 },
      { step: 2, value: 0.25 },
    ]);
    expect(layerStatSeries(snaps, 'conv9', 'mean')).toEqual([]);
  });
});
