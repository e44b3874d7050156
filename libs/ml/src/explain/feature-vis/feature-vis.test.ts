import { describe, expect, it } from 'vitest';
import { createRng } from '../../util/rng';
import { canvasSize, readablePatternOptions } from './readable';
import { lowFrequencyShare } from './spectrum';

/** A one-channel `h x w` image of cos(2 pi (fx x + fy y)). */
function wave(h: number, w: number, fx: number, fy: number): Float64Array {
  const out = new Float64Array(h * w);
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++) out[y * w + x] = Math.cos(2 * Math.PI * (fx * x + fy * y));
  return out;
}

describe('lowFrequencyShare', () => {
  it('is 1 for a slow wave, 0 for a fast one and about pi r^2 for white noise', () => {
    // 2 cycles over 32 px (0.0625 cycles/px) and the checkerboard (0.5, 0.5 cycles/px).
    expect(lowFrequencyShare(wave(32, 32, 2 / 32, 0), { shape: [32, 32, 1] })).toBeCloseTo(1, 9);
    expect(lowFrequencyShare(wave(32, 32, 0.5, 0.5), { shape: [32, 32, 1] })).toBeCloseTo(0, 9);
    // A wave exactly at the cutoff radius counts as low: 8 / 32 = 0.25.
    expect(lowFrequencyShare(wave(32, 32, 0, 8 / 32), { shape: [32, 32, 1] })).toBeCloseTo(1, 9);
    // Two waves of equal amplitude, one each side of the cutoff: half and half.
    const mixed = wave(32, 32, 1 / 32, 0).map((v, i) => v + wave(32, 32, 12 / 32, 0)[i]!);
    expect(lowFrequencyShare(mixed, { shape: [32, 32, 1] })).toBeCloseTo(0.5, 9);
    // Noise spreads its energy evenly: the share of the 64 x 64 frequency grid within 0.25
    // cycles/px, counted by hand below (~ pi / 16 = 0.196).
    const rng = createRng(3);
    const noise = Float64Array.from({ length: 64 * 64 * 3 }, () => rng());
    let inside = 0;
    for (let ky = 0; ky < 64; ky++)
      for (let kx = 0; kx < 64; kx++) {
        const f = Math.hypot((ky <= 32 ? ky : ky - 64) / 64, (kx <= 32 ? kx : kx - 64) / 64);
        if (f <= 0.25 && (kx || ky)) inside++;
      }
    const expected = inside / (64 * 64 - 1);
    expect(expected).toBeCloseTo(0.196, 2);
    expect(lowFrequencyShare(noise, { shape: [64, 64, 3] })).toBeGreaterThan(expected - 0.03);
    expect(lowFrequencyShare(noise, { shape: [64, 64, 3] })).toBeLessThan(expected + 0.03);
  });

  it('is 0 for a flat image and refuses a wrong size', () => {
    expect(lowFrequencyShare(new Uint8Array(16).fill(7), { shape: [4, 4, 1] })).toBe(0);
    expect(() => lowFrequencyShare(new Uint8Array(15), { shape: [4, 4, 1] })).toThrow(
      '15 values for a 4x4x1 image',
    );
  });
});

describe('readablePatternOptions', () => {
  it('doubles the canvas of size-free layers within maxSide, else keeps the input size', () => {
    expect(canvasSize({ inputSize: [28, 28], sizeFree: true })).toEqual([56, 56]);
    expect(canvasSize({ inputSize: [28, 28], sizeFree: false })).toEqual([28, 28]);
    expect(canvasSize({ inputSize: [40, 20], sizeFree: true })).toEqual([64, 32]);
    expect(canvasSize({ inputSize: [150, 150], sizeFree: true })).toEqual([150, 150]);
    expect(canvasSize({ inputSize: [28, 28], sizeFree: true, maxSide: 42 })).toEqual([42, 42]);
  });

  it('uses the Fourier parameterisation with Adam and jitter scaled to the canvas', () => {
    const o = readablePatternOptions({ inputSize: [28, 28], sizeFree: true });
    expect(o).toMatchObject({ size: [56, 56], parameterization: 'fourier', optimizer: 'adam' });
    expect(o.regularizers?.jitter).toBe(4); // 56 / 16 rounded
    expect(
      readablePatternOptions({ inputSize: [128, 128], sizeFree: false }).regularizers?.jitter,
    ).toBe(8);
  });
});
