'use client';

import {
  drawLineChart,
  formatPercent,
  topKLabel,
  topKPoints,
  type LineChartOptions,
} from '@convscope/viz';
import { useMemo } from 'react';
import type { Comparison } from '../../lib/compare';
import { VizChart } from '../VizChart';
import { RunLegend } from './RunLegend';
import type { Colors } from './shared';

/** Top-k accuracy against k of every compared run with an evaluation, and their top-1 in words. */
export function TopKCompare({
  comparison,
  colorOf,
  nameOf,
}: {
  comparison: Comparison;
  colorOf: Colors;
  nameOf: Map<string, string>;
}) {
  const options = useMemo<Omit<LineChartOptions, 'width'>>(
    () => ({
      series: comparison.topK
        .filter((t) => t.topK.length > 0)
        .map((t) => ({
          name: nameOf.get(t.runId) ?? t.runId,
          points: topKPoints(t.topK),
          color: colorOf.get(t.runId),
        })),
      height: 280,
      xLabel: 'k',
      yLabel: 'top-k accuracy',
      formatValue: (v: number) => formatPercent(v, 1),
      showPoints: true,
      legend: false,
      margin: { top: 12, left: 66 },
      ariaLabel: 'Top-k accuracy of the compared runs',
    }),
    [comparison.topK, colorOf, nameOf],
  );
  if (options.series.length === 0) return null;
  const top1 = comparison.topK.flatMap((t) => {
    const acc = t.topK.find((x) => x.k === 1)?.accuracy;
    return acc === undefined ? [] : [`${nameOf.get(t.runId)}: ${topKLabel(1, acc)}`];
  });
  return (
    <section className="card" data-testid="compare-topk">
      <div className="card-header">
        <h2>Top-k accuracy (test split)</h2>
        <span className="meta">{top1.join(' · ')}</span>
      </div>
      <div className="card-body" style={{ paddingTop: 8 }}>
        <RunLegend
          runs={comparison.runs.filter((r) =>
            comparison.topK.some((t) => t.runId === r.id && t.topK.length > 0),
          )}
          colorOf={colorOf}
        />
        <VizChart draw={drawLineChart} options={options} minHeight={280} />
      </div>
    </section>
  );
}
