'use client';

import { formatPercent } from '@convscope/viz';
import Link from 'next/link';
import { useEffect, useRef } from 'react';
import { explainHref } from '../lib/explain-sample';
import type { Evaluation, Prediction, SampleImages } from '../lib/queries';
import { usePredictionPages } from '../lib/use-prediction-pages';
import { LoadMore } from './LoadMore';
import { PredictedSampleImage, type SampleSource } from './SampleImage';

/** Images per page of a confusion-matrix cell. */
export const CELL_PAGE_SIZE = 48;

/**
 * The test samples of one confusion-matrix cell (true class `row`, predicted class `col`):
 * each image with its true class, prediction and confidence, a page at a time ("Show more").
 * Closed with its button or Escape.
 */
export function CellSamplesPanel({
  runId,
  evaluation: e,
  samples,
  cell,
  onClose,
}: {
  runId: string;
  evaluation: Evaluation;
  samples: SampleImages | null;
  cell: { row: number; col: number };
  onClose: () => void;
}) {
  const { row, col } = cell;
  const pages = usePredictionPages(
    `${e.id}:${row}:${col}`,
    { id: runId, evaluationId: e.id, filter: { label: row, predicted: col } },
    CELL_PAGE_SIZE,
  );
  const ref = usePanelFocus({ cellKey: `${row}:${col}`, onClose });

  const name = (c: number) => e.classNames[c] ?? String(c);
  const expected = e.confusionMatrix[row]?.[col] ?? 0;
  const shown = pages.nodes.length;
  return (
    <section
      ref={ref}
      tabIndex={-1}
      className="card sample-panel"
      data-testid="cell-samples"
      data-row={row}
      data-col={col}
      data-total={pages.totalCount ?? ''}
      aria-labelledby="cell-samples-title"
    >
      <CellHeader
        title={{ trueClass: name(row), predictedClass: name(col) }}
        count={countText({ expected, shown, total: pages.totalCount })}
        correct={row === col}
        onClose={onClose}
      />
      <div className="card-body">
        {!samples ? (
          <p className="muted" data-testid="no-sample-images">
            This run stored no images of its test split; predictions are listed without them.
          </p>
        ) : null}
        {pages.error ? (
          <div className="muted" role="alert">
            Could not load the samples: {pages.error}
          </div>
        ) : null}
        {pages.totalCount === 0 ? (
          <p className="muted">No test sample is in this cell.</p>
        ) : (
          <ul className="sample-grid" data-testid="cell-sample-list">
            {pages.nodes.map((p) => (
              <SampleTile
                key={p.index}
                runId={runId}
                samples={samples}
                prediction={p}
                name={name}
              />
            ))}
          </ul>
        )}
        <LoadMore
          loading={pages.loading}
          hasMore={pages.hasMore}
          left={(pages.totalCount ?? 0) - shown}
          onLoadMore={pages.loadMore}
          testId="cell-samples-more"
        />
      </div>
    </section>
  );
}

/**
 * The panel's element ref: Escape calls `onClose`, and each new cell (`cellKey`) moves focus
 * and the view to the panel so keyboard and screen-reader users land on it.
 */
function usePanelFocus({ cellKey, onClose }: { cellKey: string; onClose: () => void }) {
  const ref = useRef<HTMLElement>(null);
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (event.key === 'Escape') onClose();
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, [onClose]);
  useEffect(() => {
    ref.current?.focus({ preventScroll: true });
    ref.current?.scrollIntoView({ block: 'nearest', behavior: 'smooth' });
  }, [cellKey]);
  return ref;
}

/** One sample of the cell: its image, true class, prediction and confidence. */
function SampleTile({ prediction: p, ...source }: SampleSource & { prediction: Prediction }) {
  const { name } = source;
  return (
    <li
      className="sample-tile"
      data-testid="sample-tile"
      data-index={p.index}
      data-label={p.label}
      data-predicted={p.predicted}
    >
      <PredictedSampleImage {...source} sample={p} />
      <div className="sample-caption">
        <span className="sample-index mono">#{p.index}</span>
        <span title="true class">{name(p.label)}</span>
        <span className={p.correct ? 'sample-pred ok' : 'sample-pred bad'}>
          → {name(p.predicted)}
        </span>
        <span className="sample-confidence" data-testid="sample-confidence">
          {formatPercent(p.confidence, 1)}
        </span>
        <Link
          href={explainHref(source.runId, { sample: p.index })}
          data-testid="sample-explain-link"
          aria-label={`Explain sample ${p.index}`}
          className="sample-explain-link"
        >
          Explain
        </Link>
      </div>
    </li>
  );
}

/** "n samples" (the matrix's count) until the first page answers, then "shown of total sample(s)". */
function countText(c: { expected: number; shown: number; total: number | null }): string {
  return c.total === null
    ? `${c.expected} samples`
    : `${c.shown} of ${c.total} sample${c.total === 1 ? '' : 's'}`;
}

/** Title "True X → predicted Y", the sample count and the close button. */
function CellHeader({
  title,
  count,
  correct,
  onClose,
}: {
  title: { trueClass: string; predictedClass: string };
  count: string;
  correct: boolean;
  onClose: () => void;
}) {
  return (
    <div className="card-header">
      <h2 id="cell-samples-title">
        True <strong>{title.trueClass}</strong> → predicted <strong>{title.predictedClass}</strong>
      </h2>
      <span className="meta">
        {count}
        {correct ? ' · correct' : ' · misclassified'}
      </span>
      <button
        type="button"
        className="icon-button"
        data-testid="cell-samples-close"
        aria-label="Close samples"
        title="Close (Esc)"
        onClick={onClose}
      >
        ×
      </button>
    </div>
  );
}
