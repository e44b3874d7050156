'use client';
import { useEffect, useRef } from 'react';
import { heatmapRgba } from '../../lib/explain-image';
import styles from '../ExplainImage.module.css';

/**
 * Blends the heatmap over the image as the model saw it (resized to its input, and grey for a
 * grayscale model).
 */
export function Overlay({
  imageUrl,
  heatmap,
  alpha,
  size = 280,
  grayscale = false,
  testId = 'explain-overlay',
  label = 'Image with the class activation map blended over it',
}: {
  imageUrl: string;
  heatmap: number[][];
  alpha: number;
  /** Width of the canvas in pixels. */
  size?: number;
  /** Draw the image in grey (the model converted it to one channel). */
  grayscale?: boolean;
  testId?: string;
  label?: string;
}) {
  const canvas = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    const c = canvas.current;
    const ctx = c?.getContext('2d');
    const w = heatmap[0]?.length ?? 0;
    if (!c || !ctx || w === 0) return;
    const h = heatmap.length;
    c.width = size;
    c.height = Math.round((size * h) / w);
    const heat = document.createElement('canvas');
    heat.width = w;
    heat.height = h;
    heat.getContext('2d')!.putImageData(new ImageData(heatmapRgba(heatmap), w, h), 0, 0);
    const img = new Image();
    let cancelled = false;
    img.onload = () => {
      if (cancelled) return;
      ctx.clearRect(0, 0, c.width, c.height);
      ctx.globalAlpha = 1;
      // The model sees the image stretched to its input; so does the overlay.
      ctx.imageSmoothingEnabled = true;
      ctx.filter = grayscale ? 'grayscale(1)' : 'none';
      ctx.drawImage(img, 0, 0, c.width, c.height);
      ctx.filter = 'none';
      ctx.globalAlpha = alpha;
      ctx.drawImage(heat, 0, 0, c.width, c.height);
      ctx.globalAlpha = 1;
      c.dataset.drawn = String(alpha);
    };
    img.src = imageUrl;
    return () => {
      cancelled = true;
    };
  }, [imageUrl, heatmap, alpha, size, grayscale]);
  return (
    <canvas
      ref={canvas}
      className={styles.overlay}
      style={{ width: size }}
      data-testid={testId}
      role="img"
      aria-label={label}
    />
  );
}
