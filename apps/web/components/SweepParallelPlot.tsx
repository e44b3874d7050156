'use client';

// Parallel coordinates of every run of a sweep: one axis per parameter (text values by their
// sorted rank), then the target metric (libs/viz's parallel-coordinates chart).
import {
  drawParallelCoordinates,
  formatNumber,
  type ParallelCoordinatesOptions,
  type ParallelRow,
} from '@convscope/viz';
import { useMemo } from 'react';
import { numericParameters } from '../lib/sweeps';
import { VizChart } from './VizChart';

/** One run of the sweep as the chart needs it. */
export interface SweepPlotPoint {
  runId: string;
  runName: string;
  parameters: unknown;
  value?: number | null;
}

/** The chart (a card). */
export function SweepParallelPlot({
  points,
  names,
  metric,
}: {
  points: readonly SweepPlotPoint[];
  names: readonly string[];
  metric: string;
}) {
  const options = useMemo<Omit<ParallelCoordinatesOptions, 'width'>>(() => {
    const { values, labels } = numericParameters(points, names);
    const rows: ParallelRow[] = points.map((p, i) => ({
      id: p.runId,
      name: p.runName,
      values: { ...values[i], [metric]: p.value ?? null },
    }));
    return {
      rows,
      keys: [...names.filter((n) => n !== metric), metric],
      highlight: [metric],
      height: 320,
      formatValue: (v: number, key: string) =>
        labels.get(key)?.[Math.round(v)] ?? formatNumber(v, 4),
      ariaLabel: `Sweep parameters against ${metric}`,
      emptyText: 'No runs yet',
    };
  }, [points, names, metric]);
  return (
    <section className="card" data-testid="sweep-parallel">
      <div className="card-header">
        <h2>Runs: parameters vs {metric}</h2>
      </div>
      <div className="card-body pc-scroll">
        <VizChart draw={drawParallelCoordinates} options={options} minHeight={320} />
      </div>
    </section>
  );
}
