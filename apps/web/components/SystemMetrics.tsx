'use client';

import { formatNumber, PALETTE, type LineSeries } from '@convscope/viz';
import { useMemo } from 'react';
import type { MetricSeries } from '../lib/queries';
import { systemCharts, type SystemChart } from '../lib/system-metrics';
import { LineChart } from './LineChart';

/**
 * The "System" section of the run page: one small chart per `system/...` metric (CPU, memory,
 * event-loop lag, GPUs) sampled by the training client, against seconds since training began.
 * Nothing is drawn for a run without system metrics.
 */
export function SystemMetrics({ metrics }: { metrics: MetricSeries[] }) {
  const charts = useMemo(() => systemCharts(metrics), [metrics]);
  if (charts.length === 0) return null;
  return (
    <section className="stack system-metrics" data-testid="system-metrics">
      <h2 className="section-title">System</h2>
      <div className="grid-2">
        {charts.map((c) => (
          <SystemCard key={c.key} chart={c} />
        ))}
      </div>
    </section>
  );
}

function SystemCard({ chart }: { chart: SystemChart }) {
  const series = useMemo<LineSeries[]>(
    () => [{ name: chart.series.name, points: chart.series.points, color: PALETTE[2] }],
    [chart.series],
  );
  const last = chart.series.points.at(-1);
  return (
    <section className="card" data-testid={`system-${chart.key}`}>
      <div className="card-header">
        <h2>{chart.title}</h2>
        <span className="meta">
          {last ? `${formatNumber(last.value, 3)} ${chart.unit}`.trim() : ''}
          {chart.series.downsampled ? ' · downsampled' : ''}
        </span>
      </div>
      <div className="card-body" style={{ paddingTop: 8 }}>
        <LineChart
          series={series}
          height={180}
          xLabel="seconds"
          yLabel={chart.unit || chart.key}
          ariaLabel={`${chart.title} over time`}
        />
      </div>
    </section>
  );
}
