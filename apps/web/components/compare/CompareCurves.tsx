'use client';

import { pairTrainValidation, type CurvePair, type LineSeries, type Point } from '@convscope/viz';
import { useMemo } from 'react';
import { batchSeriesOnCommonX, type Comparison } from '../../lib/compare';
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

/** A pair to draw and the title of its x axis (undefined: the chart's default). */
interface ShapedPair {
  pair: CurvePair<PairedMetric>;
  xLabel?: string;
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
  pair: CurvePair<PairedMetric>,
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

/** The compared runs' training curves, one card per metric. */
export function CompareCurves({
  comparison,
  colorOf,
  nameOf,
}: {
  comparison: Comparison;
  colorOf: Colors;
  nameOf: Map<string, string>;
}) {
  const pairs = useMemo(
    () => curvePairs(comparison.metrics).map((p) => onCommonX(p, comparison.runs)),
    [comparison.metrics, comparison.runs],
  );
  if (pairs.length === 0) return null;
  return (
    <div className="grid-2" data-testid="compare-curves">
      {pairs.map(({ pair, xLabel }) => (
        <CurveCard
          key={pair.key}
          metricKey={pair.key}
          xLabel={xLabel}
          series={pairSeries(pair, nameOf, colorOf)}
          runs={comparison.runs}
          colorOf={colorOf}
        />
      ))}
    </div>
  );
}
