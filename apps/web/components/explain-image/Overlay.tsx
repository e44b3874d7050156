'use client';
import { useEffect, useRef } from 'react';
import { heatmapRgba } from '../../lib/explain-image';
import styles from '../ExplainImage.module.css';

/** Side of the overlay canvas in CSS pixels. */
const VIEW = 280;

/** Blends the heatmap over the image as the model saw it (resized to its input). */
export function Overlay({
  imageUrl,
  heatmap,
  alpha,
}: {
  imageUrl: string;
  heatmap: number[][];
  alpha: number;
}) {
  const canvas = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    const c = canvas.current;
    const ctx = c?.getContext('2d');
    const w = heatmap[0]?.length ?? 0;
    if (!c || !ctx || w === 0) return;
    const h = heatmap.length;
    c.width = VIEW;
    c.height = Math.round((VIEW * h) / w);
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
      ctx.drawImage(img, 0, 0, c.width, c.height);
      ctx.globalAlpha = alpha;
      ctx.drawImage(heat, 0, 0, c.width, c.height);
      ctx.globalAlpha = 1;
      c.dataset.drawn = String(alpha);
    };
    img.src = imageUrl;
    return () => {
      cancelled = true;
    };
  }, [imageUrl, heatmap, alpha]);
  return (
    <canvas
      ref={canvas}
      className={styles.overlay}
      data-testid="explain-overlay"
      aria-label="Image with the class activation map blended over it"
    />
  );
}
