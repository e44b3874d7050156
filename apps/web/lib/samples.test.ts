import { describe, expect, it } from 'vitest';
import { hasImage, sampleImageUrl, sampleScale } from './samples';

describe('sample images', () => {
  it('builds same-origin URLs with the scale only when it upscales', () => {
    expect(sampleImageUrl('run 1', 7)).toBe('/runs/run%201/samples/7.png');
    expect(sampleImageUrl('r', 0, 3)).toBe('/runs/r/samples/0.png?scale=3');
  });

  it('scales 28 x 28 images three times and large ones not at all', () => {
    expect(sampleScale({ height: 28, width: 28 })).toBe(3);
    expect(sampleScale({ height: 128, width: 96 })).toBe(1);
  });

  it('knows which indices have a stored image', () => {
    const s = { count: 10, height: 28, width: 28, channels: 1, sha256: 'x' };
    expect(hasImage(s, 0)).toBe(true);
    expect(hasImage(s, 9)).toBe(true);
    expect(hasImage(s, 10)).toBe(false);
    expect(hasImage(null, 0)).toBe(false);
  });
});
