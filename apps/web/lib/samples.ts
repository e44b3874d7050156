import { pixelScale } from '@convscope/viz';
import type { SampleImages } from './queries';

/** Displayed size (longer side, CSS pixels) of a sample image in the galleries. */
export const SAMPLE_DISPLAY_PX = 84;

/**
 * Same-origin URL of one evaluated image as PNG (next.config.ts forwards `/runs/:id/samples/*`
 * to the API), upscaled on the server by an integer factor so pixels stay square.
 */
export function sampleImageUrl(runId: string, index: number, scale = 1): string {
  const base = `/runs/${encodeURIComponent(runId)}/samples/${index}.png`;
  return scale > 1 ? `${base}?scale=${scale}` : base;
}

/** Server-side scale for showing `samples` at about {@link SAMPLE_DISPLAY_PX} pixels. */
export function sampleScale(samples: Pick<SampleImages, 'height' | 'width'>): number {
  return pixelScale(samples.height, samples.width, SAMPLE_DISPLAY_PX);
}

/** True when sample `index` has a stored image. */
export function hasImage(samples: SampleImages | null | undefined, index: number): boolean {
  return !!samples && index >= 0 && index < samples.count;
}
