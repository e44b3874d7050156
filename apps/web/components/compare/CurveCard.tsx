'use client';

import {
  drawLineChart,
  type LineChartOptions,
  type LineSeries,
  type XFormat,
} from '@convscope/viz';
import { useMemo } from 'react';
import type { ComparedRun } from '../../lib/compare';
import { useSharedCurveOptions } from '../ChartControls';
import { VizChart } from '../VizChart';
import { RunLegend } from './RunLegend';
import { CURVE_TITLES, type Colors } from './shared';

/** One metric's curves of every compared run, overlaid (training solid, validation dashed). */
export function CurveCard({
  metricKey,
  series,
  runs,
  colorOf,
  xLabel = 'step',
  xFormat,
}: {
  metricKey: string;
  series: LineSeries[];
  /** Title of the x axis (batch_loss: "samples seen (step × batch size)"); default "step". */
  xLabel?: string;
  /** How x ticks read (durations on relative time, UTC clock times on wall time). */
  xFormat?: XFormat;
  runs: ComparedRun[];
  colorOf: Colors;
}) {
  // The page's chart controls; zoom and crosshair shared with the charts on the same x.
  const shared = useSharedCurveOptions(xLabel);
  const options = useMemo<Omit<LineChartOptions, 'width'>>(
    () => ({
      ...shared,
      series,
      height: 280,
      xLabel,
      xFormat,
      yLabel: metricKey,
      legend: false,
      margin: { top: 12 },
      ariaLabel: `${metricKey} curves of the compared runs`,
    }),
    [series, metricKey, xLabel, xFormat, shared],
  );
  return (
    <section className="card" data-testid={`compare-curve-${metricKey}`} data-x-label={xLabel}>
      <div className="card-header">
        <h2>{CURVE_TITLES[metricKey] ?? metricKey}</h2>
        <span className="meta">training solid · validation dashed</span>
      </div>
      <div className="card-body" style={{ paddingTop: 8 }}>
        <RunLegend runs={runs} colorOf={colorOf} dashedNote />
        <VizChart draw={drawLineChart} options={options} minHeight={280} />
      </div>
    </section>
  );
}
