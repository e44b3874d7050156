'use client';
import {
  drawHistogramChart,
  histogramBars,
  type HistogramChartOptions,
  type TensorAtEpoch,
} from '@convscope/viz';
import { useId, useMemo } from 'react';
import { VizChart } from '../../VizChart';
import styles from '../LayerDistributions.module.css';

const HEIGHT = 220;

/** One epoch's histogram of the chosen tensor, with an epoch slider over the recorded epochs. */
export function EpochHistogram({
  series,
  index,
  onIndex,
  label,
}: {
  series: readonly TensorAtEpoch[];
  /** Position of the shown epoch in `series`. */
  index: number;
  onIndex: (index: number) => void;
  /** What the values are, e.g. "conv1 kernel". */
  label: string;
}) {
  const id = useId();
  const shown = series[index];
  const options = useMemo(
    (): Omit<HistogramChartOptions, 'width'> => ({
      bars: shown ? histogramBars(shown.stats) : [],
      height: HEIGHT,
      xLabel: label,
      ariaLabel: shown ? `histogram of ${label} at epoch ${shown.step}` : 'histogram',
    }),
    [shown, label],
  );
  if (!shown) return null;
  return (
    <figure className={styles.figure} data-testid="epoch-histogram" data-step={shown.step}>
      <figcaption className={styles.caption}>
        Histogram at epoch {shown.step}
        <span className="faint">
          {' '}
          · {shown.stats.count.toLocaleString('en-US')} values
          {shown.phase ? ` · ${shown.phase}` : ''}
        </span>
      </figcaption>
      <div className={styles.sliderRow}>
        <label htmlFor={id}>Epoch</label>
        <input
          id={id}
          type="range"
          className={styles.range}
          min={0}
          max={Math.max(0, series.length - 1)}
          step={1}
          value={index}
          aria-valuetext={`epoch ${shown.step} of ${series.at(-1)?.step ?? shown.step}`}
          data-testid="histogram-epoch"
          onChange={(e) => onIndex(Number(e.currentTarget.value))}
        />
        <output htmlFor={id} className="mono">
          {shown.step}
        </output>
      </div>
      <VizChart
        draw={drawHistogramChart}
        options={options}
        minHeight={HEIGHT}
        testId="histogram-chart"
      />
    </figure>
  );
}
