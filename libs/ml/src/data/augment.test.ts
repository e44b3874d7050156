import { describe, expect, it } from 'vitest';
import sharp from 'sharp';
import {
  IDENTITY_TRANSFORM,
  applyTransform,
  createAugmenter,
  randomTransform,
  renderAugmentationGrid,
  type AffineParams,
  type SamplingOptions,
} from './augment';
import { createRng } from '../util/rng';

const t = (p: Partial<AffineParams>): AffineParams => ({ ...IDENTITY_TRANSFORM, ...p });
const apply = (
  img: number[],
  shape: [number, number, number],
  p: Partial<AffineParams>,
  o: SamplingOptions = {},
) => Array.from(applyTransform(img, shape, t(p), o));

// 3x3 grayscale, rows: 1 2 3 / 4 5 6 / 7 8 9
const img3 = [1, 2, 3, 4, 5, 6, 7, 8, 9];
// 4x4 with two channels, value = 10 * (4y + x) + channel, so every pixel and channel differs
const n4 = 4;
const img4 = Array.from({ length: n4 * n4 * 2 }, (_, i) => 10 * Math.floor(i / 2) + (i % 2));
const at4 = (y: number, x: number, c: number) => img4[(y * n4 + x) * 2 + c] ?? NaN;
const build4 = (f: (y: number, x: number, c: number) => number) =>
  Array.from({ length: n4 * n4 * 2 }, (_, i) => {
    const p = Math.floor(i / 2);
    return f(Math.floor(p / n4), p % n4, i % 2);
  });

describe('applyTransform', () => {
  for (const interpolation of ['nearest', 'bilinear'] as const) {
    it(`flips exactly (${interpolation})`, () => {
      const o = { interpolation };
      expect(apply(img3, [3, 3, 1], { flipHorizontal: true }, o)).toEqual([
        3, 2, 1, 6, 5, 4, 9, 8, 7,
      ]);
      expect(apply(img3, [3, 3, 1], { flipVertical: true }, o)).toEqual([
        7, 8, 9, 4, 5, 6, 1, 2, 3,
      ]);
      expect(apply(img4, [4, 4, 2], { flipHorizontal: true }, o)).toEqual(
        build4((y, x, c) => at4(y, n4 - 1 - x, c)),
      );
      // A flip combined with an affine part goes through the sampling path: still exact.
      expect(apply(img4, [4, 4, 2], { flipVertical: true, shiftX: 1 }, { ...o, fillMode: 'constant', cval: -1 })).toEqual(
        build4((y, x, c) => (x + 1 < n4 ? at4(n4 - 1 - y, x + 1, c) : -1)),
      );
    });

    it(`rotates by right angles exactly (${interpolation})`, () => {
      const o = { interpolation };
      // +90: counter-clockwise as displayed; worked out by hand from the 3x3 grid.
      expect(apply(img3, [3, 3, 1], { rotation: 90 }, o)).toEqual([3, 6, 9, 2, 5, 8, 1, 4, 7]);
      expect(apply(img3, [3, 3, 1], { rotation: -90 }, o)).toEqual([7, 4, 1, 8, 5, 2, 9, 6, 3]);
      expect(apply(img3, [3, 3, 1], { rotation: 180 }, o)).toEqual([9, 8, 7, 6, 5, 4, 3, 2, 1]);
      // Even size: the centre (1.5, 1.5) lies between pixels, still a permutation (numpy's rot90).
      expect(apply(img4, [4, 4, 2], { rotation: 90 }, o)).toEqual(
        build4((y, x, c) => at4(x, n4 - 1 - y, c)),
      );
      expect(apply(img4, [4, 4, 2], { rotation: 270 }, o)).toEqual(
        build4((y, x, c) => at4(n4 - 1 - x, y, c)),
      );
    });

    it(`shifts content by whole pixels exactly (${interpolation})`, () => {
      const o: SamplingOptions = { interpolation, fillMode: 'constant', cval: -1 };
      // shiftX = 2: the output at x shows the input at x + 2 (content moves 2 pixels left).
      expect(apply(img4, [4, 4, 2], { shiftX: 2 }, o)).toEqual(
        build4((y, x, c) => (x + 2 < n4 ? at4(y, x + 2, c) : -1)),
      );
      // shiftY = -1: content moves 1 pixel down, the top row is filled.
      expect(apply(img4, [4, 4, 2], { shiftY: -1 }, o)).toEqual(
        build4((y, x, c) => (y >= 1 ? at4(y - 1, x, c) : -1)),
      );
      expect(apply(img4, [4, 4, 2], { shiftX: -3, shiftY: 2 }, o)).toEqual(
        build4((y, x, c) => (x >= 3 && y + 2 < n4 ? at4(y + 2, x - 3, c) : -1)),
      );
    });
  }

  it('fills with nearest, constant, reflect and wrap like Keras (abcd)', () => {
    const row = [10, 20, 30, 40];
    const shift2 = (o: SamplingOptions) => apply(row, [1, 4, 1], { shiftX: 2 }, o);
    expect(shift2({ fillMode: 'nearest' })).toEqual([30, 40, 40, 40]); // aaaa|abcd|dddd
    expect(shift2({ fillMode: 'constant', cval: 7 })).toEqual([30, 40, 7, 7]);
    expect(shift2({ fillMode: 'reflect' })).toEqual([30, 40, 40, 30]); // abcd|dcba
    expect(shift2({ fillMode: 'wrap' })).toEqual([30, 40, 10, 20]); // abcd|abcd
    // Far outside: reflect has period 2n, wrap period n.
    expect(apply(row, [1, 4, 1], { shiftX: -6 }, { fillMode: 'reflect' })).toEqual([
      30, 40, 40, 30,
    ]);
    expect(apply(row, [1, 4, 1], { shiftX: -6 }, { fillMode: 'wrap' })).toEqual([30, 40, 10, 20]);
  });

  it('interpolates bilinearly between pixels and rescales', () => {
    const row = [10, 20, 30, 40];
    expect(apply(row, [1, 4, 1], { shiftX: 0.5 })).toEqual([15, 25, 35, 40]);
    expect(apply(row, [1, 4, 1], { shiftX: 0.5 }, { interpolation: 'nearest' })).toEqual([
      20, 30, 40, 40,
    ]);
    // Zoom 0.5 about the centre (x = 2): the output at x samples 2 + (x - 2) / 2.
    expect(apply([0, 10, 20, 30, 40], [1, 5, 1], { zoomX: 0.5, zoomY: 0.5 })).toEqual([
      10, 15, 20, 25, 30,
    ]);
    expect(apply(row, [1, 4, 1], { flipHorizontal: true }, { rescale: 0.5 })).toEqual([
      20, 15, 10, 5,
    ]);
  });

  it('shears along x in proportion to the row offset from the centre', () => {
    // Every column holds 10 * x, so only the x coordinate of the sample matters:
    // the output at (x, y) samples x - sin(20°) * (y - 1).
    const img = [0, 10, 20, 0, 10, 20, 0, 10, 20];
    const s = 10 * Math.sin((20 * Math.PI) / 180);
    const out = apply(img, [3, 3, 1], { shear: 20 });
    const expected = [s, 10 + s, 20, 0, 10, 20, 0, 10 - s, 20 - s];
    expect(out).toHaveLength(expected.length);
    out.forEach((v, i) => expect(v).toBeCloseTo(expected[i]!, 5)); // float32 output
  });
});

describe('randomTransform and createAugmenter', () => {
  it('draws within the configured ranges', () => {
    const rng = createRng(1);
    const flips = { h: 0, v: 0 };
    for (let i = 0; i < 500; i++) {
      const p = randomTransform(
        {
          rotationRange: 30,
          widthShiftRange: 0.25,
          heightShiftRange: 3,
          shearRange: 10,
          zoomRange: [0.8, 1.1],
          horizontalFlip: true,
          verticalFlip: true,
        },
        [8, 16, 3],
        rng,
      );
      expect(Math.abs(p.rotation)).toBeLessThanOrEqual(30);
      expect(Math.abs(p.shiftX)).toBeLessThanOrEqual(4); // 0.25 of the width 16
      expect(Math.abs(p.shiftY)).toBeLessThanOrEqual(3); // pixels
      expect(Math.abs(p.shear)).toBeLessThanOrEqual(10);
      for (const z of [p.zoomX, p.zoomY]) {
        expect(z).toBeGreaterThanOrEqual(0.8);
        expect(z).toBeLessThanOrEqual(1.1);
      }
      flips.h += Number(p.flipHorizontal);
      flips.v += Number(p.flipVertical);
    }
    expect(flips.h).toBeGreaterThan(200);
    expect(flips.h).toBeLessThan(300);
    expect(flips.v).toBeGreaterThan(200);
    expect(flips.v).toBeLessThan(300);
    // Nothing configured: nothing drawn.
    expect(randomTransform({}, [4, 4, 1], createRng(2))).toEqual(IDENTITY_TRANSFORM);
  });

  it('list shift ranges give whole-pixel shifts with a random sign', () => {
    const rng = createRng(3);
    const seen = new Set<number>();
    for (let i = 0; i < 200; i++) {
      seen.add(randomTransform({ widthShiftRange: [2] }, [4, 4, 1], rng).shiftX);
      // Fractions in a list are of the size: 0.5 of height 6 = 3 pixels.
      expect(Math.abs(randomTransform({ heightShiftRange: [0.5] }, [6, 4, 1], rng).shiftY)).toBe(3);
    }
    expect([...seen].sort()).toEqual([-2, 2]);
  });

  it('a random whole-pixel shift moves content by exactly that many pixels', () => {
    const aug = createAugmenter({
      config: { widthShiftRange: [1], fillMode: 'constant', cval: 0, rescale: 1 },
      shape: [4, 4, 2],
      seed: 11,
    });
    const bytes = Uint8Array.from(img4, (v) => v + 1); // + 1 so no pixel equals the fill
    const out = Array.from(aug.augment(bytes, 1));
    const dx = aug.lastTransforms[0]!.shiftX;
    expect(Math.abs(dx)).toBe(1);
    expect(out).toEqual(
      build4((y, x, c) => (x + dx >= 0 && x + dx < n4 ? at4(y, x + dx, c) + 1 : 0)),
    );
  });

  it('is deterministic for a seed and differs across seeds', () => {
    const config = {
      rotationRange: 25,
      widthShiftRange: 0.2,
      zoomRange: 0.2,
      shearRange: 5,
      horizontalFlip: true,
    };
    const shape: [number, number, number] = [6, 6, 3];
    const bytes = Uint8Array.from({ length: 4 * 6 * 6 * 3 }, (_, i) => (i * 37) % 256);
    const run = (seed: number) => {
      const a = createAugmenter({ config, shape, seed });
      return [Array.from(a.augment(bytes, 4)), Array.from(a.augment(bytes, 4))];
    };
    const [a1, a2] = run(5);
    const [b1, b2] = run(5);
    expect(b1).toEqual(a1);
    expect(b2).toEqual(a2);
    expect(a2).not.toEqual(a1); // the stream goes on between batches
    expect(run(6)[0]).not.toEqual(a1);
    // config.seed wins over the default seed.
    const c = createAugmenter({ config: { ...config, seed: 5 }, shape, seed: 99 });
    expect(Array.from(c.augment(bytes, 4))).toEqual(a1);
  });

  it('rescales by 1/255 by default', () => {
    const a = createAugmenter({ config: {}, shape: [1, 2, 1] });
    const [white, grey] = a.augment(Uint8Array.from([255, 51]), 1);
    expect(white).toBeCloseTo(1, 6);
    expect(grey).toBeCloseTo(0.2, 6);
  });
});

describe('renderAugmentationGrid', () => {
  it('renders N samples into one PNG with the expected layout', async () => {
    const shape: [number, number, number] = [4, 4, 3];
    const images = new Uint8Array(2 * 48);
    for (let p = 0; p < 16; p++) images.set([200, 10, 10], p * 3); // image 0: red
    for (let p = 0; p < 16; p++) images.set([10, 10, 200], 48 + p * 3); // image 1: blue
    const png = await renderAugmentationGrid({
      images: { images, labels: Uint8Array.from([0, 1]), count: 2 },
      shape,
      config: { horizontalFlip: true, rotationRange: 90 },
      samples: 5,
      columns: 3,
      scale: 2,
      gap: 1,
    });
    const { data, info } = await sharp(png).raw().toBuffer({ resolveWithObject: true });
    // 3 columns of 8 px + 4 gaps; 2 rows of 8 px + 3 gaps.
    expect([info.format, info.width, info.height, info.channels]).toEqual(['raw', 28, 19, 3]);
    const px = (x: number, y: number) => Array.from(data.subarray((y * 28 + x) * 3, (y * 28 + x) * 3 + 3));
    // Cell centres: samples use images 0, 1, 0, 1, 0 in turn; flips/rotations keep uniform colours.
    expect(px(1 + 4, 1 + 4)).toEqual([200, 10, 10]);
    expect(px(10 + 4, 1 + 4)).toEqual([10, 10, 200]);
    expect(px(1 + 4, 10 + 4)).toEqual([10, 10, 200]);
    expect(px(0, 0)).toEqual([224, 224, 224]); // gap
    expect(px(25, 15)).toEqual([224, 224, 224]); // the empty sixth cell
  });
});
