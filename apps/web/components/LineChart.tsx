'use client';

import {
  drawLineChart,
  type ChartHandle,
  type LineChartOptions,
  type LineSeries,
  type VerticalMarker,
} from '@convscope/viz';
import { useEffect, useRef, useState } from 'react';

/** Props of {@link LineChart}: the chart options minus the size, which follows the container. */
export interface LineChartProps {
  series: LineSeries[];
  height?: number;
  xLabel?: string;
  yLabel?: string;
  formatValue?: (v: number) => string;
  ariaLabel?: string;
  /** Vertical markers (e.g. the boundary between training phases). */
  markers?: readonly VerticalMarker[];
}

/**
 * Responsive React wrapper around `drawLineChart`: draws once, then updates in place when the
 * series change (live runs) or the container is resized.
 */
export function LineChart({
  series,
  height = 260,
  xLabel,
  yLabel,
  formatValue,
  ariaLabel,
  markers,
}: LineChartProps) {
  const ref = useRef<HTMLDivElement>(null);
  const handle = useRef<ChartHandle<LineChartOptions> | null>(null);
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
    const options: LineChartOptions = {
      series,
      width,
      height,
      xLabel,
      yLabel,
      formatValue,
      ariaLabel,
      markers,
    };
    if (handle.current) handle.current.update(options);
    else handle.current = drawLineChart(el, options);
  }, [series, width, height, xLabel, yLabel, formatValue, ariaLabel, markers]);

  return <div ref={ref} className="chart" style={{ minHeight: height }} data-testid="line-chart" />;
}
