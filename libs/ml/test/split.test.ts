import { describe, expect, it } from 'vitest';
import { seededPermutation, splitValidation, createRng } from '../src/index';
import { itemAt } from '../src/util/checked';

function fixture(perClass: number, classes: number) {
  const count = perClass * classes;
  const labels = new Uint8Array(count);
  const images = new Uint8Array(count * 2);
  for (let i = 0; i < count; i++) {
    const label = i % classes;
    labels[i] = label;
    images[2 * i] = i & 255; // pixel 0 identifies the sample
    images[2 * i + 1] = label;
  }
  return { images, labels, count };
}

describe('seeded randomness', () => {
  it('is deterministic for a seed and differs across seeds', () => {
    expect([...seededPermutation(10, 1)]).toEqual([...seededPermutation(10, 1)]);
    expect([...seededPermutation(10, 1)]).not.toEqual([...seededPermutation(10, 2)]);
    expect([...seededPermutation(10, 3)].sort((a, b) => a - b)).toEqual([
      0, 1, 2, 3, 4, 5, 6, 7, 8, 9,
    ]);
    const r = createRng(5);
    for (let i = 0; i < 1000; i++) {
      const v = r();
      expect(v).toBeGreaterThanOrEqual(0);
      expect(v).toBeLessThan(1);
    }
  });
});

describe('splitValidation', () => {
  it('is stratified, disjoint, complete and reproducible', () => {
    const data = fixture(20, 5);
    const a = splitValidation(data, { fraction: 0.25, seed: 7, pixelsPerImage: 2 });
    expect(a.validation.count).toBe(25);
    expect(a.train.count).toBe(75);
    const perClass = new Array(5).fill(0);
    for (const l of a.validation.labels) perClass[l]++;
    expect(perClass).toEqual([5, 5, 5, 5, 5]);
    const ids = (s: typeof a.train) =>
      Array.from({ length: s.count }, (_, i) => itemAt(s.images, 2 * i, 'pixel'));
    const all = [...ids(a.train), ...ids(a.validation)].sort((x, y) => x - y);
    expect(all).toEqual(Array.from({ length: 100 }, (_, i) => i));
    // Labels travel with their images.
    for (let i = 0; i < a.train.count; i++)
      expect(a.train.images[2 * i + 1]).toBe(a.train.labels[i]);
    const b = splitValidation(data, { fraction: 0.25, seed: 7, pixelsPerImage: 2 });
    expect(ids(b.validation)).toEqual(ids(a.validation));
    const c = splitValidation(data, { fraction: 0.25, seed: 8, pixelsPerImage: 2 });
    expect(ids(c.validation)).not.toEqual(ids(a.validation));
  });

  it('rejects a fraction outside [0, 1)', () => {
    expect(() =>
      splitValidation(fixture(2, 2), { fraction: 1, seed: 1, pixelsPerImage: 2 }),
    ).toThrow(/validation fraction/);
  });
});
