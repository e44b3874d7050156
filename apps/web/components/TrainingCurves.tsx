'use client';

import {
  bestPoint,
  formatNumber,
  isLayerMetric,
  metricGoal,
  pairTrainValidation,
  PALETTE,
  PHASE_METRIC,
  phaseMarkers,
  epochToX,
  type LineSeries,
  type MetricLevel,
  type VerticalMarker,
  type XAxisMode,
} from '@convscope/viz';
import { useMemo } from 'react';
import { curveAxis, curvePoints, runClock, type RunClock } from '../lib/chart-settings';
import type { MetricSeries } from '../lib/queries';
import { isSystemMetric } from '../lib/system-metrics';
import { ChartControls, ChartPage, useXAxisMode } from './ChartControls';
import { EmptyState } from './EmptyState';
import { LineChart } from './LineChart';

const TITLES: Record<string, string> = { loss: 'Loss', accuracy: 'Accuracy', acc: 'Accuracy' };

/** Curves always drawn, even with a single point (the first epoch of a live run). */
const CORE_CURVES = new Set(Object.keys(TITLES));

/**
 * One chart per metric pair: training solid, validation dashed in a second colour, on shared
 * axes (loss with val_loss, accuracy with val_accuracy, then any other metric). A transfer run's
 * `phase` metric (0 head, 1 fine-tune per epoch) is not a curve: it becomes a labelled vertical
 * marker at the phase boundary on every epoch-level chart. One toolbar above the charts
 * (smoothing, y scale, x axis, outliers, reset zoom) applies to all of them.
 */
export function TrainingCurves({ metrics }: { metrics: MetricSeries[] }) {
  // One-off metrics (test_accuracy logged once at the end) are not curves; the metrics table lists them.
  const pairs = useMemo(
    () =>
      // system/* metrics have their own section (SystemMetrics); the per-layer grad_norm/*,
      // weight_norm/*, dead_relu/* theirs (the Layer distributions card).
      pairTrainValidation(
        metrics.filter(
          (m) => m.name !== PHASE_METRIC && !isSystemMetric(m.name) && !isLayerMetric(m.name),
        ),
      ).filter(
        (p) =>
          CORE_CURVES.has(p.key) ||
          Math.max(p.train?.points.length ?? 0, p.validation?.points.length ?? 0) > 1,
      ),
    [metrics],
  );
  const markers = useMemo(
    () => phaseMarkers(metrics.find((m) => m.name === PHASE_METRIC)?.points ?? []),
    [metrics],
  );
  // When the run began and when each epoch ended: the time and epoch axes need them.
  const clock = useMemo(() => runClock(metrics), [metrics]);
  if (pairs.length === 0) {
    return (
      <section className="card">
        <div className="card-header">
          <h2>Training curves</h2>
        </div>
        <EmptyState title="No metrics logged yet">
          Curves appear as soon as the first epoch reports loss and accuracy.
        </EmptyState>
      </section>
    );
  }
  return (
    <ChartPage>
      <div className="chart-page" data-testid="training-curves-page">
        <ChartControls />
        <div className="grid-2" data-testid="training-curves">
          {pairs.map((pair) => (
            <CurveCard
              key={pair.key}
              metricKey={pair.key}
              train={pair.train}
              validation={pair.validation}
              markers={markers}
              clock={clock}
            />
          ))}
        </div>
      </div>
    </ChartPage>
  );
}

const NO_MARKERS: VerticalMarker[] = [];

/**
 * The phase markers (at epochs) on a chart's x axis: none on a batch axis (batches are not
 * epochs), else placed by the run's clock (time axes); markers it cannot place are left out.
 */
function markersOnAxis(
  markers: readonly VerticalMarker[],
  opts: { mode: XAxisMode; level: MetricLevel; clock: RunClock },
): VerticalMarker[] {
  if (markers.length === 0 || (opts.mode === 'step' && opts.level === 'batch')) return NO_MARKERS;
  return markers.flatMap((m) => {
    const step = epochToX(m.step, { mode: opts.mode, ...opts.clock });
    return step === null ? [] : [{ ...m, step }];
  });
}

function CurveCard({
  metricKey,
  train,
  validation,
  markers,
  clock,
}: {
  metricKey: string;
  train?: MetricSeries;
  validation?: MetricSeries;
  markers: VerticalMarker[];
  clock: RunClock;
}) {
  const mode = useXAxisMode();
  const axis = curveAxis(metricKey, mode);
  const series = useMemo(() => {
    const pointsOf = (m: MetricSeries) => curvePoints(m.points, { metric: m.name, mode, clock });
    const out: LineSeries[] = [];
    if (train) out.push({ name: train.name, points: pointsOf(train), color: PALETTE[0] });
    if (validation)
      out.push({
        name: validation.name,
        points: pointsOf(validation),
        color: PALETTE[1],
        dashed: true,
      });
    return out;
  }, [train, validation, mode, clock]);
  const shownMarkers = useMemo(
    () => markersOnAxis(markers, { mode, level: axis.level, clock }),
    [markers, mode, axis.level, clock],
  );
  // The headline is the validation metric when there is one: that is what model selection uses.
  const headline = validation ?? train;
  const best = headline ? bestPoint(headline.points, metricGoal(headline.name)) : null;
  const downsampled = Boolean(train?.downsampled || validation?.downsampled);
  return (
    <section className="card" data-testid={`curve-${metricKey}`}>
      <div className="card-header">
        <h2>{TITLES[metricKey] ?? metricKey}</h2>
        <span className="meta">
          {best && headline ? (
            <>
              best {headline.name}{' '}
              <strong style={{ color: 'var(--text)' }}>{formatNumber(best.value, 4)}</strong> at{' '}
              {curveAxis(metricKey, 'step').title} {best.step}
            </>
          ) : null}
          {downsampled ? ' · downsampled' : ''}
        </span>
      </div>
      <div className="card-body" style={{ paddingTop: 8 }}>
        <LineChart
          series={series}
          height={260}
          xLabel={axis.title}
          xFormat={axis.format}
          yLabel={metricKey}
          ariaLabel={`${metricKey} curves`}
          markers={shownMarkers}
        />
      </div>
    </section>
  );
}
