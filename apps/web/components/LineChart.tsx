'use client';

import {
  drawLineChart,
  type LineChartOptions,
  type LineSeries,
  type VerticalMarker,
} from '@convscope/viz';
import { useMemo } from 'react';
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
  const options = useMemo(
    () => ({ series, height, xLabel, yLabel, formatValue, ariaLabel, markers }),
    [series, height, xLabel, yLabel, formatValue, ariaLabel, markers],
  );
  const ref = useVizChart<LineChartOptions>(drawLineChart, options);

  return <div ref={ref} className="chart" style={{ minHeight: height }} data-testid="line-chart" />;
}
