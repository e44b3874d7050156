'use client';

import {
  drawLineChart,
  type LineChartOptions,
  type LineSeries,
  type VerticalMarker,
  type XFormat,
} from '@convscope/viz';
import { useMemo } from 'react';
import { useSharedCurveOptions } from './ChartControls';
import { useVizChart } from './VizChart';

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
  /** How x ticks read: numbers (default), seconds as durations, ms as UTC clock times. */
  xFormat?: XFormat;
}

/**
 * Responsive React wrapper around `drawLineChart`: draws once, then updates in place when the
 * series change (live runs) or the container is resized. Inside a `ChartPage` it follows the
 * page's chart controls, and shares zoom and crosshair with the charts of the same x axis title.
 */
export function LineChart({
  series,
  height = 260,
  xLabel,
  yLabel,
  formatValue,
  ariaLabel,
  markers,
  xFormat,
}: LineChartProps) {
  const shared = useSharedCurveOptions(xLabel ?? 'step');
  const options = useMemo(
    () => ({ series, height, xLabel, yLabel, formatValue, ariaLabel, markers, xFormat, ...shared }),
    [series, height, xLabel, yLabel, formatValue, ariaLabel, markers, xFormat, shared],
  );
  const ref = useVizChart<LineChartOptions>(drawLineChart, options);

  return (
    <div
      ref={ref}
      className="chart"
      style={{ minHeight: height }}
      data-testid="line-chart"
      data-x-axis={xLabel}
    />
  );
}
