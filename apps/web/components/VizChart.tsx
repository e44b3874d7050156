'use client';

import type { ChartHandle } from '@convscope/viz';
import { useEffect, useRef, useState, type RefObject } from 'react';

/** Props of {@link VizChart}: a `@convscope/viz` chart factory and its options minus the width. */
export interface VizChartProps<O extends { width: number }> {
  draw: (container: HTMLElement, options: O) => ChartHandle<O>;
  /** Memoise this object: a new identity redraws the chart. */
  options: Omit<O, 'width'>;
  /** Reserved height before the first draw (avoids layout jumps). */
  minHeight: number;
  testId?: string;
}

/**
 * Draws the chart `draw` makes into the returned ref's element once it has a size, then updates
 * it in place when `options` (memoised: a new identity redraws) or the width change; destroys
 * it on unmount.
 */
export function useVizChart<O extends { width: number }>(
  draw: (container: HTMLElement, options: O) => ChartHandle<O>,
  options: Omit<O, 'width'>,
): RefObject<HTMLDivElement | null> {
  const ref = useRef<HTMLDivElement>(null);
  const handle = useRef<ChartHandle<O> | null>(null);
  const [width, setWidth] = useState(0);

  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    const observer = new ResizeObserver(([entry]) => {
      if (entry) setWidth(Math.floor(entry.contentRect.width));
    });
    observer.observe(el);
    return () => {
      observer.disconnect();
      handle.current?.destroy();
      handle.current = null;
    };
  }, []);

  useEffect(() => {
    const el = ref.current;
    if (!el || width === 0) return;
    const full = { ...options, width } as O;
    if (handle.current) handle.current.update(full);
    else handle.current = draw(el, full);
  }, [draw, options, width]);

  return ref;
}

/**
 * Responsive React wrapper around any viz chart factory taking a `width`: draws once the
 * container has a size, then updates in place when the options or the width change.
 */
export function VizChart<O extends { width: number }>({
  draw,
  options,
  minHeight,
  testId,
}: VizChartProps<O>) {
  const ref = useVizChart(draw, options);
  return (
    <div ref={ref} className="chart viz-chart-host" style={{ minHeight }} data-testid={testId} />
  );
}
