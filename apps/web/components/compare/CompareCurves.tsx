'use client';

import {
  pairTrainValidation,
  type CurvePair,
  type LineSeries,
  type Point,
  type XAxisMode,
  type XFormat,
} from '@convscope/viz';
import { useMemo } from 'react';
import { curveAxis, curvePoints, runClock, type RunClock } from '../../lib/chart-settings';
import { batchSeriesOnCommonX, type Comparison } from '../../lib/compare';
import { ChartControls, ChartPage, useXAxisMode } from '../ChartControls';
import { CurveCard } from './CurveCard';
import { CURVE_TITLES, type Colors } from './shared';

/** A compared metric with every run's points together (what pairing needs). */
type PairedMetric = Comparison['metrics'][number] & { points: Point[] };

/**
 * The metrics worth a chart, as training / validation pairs: loss and accuracy always, others
 * once some run has more than one point of them.
 */
function curvePairs(metrics: Comparison['metrics']): CurvePair<PairedMetric>[] {
  // NamedSeries needs points: all runs' points together (only used to pair and filter).
  return pairTrainValidation(
    metrics.map((m) => ({ ...m, points: m.series.flatMap((x) => x.points) })),
  ).filter(
    (p) =>
      CURVE_TITLES[p.key] ||
      Math.max(
        ...[p.train, p.validation].flatMap((m) => m?.series.map((s) => s.points.length) ?? [0]),
      ) > 1,
  );
}

/** A metric as drawn: every run's points on the chosen x (only step and value are read). */
interface DrawnMetric {
  name: string;
  points: Point[];
  series: { runId: string; points: readonly Point[] }[];
}

/** A pair to draw, the title of its x axis (undefined: the chart's default) and its tick format. */
interface ShapedPair {
  pair: CurvePair<DrawnMetric>;
  xLabel?: string;
  xFormat?: XFormat;
}

/** Each run's clock (first point, epoch ends) from its compared metrics. */
function runClocks(metrics: Comparison['metrics']): Map<string, RunClock> {
  const byRun = new Map<string, { name: string; points: Point[] }[]>();
  for (const m of metrics)
    for (const s of m.series) {
      const list = byRun.get(s.runId) ?? [];
      list.push({ name: m.name, points: s.points });
      byRun.set(s.runId, list);
    }
  return new Map([...byRun].map(([runId, list]) => [runId, runClock(list)]));
}

/**
 * A pair on the page's x axis: in step mode epoch-level steps are epochs and batch-level ones
 * go on a common x ({@link onCommonX}); the epoch and time modes place every run's points by
 * its own clock (relative time counts from each run's first point).
 */
function onAxis(
  pair: CurvePair<PairedMetric>,
  opts: { mode: XAxisMode; runs: Comparison['runs']; clocks: Map<string, RunClock> },
): ShapedPair {
  const axis = curveAxis(pair.key, opts.mode);
  if (opts.mode === 'step') {
    const shaped = onCommonX(pair, opts.runs);
    return { ...shaped, xLabel: shaped.xLabel ?? axis.title, xFormat: axis.format };
  }
  const shape = (m: PairedMetric | undefined): DrawnMetric | undefined => {
    if (!m) return m;
    const series = m.series.map((s) => ({
      runId: s.runId,
      points: curvePoints(s.points, {
        metric: m.name,
        mode: opts.mode,
        clock: opts.clocks.get(s.runId) ?? { origin: null, epochs: [] },
      }),
    }));
    return { name: m.name, points: m.points, series };
  };
  return {
    pair: { ...pair, train: shape(pair.train), validation: shape(pair.validation) },
    xLabel: axis.title,
    xFormat: axis.format,
  };
}

/**
 * Batch-level pairs (`batch_loss`, logged at the global batch step) on a common x: samples seen
 * (step × each run's batch size), since raw steps of runs with different batch sizes do not line
 * up; epoch-level pairs unchanged.
 */
function onCommonX(pair: CurvePair<PairedMetric>, runs: Comparison['runs']): ShapedPair {
  if (!pair.key.startsWith('batch_')) return { pair };
  let xLabel: string | undefined;
  const shape = (m: PairedMetric | undefined): PairedMetric | undefined => {
    if (!m) return m;
    const { series, axis } = batchSeriesOnCommonX(m.series, runs);
    xLabel ??= axis.label;
    return { ...m, series };
  };
  return {
    pair: { ...pair, train: shape(pair.train), validation: shape(pair.validation) },
    xLabel,
  };
}

/** The lines of one pair: every run's training curve solid and validation curve dashed. */
function pairSeries(
  pair: CurvePair<DrawnMetric>,
  nameOf: Map<string, string>,
  colorOf: Colors,
): LineSeries[] {
  const series: LineSeries[] = [];
  for (const [metric, dashed] of [
    [pair.train, false],
    [pair.validation, true],
  ] as const) {
    if (!metric) continue;
    for (const s of metric.series) {
      if (s.points.length === 0) continue;
      series.push({
        name: `${nameOf.get(s.runId) ?? s.runId} · ${metric.name}`,
        points: s.points,
        color: colorOf.get(s.runId),
        dashed,
      });
    }
  }
  return series;
}

/**
 * The compared runs' training curves, one card per metric, under one chart toolbar (smoothing,
 * y scale, x axis, outliers, reset zoom) shared by all of them.
 */
export function CompareCurves(props: {
  comparison: Comparison;
  colorOf: Colors;
  nameOf: Map<string, string>;
}) {
  return (
    <ChartPage>
      <CurveGrid {...props} />
    </ChartPage>
  );
}

function CurveGrid({
  comparison,
  colorOf,
  nameOf,
}: {
  comparison: Comparison;
  colorOf: Colors;
  nameOf: Map<string, string>;
}) {
  const mode = useXAxisMode();
  const clocks = useMemo(() => runClocks(comparison.metrics), [comparison.metrics]);
  const pairs = useMemo(
    () =>
      curvePairs(comparison.metrics).map((p) => onAxis(p, { mode, runs: comparison.runs, clocks })),
    [comparison.metrics, comparison.runs, mode, clocks],
  );
  if (pairs.length === 0) return null;
  return (
    <div className="chart-page" data-testid="compare-curves-page">
      <ChartControls />
      <div className="grid-2" data-testid="compare-curves">
        {pairs.map(({ pair, xLabel, xFormat }) => (
          <CurveCard
            key={pair.key}
            metricKey={pair.key}
            xLabel={xLabel}
            xFormat={xFormat}
            series={pairSeries(pair, nameOf, colorOf)}
            runs={comparison.runs}
            colorOf={colorOf}
          />
        ))}
      </div>
    </div>
  );
}
