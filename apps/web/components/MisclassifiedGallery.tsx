'use client';

import { confidentMistakes, formatPercent, topClasses } from '@convscope/viz';
import Link from 'next/link';
import { useMemo } from 'react';
import { explainHref } from '../lib/explain-sample';
import type { Evaluation, Prediction, SampleImages } from '../lib/queries';
import { usePredictionPages } from '../lib/use-prediction-pages';
import { EmptyState } from './EmptyState';
import { LoadMore } from './LoadMore';
import { PredictedSampleImage, type SampleSource } from './SampleImage';

/** Mistakes per page of the gallery. */
export const MISTAKES_PAGE_SIZE = 24;

/**
 * "Misclassified samples": the test images the model got wrong, the most confident mistakes
 * first, each with its true class and its three most probable classes as bars.
 */
export function MisclassifiedGallery({
  runId,
  evaluation: e,
  samples,
}: {
  runId: string;
  evaluation: Evaluation;
  samples: SampleImages | null;
}) {
  const pages = usePredictionPages(
    `${e.id}:mistakes`,
    {
      id: runId,
      evaluationId: e.id,
      filter: { misclassifiedOnly: true },
      orderBy: 'CONFIDENCE_DESC',
    },
    MISTAKES_PAGE_SIZE,
  );
  // The server already orders by confidence; sorting the merged pages keeps that true.
  const mistakes = useMemo(() => confidentMistakes(pages.nodes), [pages.nodes]);
  const name = (c: number) => e.classNames[c] ?? String(c);
  return (
    <section className="card" data-testid="misclassified" data-total={pages.totalCount ?? ''}>
      <div className="card-header">
        <h2>Misclassified samples</h2>
        <span className="meta">
          {pages.totalCount === null
            ? 'loading…'
            : `${pages.totalCount.toLocaleString('en-US')} mistakes · most confident first · top-3 classes`}
        </span>
      </div>
      <div className="card-body">
        {pages.error ? (
          <div className="muted" role="alert">
            Could not load the misclassified samples: {pages.error}
          </div>
        ) : null}
        {pages.totalCount === 0 ? (
          <EmptyState title="No misclassified samples">
            Every test sample was classified correctly.
          </EmptyState>
        ) : (
          <ul className="mistake-grid">
            {mistakes.map((p) => (
              <MistakeTile
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
          left={(pages.totalCount ?? 0) - pages.nodes.length}
          onLoadMore={pages.loadMore}
          testId="misclassified-more"
        />
      </div>
    </section>
  );
}

/** One mistake: its image, true class and top-3 classes as probability bars. */
function MistakeTile({ prediction: p, ...source }: SampleSource & { prediction: Prediction }) {
  const { name } = source;
  return (
    <li
      className="mistake-tile"
      data-testid="mistake-tile"
      data-index={p.index}
      data-label={p.label}
      data-confidence={p.confidence}
    >
      <PredictedSampleImage {...source} sample={p} />
      <div className="mistake-body">
        <div className="mistake-title">
          <span className="sample-index mono">#{p.index}</span> true{' '}
          <strong data-testid="mistake-true">{name(p.label)}</strong>{' '}
          <Link
            href={explainHref(source.runId, { sample: p.index })}
            data-testid="mistake-explain-link"
            aria-label={`Explain sample ${p.index}`}
            className="sample-explain-link"
          >
            Explain
          </Link>
        </div>
        <ol className="top3" data-testid="top3">
          {topClasses(p.probabilities, 3).map((c) => (
            <li
              key={c.index}
              data-class={c.index}
              data-probability={c.probability}
              className={c.index === p.label ? 'is-true' : c.index === p.predicted ? 'is-pred' : ''}
            >
              <span className="top3-name" title={name(c.index)}>
                {name(c.index)}
              </span>
              <span className="top3-bar" aria-hidden="true">
                <span style={{ width: `${Math.max(0, Math.min(1, c.probability)) * 100}%` }} />
              </span>
              <span className="top3-value">{formatPercent(c.probability, 1)}</span>
            </li>
          ))}
        </ol>
      </div>
    </li>
  );
}
