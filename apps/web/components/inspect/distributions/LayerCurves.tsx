'use client';
import {
  drawLineChart,
  formatNumber,
  layerCurves,
  type LayerWarning,
  type LineChartOptions,
  type NamedSeries,
} from '@convscope/viz';
import { useMemo } from 'react';
import { VizChart } from '../../VizChart';
import styles from '../LayerDistributions.module.css';

const CURVE_HEIGHT = 240;

/**
 * The per-layer curves of one metric prefix (`grad_norm/`, `dead_relu/`) on one chart, a series
 * per layer; nothing when no layer logged it.
 */
export function LayerCurvesChart({
  metrics,
  prefix,
  title,
  yLabel,
  log,
  testId,
  formatValue,
}: {
  metrics: readonly NamedSeries[];
  prefix: string;
  title: string;
  yLabel: string;
  log?: boolean;
  testId: string;
  formatValue?: (v: number) => string;
}) {
  const options = useMemo((): Omit<LineChartOptions, 'width'> => {
    const series = layerCurves(metrics, prefix).map((c) => ({ name: c.layer, points: c.points }));
    return {
      series,
      height: CURVE_HEIGHT,
      xLabel: 'epoch',
      yLabel,
      yScale: log ? 'log' : 'linear',
      formatValue: formatValue ?? ((v: number) => formatNumber(v, 3)),
      ariaLabel: `${title} per layer over epochs`,
    };
  }, [metrics, prefix, yLabel, log, title, formatValue]);
  if (options.series.length === 0) return null;
  return (
    <figure className={styles.figure} data-testid={testId} data-layers={options.series.length}>
      <figcaption className={styles.caption}>{title}</figcaption>
      <VizChart draw={drawLineChart} options={options} minHeight={CURVE_HEIGHT} />
    </figure>
  );
}

/** The warnings of the layers whose gradients vanished or whose ReLU units died. */
export function LayerWarnings({ warnings }: { warnings: readonly LayerWarning[] }) {
  if (warnings.length === 0) return null;
  return (
    <ul className={styles.warnings} data-testid="layer-warnings" role="status">
      {warnings.map((w) => (
        <li key={`${w.kind}:${w.layer}`} data-kind={w.kind} data-layer={w.layer}>
          <strong>{w.kind === 'dead' ? 'Dead ReLU units' : 'Vanishing gradient'}</strong>{' '}
          {w.message}
        </li>
      ))}
    </ul>
  );
}
