'use client';

import {
  bestFromSummary,
  drawParallelCoordinates,
  formatNumber,
  numericKeys,
  type ParallelCoordinatesOptions,
  type ParallelRow,
} from '@convscope/viz';
import { useMemo, useState } from 'react';
import { metricChoices, metricValue, type ComparedRun } from '../../lib/compare';
import { isJsonObject } from '../../lib/json';
import { VizChart } from '../VizChart';
import type { Colors } from './shared';

/** The metric the plot starts on when the runs have it. */
const DEFAULT_METRIC = 'best.val_accuracy';

/** A run's hyperparameters as a record ({} when they are not a JSON object). */
const hpRecord = (run: ComparedRun): Record<string, unknown> =>
  isJsonObject(run.hyperparameters) ? run.hyperparameters : {};

/** Parallel coordinates of the runs' numeric hyperparameters against a chosen metric. */
export function ParallelPlot({ runs, colorOf }: { runs: ComparedRun[]; colorOf: Colors }) {
  const choices = useMemo(() => metricChoices(runs), [runs]);
  const [metric, setMetric] = useState(
    choices.includes(DEFAULT_METRIC) ? DEFAULT_METRIC : (choices[0] ?? DEFAULT_METRIC),
  );
  const options = useMemo<Omit<ParallelCoordinatesOptions, 'width'>>(() => {
    const hpKeys = numericKeys(runs.map(hpRecord)).filter((k) => k !== metric);
    const rows: ParallelRow[] = runs.map((run) => {
      const hp = hpRecord(run);
      const values: Record<string, number | null> = {};
      for (const k of hpKeys) {
        const v = hp[k];
        values[k] = typeof v === 'number' ? v : null;
      }
      values[metric] = metricValue(run, metric, bestFromSummary);
      return { id: run.id, name: run.name, values, color: colorOf.get(run.id) };
    });
    return {
      rows,
      keys: [...hpKeys, metric],
      highlight: [metric],
      height: 300,
      formatValue: (v: number) => formatNumber(v, 4),
      ariaLabel: `Numeric hyperparameters against ${metric}`,
    };
  }, [runs, metric, colorOf]);
  return (
    <section className="card" data-testid="parallel-coordinates">
      <div className="card-header">
        <h2>Hyperparameters vs metric</h2>
        <label className="meta">
          Metric{' '}
          <select
            aria-label="Metric"
            value={metric}
            onChange={(e) => setMetric(e.target.value)}
            data-testid="pc-metric"
          >
            {choices.map((c) => (
              <option key={c} value={c}>
                {c}
              </option>
            ))}
          </select>
        </label>
      </div>
      {/* The plot grows wider than the card when its tick labels need room: it scrolls. */}
      <div className="card-body pc-scroll" data-testid="pc-scroll">
        <VizChart draw={drawParallelCoordinates} options={options} minHeight={300} />
      </div>
    </section>
  );
}
