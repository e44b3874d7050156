'use client';

import { drawSparkline, type ChartHandle, type Point, type SparklineOptions } from '@convscope/viz';
import { useEffect, useRef } from 'react';

/** React wrapper around the d3 sparkline of @convscope/viz. */
export function Sparkline({
  points,
  width = 88,
  height = 22,
  label,
}: {
  points: Point[];
  width?: number;
  height?: number;
  label?: string;
}) {
  const ref = useRef<HTMLSpanElement>(null);
  const handle = useRef<ChartHandle<SparklineOptions> | null>(null);

  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    handle.current = drawSparkline(el, { points: [], width, height });
    return () => {
      handle.current?.destroy();
      handle.current = null;
    };
  }, [width, height]);

  useEffect(() => {
    handle.current?.update({ points, width, height, ariaLabel: label });
  }, [points, width, height, label]);

  return <span ref={ref} style={{ display: 'inline-block', width, height }} />;
}
