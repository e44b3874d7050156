/**
 * Fits an uploaded image to a model's input instead of refusing it, and says what was done.
 * The pixels are exactly what the image-folder pipeline gives for the same file
 * ({@link decodeImageBytes}: EXIF orientation, resize, alpha dropped, grayscale or sRGB), so an
 * explanation sees the image as training would have; this module only describes those steps.
 */
import sharp, { type Metadata } from 'sharp';
import { decodeImageBytes } from '../data/image-folder';

/** Size and channels of an image (channels count alpha: an RGBA image has 4). */
export interface ImageGeometry {
  width: number;
  height: number;
  channels: number;
}

/** What the worker did to fit an image to the model (`result.conversion`). */
export interface ImageConversion {
  /** The image as uploaded (after EXIF orientation, width and height as displayed). */
  from: ImageGeometry;
  /** The model input. */
  to: ImageGeometry;
  /** Plain-words steps, in order; empty when the image was used as it came. */
  steps: string[];
}

/** The colour-to-gray formula of the pipeline: libvips' luminance, as sharp's grayscale() computes it. */
export const GRAYSCALE_FORMULA =
  'luminance Y = 0.2126 R + 0.7152 G + 0.0722 B in linear light, sRGB-encoded again (sharp/libvips, as the image-folder pipeline)';

/** The resize the pipeline uses: sharp's default kernel, `fit: 'fill'`. */
export const RESIZE_METHOD = 'Lanczos-3 via sharp, stretched to fill: aspect ratio not kept';

/** Names a channel layout for the steps. */
function layoutName(colour: number, space: string | undefined): string {
  if (space === 'cmyk') return 'CMYK';
  return colour === 1 ? 'grayscale' : 'RGB';
}

/**
 * The steps that turn an image of this metadata into the model input `[h, w, c]`, in the
 * pipeline's order: orientation, colour, alpha, bit depth, size.
 */
export function conversionSteps(meta: Metadata, shape: [number, number, number]): ImageConversion {
  const [h, w, c] = shape;
  const rotated = (meta.orientation ?? 1) >= 5;
  const width = (rotated ? meta.height : meta.width) ?? 0;
  const height = (rotated ? meta.width : meta.height) ?? 0;
  const channels = meta.channels ?? 0;
  const hasAlpha = meta.hasAlpha === true;
  const colour = hasAlpha ? channels - 1 : channels;
  const steps: string[] = [];
  if ((meta.orientation ?? 1) !== 1)
    steps.push(`applied its EXIF orientation ${meta.orientation} (rotated or mirrored upright)`);
  const from = layoutName(colour, meta.space);
  if (c === 1 && colour !== 1) steps.push(`converted ${from} to grayscale (${GRAYSCALE_FORMULA})`);
  else if (c === 3 && colour === 1)
    steps.push('converted grayscale to RGB (the gray value copied into R, G and B)');
  else if (c === 3 && meta.space === 'cmyk') steps.push('converted CMYK to sRGB');
  if (hasAlpha)
    steps.push(
      'dropped the alpha channel (not composited on a background; as the image-folder pipeline)',
    );
  if (meta.depth === 'ushort') steps.push('reduced 16 bits per channel to 8');
  if (width !== w || height !== h)
    steps.push(`resized ${width}x${height} -> ${w}x${h} (${RESIZE_METHOD})`);
  return { from: { width, height, channels }, to: { width: w, height: h, channels: c }, steps };
}

/**
 * Decodes `bytes` to the model input `[h, w, c]` (uint8, row-major) and describes the conversion.
 * @throws when the bytes are not an image sharp reads
 */
export async function convertForModel(
  bytes: Uint8Array,
  shape: [number, number, number],
): Promise<{ pixels: Uint8Array; conversion: ImageConversion }> {
  const meta = await sharp(bytes).metadata();
  const pixels = await decodeImageBytes(bytes, { shape });
  return { pixels, conversion: conversionSteps(meta, shape) };
}
