/** Images of the pack as PNG bytes: heatmaps in gray, and grids of tiles. */
import { encodeImage } from '../render';

/** Heatmap in [0, 1] as 8-bit grayscale PNG bytes. */
export async function grayPng(
  values: ArrayLike<number>,
  width: number,
  height: number,
): Promise<Uint8Array> {
  const pixels = new Uint8Array(width * height);
  if (values.length < pixels.length)
    throw new RangeError(`${values.length} values for a ${width}x${height} heatmap`);
  // values holds at least width * height entries (checked above).
  for (let i = 0; i < pixels.length; i++)
    pixels[i] = Math.round(255 * Math.min(1, Math.max(0, values[i]!)));
  return encodeImage({ pixels, width, height, channels: 1 });
}

/** A grid of tiles, as {@link tileImages} makes it. */
export interface TiledImages {
  pixels: Uint8Array;
  width: number;
  height: number;
  columns: number;
  rows: number;
}

/** Images `[h, w, depth]` tiled in a near-square grid with 1-pixel white padding. */
export function tileImages(images: Uint8Array[], h: number, w: number, depth: number): TiledImages {
  const columns = Math.max(1, Math.ceil(Math.sqrt(images.length)));
  const rows = Math.max(1, Math.ceil(images.length / columns));
  const width = columns * (w + 1) + 1;
  const height = rows * (h + 1) + 1;
  const pixels = new Uint8Array(width * height * depth).fill(255);
  images.forEach((img, i) => {
    const x0 = 1 + (i % columns) * (w + 1);
    const y0 = 1 + Math.floor(i / columns) * (h + 1);
    for (let y = 0; y < h; y++)
      pixels.set(img.subarray(y * w * depth, (y + 1) * w * depth), ((y0 + y) * width + x0) * depth);
  });
  return { pixels, width, height, columns, rows };
}

/** A grid of tiles (1 or 3 channels) as PNG bytes. */
export function gridPng(
  grid: { pixels: Uint8Array; width: number; height: number },
  channels: 1 | 3,
): Promise<Uint8Array> {
  return encodeImage({ pixels: grid.pixels, width: grid.width, height: grid.height, channels });
}
