'use client';

import {
  bestFromSummary,
  drawLineChart,
  drawParallelCoordinates,
  formatNumber,
  formatPercent,
  numericKeys,
  pairTrainValidation,
  seriesColor,
  topKLabel,
  topKPoints,
  type LineChartOptions,
  type LineSeries,
  type ParallelCoordinatesOptions,
  type ParallelRow,
} from '@convscope/viz';
import Link from 'next/link';
import { useMemo, useState } from 'react';
import {
  compareHref,
  deltaTone,
  formatDelta,
  metricChoices,
  metricValue,
  type ClassMetrics,
  type Comparison,
  type ComparedRun,
} from '../lib/compare';
import { formatJsonValue } from '../lib/json';
import type { Json } from '../lib/types';
import { AddRunsByQuery } from './AddRunsByQuery';
import { EmptyState } from './EmptyState';
import { StatusBadge } from './StatusBadge';
import { VizChart } from './VizChart';

const TITLES: Record<string, string> = { loss: 'Loss', accuracy: 'Accuracy', acc: 'Accuracy' };
const CLASS_METRICS = ['precision', 'recall', 'f1'] as const;
const CLASS_METRIC_LABEL: Record<(typeof CLASS_METRICS)[number], string> = {
  precision: 'P',
  recall: 'R',
  f1: 'F1',
};
const DEFAULT_METRIC = 'best.val_accuracy';

/**
 * The compare page body: run headers (one colour per run everywhere), overlaid training and
 * top-k curves, per-class tiles with deltas vs the first run, the hyperparameter diff and a
 * parallel-coordinates plot. The selection lives in the URL (`/compare?runs=a,b`).
 */
export function CompareView({ comparison }: { comparison: Comparison }) {
  const { runs } = comparison;
  const ids = runs.map((r) => r.id);
  const colorOf = useMemo(() => new Map(runs.map((r, i) => [r.id, seriesColor(i)])), [runs]);
  const nameOf = useMemo(() => new Map(runs.map((r) => [r.id, r.name])), [runs]);
  return (
    <div className="compare" data-testid="compare">
      <div className="compare-runs" data-testid="compare-runs">
        {runs.map((run, i) => (
          <div
            key={run.id}
            className="card compare-run"
            data-run-id={run.id}
            style={{ borderTopColor: colorOf.get(run.id) }}
          >
            <div className="compare-run-name">
              <span className="swatch" style={{ background: colorOf.get(run.id) }} />
              <Link href={`/runs/${encodeURIComponent(run.id)}`}>{run.name}</Link>
              {i === 0 ? <span className="faint"> (baseline)</span> : null}
            </div>
            <div className="compare-run-meta">
              <Link href={`/projects/${encodeURIComponent(run.project.name)}`}>
                {run.project.name}
              </Link>
              <StatusBadge status={run.status} />
              {runs.length > 1 ? (
                <Link
                  className="link-button"
                  href={compareHref(ids.filter((id) => id !== run.id))}
                  aria-label={`Remove ${run.name}`}
                >
                  Remove
                </Link>
              ) : null}
            </div>
          </div>
        ))}
      </div>
      <AddRunsByQuery ids={ids} />
      <CompareCurves comparison={comparison} colorOf={colorOf} nameOf={nameOf} />
      <TopKCompare comparison={comparison} colorOf={colorOf} nameOf={nameOf} />
      <ClassTiles comparison={comparison} colorOf={colorOf} />
      <div className="grid-2">
        <HyperparameterDiff comparison={comparison} colorOf={colorOf} />
        <ParallelPlot runs={runs} colorOf={colorOf} />
      </div>
    </div>
  );
}

type Colors = Map<string, string>;

function CompareCurves({
  comparison,
  colorOf,
  nameOf,
}: {
  comparison: Comparison;
  colorOf: Colors;
  nameOf: Map<string, string>;
}) {
  const pairs = useMemo(
    () =>
      // NamedSeries needs points: all runs' points together (only used to pair and filter).
      pairTrainValidation(
        comparison.metrics.map((m) => ({ ...m, points: m.series.flatMap((x) => x.points) })),
      ).filter(
        (p) =>
          TITLES[p.key] ||
          Math.max(
            ...[p.train, p.validation].flatMap((m) => m?.series.map((s) => s.points.length) ?? [0]),
          ) > 1,
      ),
    [comparison.metrics],
  );
  if (pairs.length === 0) return null;
  return (
    <div className="grid-2" data-testid="compare-curves">
      {pairs.map((pair) => {
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
        return (
          <CurveCard
            key={pair.key}
            metricKey={pair.key}
            series={series}
            runs={comparison.runs}
            colorOf={colorOf}
          />
        );
      })}
    </div>
  );
}

/** HTML legend of the overlaid charts: one swatch per run (the SVG legend would overflow with many runs). */
function RunLegend({
  runs,
  colorOf,
  dashedNote,
}: {
  runs: ComparedRun[];
  colorOf: Colors;
  dashedNote?: boolean;
}) {
  return (
    <div className="run-legend">
      {runs.map((r) => (
        <span key={r.id} className="run-legend-item">
          <span className="swatch line" style={{ background: colorOf.get(r.id) }} />
          {r.name}
        </span>
      ))}
      {dashedNote ? (
        <span className="run-legend-item faint">
          <span className="line-key solid" /> training <span className="line-key dashed" />{' '}
          validation
        </span>
      ) : null}
    </div>
  );
}

function CurveCard({
  metricKey,
  series,
  runs,
  colorOf,
}: {
  metricKey: string;
  series: LineSeries[];
  runs: ComparedRun[];
  colorOf: Colors;
}) {
  const options = useMemo<Omit<LineChartOptions, 'width'>>(
    () => ({
      series,
      height: 280,
      xLabel: 'step',
      yLabel: metricKey,
      legend: false,
      margin: { top: 12 },
      ariaLabel: `${metricKey} curves of the compared runs`,
    }),
    [series, metricKey],
  );
  return (
    <section className="card" data-testid={`compare-curve-${metricKey}`}>
      <div className="card-header">
        <h2>{TITLES[metricKey] ?? metricKey}</h2>
        <span className="meta">training solid · validation dashed</span>
      </div>
      <div className="card-body" style={{ paddingTop: 8 }}>
        <RunLegend runs={runs} colorOf={colorOf} dashedNote />
        <VizChart draw={drawLineChart} options={options} minHeight={280} />
      </div>
    </section>
  );
}

function TopKCompare({
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
  const top1 = comparison.topK.map((t) => ({
    runId: t.runId,
    acc: t.topK.find((x) => x.k === 1)?.accuracy ?? null,
  }));
  return (
    <section className="card" data-testid="compare-topk">
      <div className="card-header">
        <h2>Top-k accuracy (test split)</h2>
        <span className="meta">
          {top1
            .filter((t) => t.acc !== null)
            .map((t) => `${nameOf.get(t.runId)}: ${topKLabel(1, t.acc!)}`)
            .join(' · ')}
        </span>
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

function ClassTiles({ comparison, colorOf }: { comparison: Comparison; colorOf: Colors }) {
  const { perClass, runs } = comparison;
  if (perClass.length === 0) return null;
  return (
    <section className="card" data-testid="compare-class-tiles">
      <div className="card-header">
        <h2>Per-class metrics (test split)</h2>
        <span className="meta">
          deltas vs <strong>{runs[0]?.name}</strong>:{' '}
          <span className="delta better">green better</span> ·{' '}
          <span className="delta worse">red worse</span>
        </span>
      </div>
      <div
        className="card-body class-tiles"
        style={{ gridTemplateColumns: `repeat(${runs.length}, minmax(240px, 1fr))` }}
      >
        {runs.map((run, i) => (
          <div
            key={run.id}
            className="class-tile"
            data-testid="class-tile"
            data-run-id={run.id}
            style={{ borderTopColor: colorOf.get(run.id) }}
          >
            <div className="class-tile-title">
              <span className="swatch" style={{ background: colorOf.get(run.id) }} />
              {run.name}
            </div>
            <table className="data compact">
              <thead>
                <tr>
                  <th>Class</th>
                  {CLASS_METRICS.map((m) => (
                    <th key={m} className="num">
                      {CLASS_METRIC_LABEL[m]}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {perClass.map((c) => {
                  const metrics = c.metrics.find((m) => m.runId === run.id);
                  const deltas = c.deltas.find((m) => m.runId === run.id);
                  return (
                    <tr key={c.label} data-class={c.label}>
                      <td>{c.label}</td>
                      {CLASS_METRICS.map((m) => (
                        <ClassCell
                          key={m}
                          metric={m}
                          metrics={metrics}
                          deltas={i === 0 ? undefined : deltas}
                          reserveDelta={runs.length > 1}
                        />
                      ))}
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
        ))}
      </div>
    </section>
  );
}

function ClassCell({
  metric,
  metrics,
  deltas,
  reserveDelta,
}: {
  metric: (typeof CLASS_METRICS)[number];
  metrics?: ClassMetrics;
  deltas?: ClassMetrics;
  /** Keep the delta line's height without a delta (baseline tile) so the tiles' rows line up. */
  reserveDelta: boolean;
}) {
  const value = metrics?.[metric] ?? null;
  const delta = deltas?.[metric] ?? null;
  const tone = deltaTone(delta);
  return (
    <td className={`num class-cell${tone ? ` tone-${tone}` : ''}`} data-metric={metric}>
      <span className="class-value">{value === null ? '—' : value.toFixed(3)}</span>
      {delta !== null && tone ? (
        <span className={`delta ${tone}`} data-testid="class-delta" data-delta={delta}>
          {formatDelta(delta)}
        </span>
      ) : reserveDelta ? (
        <span className="delta" aria-hidden>
          {'\u00a0'}
        </span>
      ) : null}
    </td>
  );
}

function HyperparameterDiff({ comparison, colorOf }: { comparison: Comparison; colorOf: Colors }) {
  const [showAll, setShowAll] = useState(false);
  const rows = comparison.hyperparameters.filter((h) => showAll || h.differs);
  const same =
    comparison.hyperparameters.length - comparison.hyperparameters.filter((h) => h.differs).length;
  return (
    <section className="card" data-testid="hp-diff">
      <div className="card-header">
        <h2>Hyperparameters</h2>
        <label className="meta toggle">
          <input
            type="checkbox"
            checked={showAll}
            onChange={(e) => setShowAll(e.target.checked)}
            data-testid="hp-show-all"
          />
          Show all ({same} equal)
        </label>
      </div>
      <div className="card-body flush">
        {rows.length === 0 ? (
          <EmptyState title="No differences">
            Every hyperparameter is the same in these runs.
          </EmptyState>
        ) : (
          <div className="table-wrap">
            <table className="data">
              <thead>
                <tr>
                  <th>Key</th>
                  {comparison.runs.map((r) => (
                    <th key={r.id}>
                      <span className="swatch" style={{ background: colorOf.get(r.id) }} />
                      {r.name}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {rows.map((h) => (
                  <tr
                    key={h.key}
                    data-key={h.key}
                    data-differs={h.differs}
                    className={h.differs ? 'differs' : undefined}
                  >
                    <td>
                      <code>{h.key}</code>
                    </td>
                    {h.values.map((v, i) => (
                      <td key={i}>
                        {v === null || v === undefined ? (
                          <span className="faint">—</span>
                        ) : (
                          formatJsonValue(v as Json)
                        )}
                      </td>
                    ))}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </div>
    </section>
  );
}

const hpRecord = (run: ComparedRun): Record<string, unknown> =>
  run.hyperparameters &&
  typeof run.hyperparameters === 'object' &&
  !Array.isArray(run.hyperparameters)
    ? run.hyperparameters
    : {};

function ParallelPlot({ runs, colorOf }: { runs: ComparedRun[]; colorOf: Colors }) {
  const choices = useMemo(() => metricChoices(runs), [runs]);
  const [metric, setMetric] = useState(
    choices.includes(DEFAULT_METRIC) ? DEFAULT_METRIC : (choices[0] ?? DEFAULT_METRIC),
  );
  const options = useMemo<Omit<ParallelCoordinatesOptions, 'width'>>(() => {
    const hpKeys = numericKeys(runs.map(hpRecord)).filter((k) => k !== metric);
    const rows: ParallelRow[] = runs.map((run) => {
      const hp = hpRecord(run);
      const values: Record<string, number | null> = {};
      for (const k of hpKeys) values[k] = typeof hp[k] === 'number' ? (hp[k] as number) : null;
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
      <div className="card-body">
        <VizChart draw={drawParallelCoordinates} options={options} minHeight={300} />
      </div>
    </section>
  );
}
