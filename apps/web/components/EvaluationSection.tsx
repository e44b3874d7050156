'use client';

import {
  drawConfusionMatrix,
  drawHeatmap,
  drawLineChart,
  drawReliabilityDiagram,
  drawRocCurves,
  formatNumber,
  formatPercent,
  metricTileRows,
  topKLabel,
  topKPoints,
  type ConfusionMatrixOptions,
  type ConfusionMode,
  type Extent,
  type HeatmapOptions,
  type LineChartOptions,
  type ReliabilityOptions,
  type RocChartOptions,
  type RocInput,
} from '@convscope/viz';
import { useCallback, useEffect, useMemo, useState } from 'react';
import { gqlRequest } from '../lib/graphql';
import { rocCurvesOf, rocQuery } from '../lib/queries';
import type { Evaluation, RocCurve, SampleImages } from '../lib/queries';
import { CellSamplesPanel } from './CellSamplesPanel';
import { MisclassifiedGallery } from './MisclassifiedGallery';
import { VizChart } from './VizChart';
import { StatRow } from './StatRow';

/**
 * The "Evaluation (<split> split)" section of the run page: headline numbers, five charts, the
 * samples of a clicked confusion-matrix cell and the misclassified-samples gallery.
 */
export function EvaluationSection({
  runId,
  evaluation,
  samples = null,
}: {
  runId: string;
  evaluation: Evaluation;
  /** Stored test images (null: predictions are listed without images). */
  samples?: SampleImages | null;
}) {
  const e = evaluation;
  const [cell, setCell] = useState<{ row: number; col: number } | null>(null);
  const closeCell = useCallback(() => setCell(null), []);
  // A new evaluation has other predictions: drop the open cell (while rendering, not in an
  // effect, so the old cell is never shown against the new evaluation).
  const [cellEvaluation, setCellEvaluation] = useState(e.id);
  if (cellEvaluation !== e.id) {
    setCellEvaluation(e.id);
    setCell(null);
  }
  const stats = [
    { label: 'Accuracy', value: formatPercent(e.accuracy, 2) },
    { label: 'Macro F1', value: e.macro ? formatNumber(e.macro.f1, 4) : '—' },
    { label: 'Log loss', value: formatNumber(e.logLoss, 4) },
    { label: 'ECE', value: formatNumber(e.ece, 4) },
    { label: 'Samples', value: e.numSamples.toLocaleString('en-US') },
  ];
  return (
    <section className="stack" data-testid="evaluation" aria-labelledby="evaluation-title">
      <h2 className="section-title" id="evaluation-title">
        Evaluation ({e.split} split)
        <span className="meta">
          {e.numClasses} classes · {e.numSamples.toLocaleString('en-US')} samples
        </span>
      </h2>
      <StatRow stats={stats} testId="evaluation-stats" />
      <MetricTiles evaluation={e} />
      <div className="grid-2 top">
        <ConfusionMatrixCard evaluation={e} selected={cell} onSelect={setCell} />
        <RocCard runId={runId} evaluation={e} />
      </div>
      {cell ? (
        <CellSamplesPanel
          runId={runId}
          evaluation={e}
          samples={samples}
          cell={cell}
          onClose={closeCell}
        />
      ) : null}
      <div className="grid-2 top">
        <TopKCard evaluation={e} />
        <ReliabilityCard evaluation={e} />
      </div>
      <MisclassifiedGallery runId={runId} evaluation={e} samples={samples} />
    </section>
  );
}

function MetricTiles({ evaluation: e }: { evaluation: Evaluation }) {
  const options = useMemo((): Omit<HeatmapOptions, 'width'> => {
    const { columns, rows } = metricTileRows(e.perClass, e.macro, e.weighted);
    return { columns, rows, legendTitle: 'metric value', ariaLabel: 'per-class metrics' };
  }, [e]);
  return (
    <section className="card" data-testid="evaluation-tiles">
      <div className="card-header">
        <h2>Per-class metrics</h2>
        <span className="meta">one-vs-rest · support per row</span>
      </div>
      <div className="card-body">
        <VizChart draw={drawHeatmap} options={options} minHeight={30 * (e.numClasses + 2) + 80} />
      </div>
    </section>
  );
}

function ConfusionMatrixCard({
  evaluation: e,
  selected,
  onSelect,
}: {
  evaluation: Evaluation;
  selected: { row: number; col: number } | null;
  onSelect: (cell: { row: number; col: number }) => void;
}) {
  const [mode, setMode] = useState<ConfusionMode>('counts');
  const options = useMemo(
    (): Omit<ConfusionMatrixOptions, 'width'> => ({
      matrix: e.confusionMatrix,
      classNames: e.classNames,
      mode,
      ariaLabel: 'confusion matrix',
      selected,
      onCellClick: ({ row, col }) => onSelect({ row, col }),
    }),
    [e, mode, selected, onSelect],
  );
  return (
    <section className="card" data-testid="confusion-matrix">
      <div className="card-header">
        <h2>Confusion matrix</h2>
        <div className="segmented" role="group" aria-label="Confusion matrix values">
          {(
            [
              ['counts', 'Counts'],
              ['normalized', 'Row-normalised'],
            ] as const
          ).map(([value, label]) => (
            <button
              key={value}
              type="button"
              className={mode === value ? 'active' : ''}
              aria-pressed={mode === value}
              data-mode={value}
              onClick={() => setMode(value)}
            >
              {label}
            </button>
          ))}
        </div>
      </div>
      <div className="card-body">
        <VizChart draw={drawConfusionMatrix} options={options} minHeight={360} />
      </div>
    </section>
  );
}

function RocCard({ runId, evaluation: e }: { runId: string; evaluation: Evaluation }) {
  const [curves, setCurves] = useState<(RocCurve | null)[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  // Zoomed false-positive-rate range: ten curves crowd the top-left corner.
  const [zoom, setZoom] = useState<Extent | null>(null);
  useEffect(() => {
    const controller = new AbortController();
    gqlRequest(rocQuery(e.numClasses), { id: runId }, { signal: controller.signal })
      .then((data) => setCurves(rocCurvesOf(data, e.numClasses)))
      .catch((err: unknown) => {
        if (!controller.signal.aborted) setError(err instanceof Error ? err.message : String(err));
      });
    return () => controller.abort();
  }, [runId, e.id, e.numClasses]);
  const options = useMemo((): Omit<RocChartOptions, 'width'> | null => {
    if (!curves) return null;
    const inputs: RocInput[] = [];
    curves.forEach((c, i) => {
      if (c)
        inputs.push({
          label: e.classNames[i] ?? String(i),
          auc: e.perClass[i]?.auc ?? null,
          fpr: c.fpr,
          tpr: c.tpr,
        });
    });
    return {
      curves: inputs,
      height: 420,
      ariaLabel: 'one-vs-rest ROC curves',
      xDomain: zoom,
      onZoom: setZoom,
    };
  }, [curves, e, zoom]);
  return (
    <section className="card" data-testid="roc-curves">
      <div className="card-header">
        <h2>ROC curves</h2>
        <span className="meta">one-vs-rest · dashed: chance · drag to zoom</span>
        <button
          type="button"
          className="btn chart-reset-zoom"
          onClick={() => setZoom(null)}
          disabled={zoom === null}
        >
          Reset zoom
        </button>
      </div>
      <div className="card-body">
        {error ? (
          <div className="muted" role="alert">
            Could not load the ROC curves: {error}
          </div>
        ) : options ? (
          <VizChart draw={drawRocCurves} options={options} minHeight={420} />
        ) : (
          <div className="muted" style={{ minHeight: 420 }}>
            Loading ROC curves…
          </div>
        )}
      </div>
    </section>
  );
}

function TopKCard({ evaluation: e }: { evaluation: Evaluation }) {
  const options = useMemo(
    (): Omit<LineChartOptions, 'width'> => ({
      series: [{ name: 'top-k accuracy', points: topKPoints(e.topK) }],
      height: 300,
      xLabel: 'k',
      yLabel: 'accuracy',
      legend: false,
      margin: { top: 40, right: 28 },
      formatValue: (v: number) => formatPercent(v, 0),
      // "top-3" over "94.0%": two short lines fit between neighbouring points (data-label "top-3 94.0%").
      pointLabel: (p) => [`top-${p.step}`, formatPercent(p.value, 1)],
      ariaLabel: 'top-k accuracy',
    }),
    [e],
  );
  const last = e.topK.length ? e.topK.reduce((a, b) => (b.k > a.k ? b : a)) : null;
  return (
    <section className="card" data-testid="topk-curve">
      <div className="card-header">
        <h2>Top-k accuracy</h2>
        <span className="meta">{last ? topKLabel(last.k, last.accuracy) : null}</span>
      </div>
      <div className="card-body" style={{ paddingTop: 8 }}>
        <VizChart draw={drawLineChart} options={options} minHeight={300} />
      </div>
    </section>
  );
}

function ReliabilityCard({ evaluation: e }: { evaluation: Evaluation }) {
  const options = useMemo(
    (): Omit<ReliabilityOptions, 'width'> => ({
      bins: e.calibration,
      ece: e.ece,
      height: 300,
      ariaLabel: 'reliability diagram',
    }),
    [e],
  );
  return (
    <section className="card" data-testid="reliability">
      <div className="card-header">
        <h2>Reliability diagram</h2>
        <span className="meta">{e.calibration.length} confidence bins</span>
      </div>
      <div className="card-body" style={{ paddingTop: 8 }}>
        <VizChart draw={drawReliabilityDiagram} options={options} minHeight={300} />
      </div>
    </section>
  );
}
