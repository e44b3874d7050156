'use client';
import { useEffect, useRef, type MouseEvent } from 'react';

/**
 * RGBA pixels drawn 1:1 on a canvas and shown `scale` times larger with square pixels, so small
 * maps (28 x 28) stay crisp and tests can read back exactly what was drawn.
 */
export function PixelCanvas({
  pixels,
  width,
  height,
  scale,
  testId,
  label,
  className,
  onClick,
}: {
  pixels: Uint8ClampedArray | null;
  width: number;
  height: number;
  scale: number;
  testId?: string;
  label: string;
  className?: string;
  onClick?: (e: MouseEvent<HTMLCanvasElement>) => void;
}) {
  const ref = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    const canvas = ref.current;
    if (!canvas || !pixels || pixels.length !== width * height * 4) return;
    canvas
      .getContext('2d')!
      .putImageData(new ImageData(new Uint8ClampedArray(pixels), width, height), 0, 0);
  }, [pixels, width, height]);
  return (
    <canvas
      ref={ref}
      className={className}
      onClick={onClick}
      width={width}
      height={height}
      style={{ width: width * scale, height: height * scale, imageRendering: 'pixelated' }}
      data-testid={testId}
      data-ready={pixels ? 'true' : 'false'}
      role="img"
      aria-label={label}
    />
  );
}
