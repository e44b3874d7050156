import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { convertForModel, GRAYSCALE_FORMULA, RESIZE_METHOD } from './convert-image';

/** A PNG of raw 8-bit pixels. */
function png(
  pixels: number[],
  width: number,
  height: number,
  channels: 1 | 3 | 4,
): Promise<Buffer> {
  let img = sharp(Buffer.from(pixels), { raw: { width, height, channels } });
  if (channels === 1) img = img.toColourspace('b-w');
  return img.png().toBuffer();
}

// The luminance by hand: sRGB decoded to linear light, weighted (Rec. 709), encoded again.
const toLinear = (v: number) => {
  const c = v / 255;
  return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
};
const toSrgb = (y: number) => 255 * (y <= 0.0031308 ? 12.92 * y : 1.055 * y ** (1 / 2.4) - 0.055);
const luminance = (r: number, g: number, b: number) =>
  toSrgb(0.2126 * toLinear(r) + 0.7152 * toLinear(g) + 0.0722 * toLinear(b));

describe('fitting an image to the model input', () => {
  it('converts RGB to grayscale with the pipeline luminance and says so', async () => {
    const rgb = [255, 0, 0, 0, 255, 0, 0, 0, 255, 200, 100, 50];
    const { pixels, conversion } = await convertForModel(await png(rgb, 2, 2, 3), [2, 2, 1]);
    // Hand values: red 127.1, green 219.9, blue 76.2, (200,100,50) 127.6.
    const expected = [0, 1, 2, 3].map((i) =>
      luminance(rgb[3 * i]!, rgb[3 * i + 1]!, rgb[3 * i + 2]!),
    );
    expect(expected.map(Math.round)).toEqual([127, 220, 76, 128]);
    for (const [i, v] of [...pixels].entries())
      expect(Math.abs(v - expected[i]!)).toBeLessThanOrEqual(1);
    expect(conversion).toEqual({
      from: { width: 2, height: 2, channels: 3 },
      to: { width: 2, height: 2, channels: 1 },
      steps: [`converted RGB to grayscale (${GRAYSCALE_FORMULA})`],
    });
  });

  it('replicates gray into R, G and B for an RGB model', async () => {
    const { pixels, conversion } = await convertForModel(
      await png([0, 80, 160, 255], 2, 2, 1),
      [2, 2, 3],
    );
    expect([...pixels]).toEqual([0, 0, 0, 80, 80, 80, 160, 160, 160, 255, 255, 255]);
    expect(conversion.steps).toEqual([
      'converted grayscale to RGB (the gray value copied into R, G and B)',
    ]);
  });

  it('drops alpha (as the pipeline does), keeping the colour under transparent pixels', async () => {
    const rgba = Array.from({ length: 3 * 2 }, (_, i) => [i * 40, 50, 100, i % 2 ? 0 : 255]).flat();
    const { pixels, conversion } = await convertForModel(await png(rgba, 3, 2, 4), [2, 3, 3]);
    const rgb = Array.from({ length: 3 * 2 }, (_, i) => [i * 40, 50, 100]).flat();
    expect([...pixels]).toEqual(rgb);
    expect(conversion.from).toEqual({ width: 3, height: 2, channels: 4 });
    expect(conversion.steps).toEqual([
      'dropped the alpha channel (not composited on a background; as the image-folder pipeline)',
    ]);
  });

  it('resizes any size to the input, naming both sizes and the method', async () => {
    const gray = Array.from({ length: 6 * 4 }, (_, i) => i * 10);
    const { pixels, conversion } = await convertForModel(await png(gray, 6, 4, 1), [2, 3, 1]);
    expect(pixels.length).toBe(2 * 3);
    expect(conversion.from).toEqual({ width: 6, height: 4, channels: 1 });
    expect(conversion.to).toEqual({ width: 3, height: 2, channels: 1 });
    expect(conversion.steps).toEqual([`resized 6x4 -> 3x2 (${RESIZE_METHOD})`]);
    // A left-to-right ramp stays one after the resize.
    expect(pixels[0]!).toBeLessThan(pixels[1]!);
    expect(pixels[1]!).toBeLessThan(pixels[2]!);
  });

  it('lists no step when the image already fits', async () => {
    const gray = [1, 2, 3, 4, 5, 6];
    const { pixels, conversion } = await convertForModel(await png(gray, 3, 2, 1), [2, 3, 1]);
    expect([...pixels]).toEqual(gray);
    expect(conversion.steps).toEqual([]);
  });
});
