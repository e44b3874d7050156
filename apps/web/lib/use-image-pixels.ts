'use client';
import { useEffect, useState } from 'react';

// Decoded images by URL, shared by every view of the page (a pack file never changes under its name
// within one page load).
const cache = new Map<string, Promise<ImageData>>();

/** Fetches an image and decodes it to RGBA pixels, without colour management (maps are data). */
export function loadImagePixels(url: string): Promise<ImageData> {
  let p = cache.get(url);
  if (!p) {
    p = (async () => {
      const res = await fetch(url);
      if (!res.ok) throw new Error(`${url}: HTTP ${res.status}`);
      const bitmap = await createImageBitmap(await res.blob(), {
        colorSpaceConversion: 'none',
        premultiplyAlpha: 'none',
      });
      const canvas = document.createElement('canvas');
      canvas.width = bitmap.width;
      canvas.height = bitmap.height;
      const ctx = canvas.getContext('2d', { willReadFrequently: true })!;
      ctx.drawImage(bitmap, 0, 0);
      bitmap.close();
      return ctx.getImageData(0, 0, canvas.width, canvas.height);
    })();
    p.catch(() => cache.delete(url)); // a failed load may be retried later
    cache.set(url, p);
  }
  return p;
}

/** The pixels of an image URL once loaded (null while loading, or without a URL). */
export function useImagePixels(url: string | null): {
  pixels: ImageData | null;
  error: string | null;
} {
  const [state, setState] = useState<{
    url: string | null;
    pixels: ImageData | null;
    error: string | null;
  }>({
    url: null,
    pixels: null,
    error: null,
  });
  useEffect(() => {
    if (!url) return;
    let live = true;
    loadImagePixels(url).then(
      (pixels) => live && setState({ url, pixels, error: null }),
      (err: Error) => live && setState({ url, pixels: null, error: err.message }),
    );
    return () => {
      live = false;
    };
  }, [url]);
  return state.url === url
    ? { pixels: state.pixels, error: state.error }
    : { pixels: null, error: null };
}
