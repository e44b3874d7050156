'use client';

import {
  drawBoxplots,
  formatNumber,
  formatPercent,
  sampleBoxplotRows,
  type BoxplotOptions,
} from '@convscope/viz';
import { useMemo, useState } from 'react';
import type { SampleImages, Uncertainty, UncertaintySample } from '../lib/queries';
import { LoadMore } from './LoadMore';
import { PredictedSampleImage } from './SampleImage';
import { useUncertainPages, type UncertaintyOrder } from './use-uncertain-pages';
import { VizChart } from './VizChart';
import { StatRow } from './StatRow';

const METHOD_NAMES: Record<string, string> = {
  'mc-dropout': 'MC dropout',
  variational: 'variational latent',
};

/**
 * The "Uncertainty" section of the run page (runs whose model samples at prediction): the
 * summary of the Monte Carlo passes, the most uncertain test images (by predictive entropy or
 * mutual information) and, for the selected image, boxplots of every class's probability over
 * the passes.
 */
export function UncertaintySection({
  runId,
  uncertainty: u,
  samples,
}: {
  runId: string;
  uncertainty: Uncertainty;
  samples: SampleImages | null;
}) {
  const [order, setOrder] = useState<UncertaintyOrder>('ENTROPY_DESC');
  const pages = useUncertainPages(runId, u.id, order);
  const [selected, setSelected] = useState<number | null>(null);
  // The selection follows the list: the first (most uncertain) sample until one is clicked.
  const current = pages.nodes.find((s) => s.index === selected) ?? pages.nodes[0];
  const name = (c: number) => u.classNames[c] ?? String(c);
  return (
    <section className="stack" data-testid="uncertainty" aria-labelledby="uncertainty-title">
      <h2 className="section-title" id="uncertainty-title">
        Uncertainty ({u.split} split)
        <span className="meta">
          {METHOD_NAMES[u.method] ?? u.method} · {u.passes} stochastic passes ·{' '}
          {u.numSamples.toLocaleString('en-US')} samples
        </span>
      </h2>
      <UncertaintyStats uncertainty={u} />
      <div className="grid-2 top">
        <section className="card" data-testid="uncertain-gallery" data-order={order}>
          <div className="card-header">
            <h2>Most uncertain samples</h2>
            <label className="meta">
              by{' '}
              <select
                value={order}
                data-testid="uncertainty-order"
                onChange={(e) => {
                  setOrder(e.target.value as UncertaintyOrder);
                  setSelected(null);
                }}
              >
                <option value="ENTROPY_DESC">predictive entropy</option>
                <option value="MI_DESC">mutual information</option>
              </select>
            </label>
          </div>
          <div className="card-body">
            {pages.error ? (
              <div className="muted" role="alert">
                Could not load the samples: {pages.error}
              </div>
            ) : null}
            <ul className="sample-grid uncertain-grid">
              {pages.nodes.map((s) => (
                <UncertainTile
                  key={s.index}
                  runId={runId}
                  samples={samples}
                  sample={s}
                  selected={s.index === current?.index}
                  name={name}
                  onSelect={() => setSelected(s.index)}
                />
              ))}
            </ul>
            <LoadMore
              loading={pages.loading}
              hasMore={pages.hasMore}
              left={null}
              onLoadMore={pages.loadMore}
              testId="uncertain-more"
            />
          </div>
        </section>
        <BoxplotCard sample={current ?? null} classNames={u.classNames} passes={u.passes} />
      </div>
    </section>
  );
}

function BoxplotCard({
  sample,
  classNames,
  passes,
}: {
  sample: UncertaintySample | null;
  classNames: string[];
  passes: number;
}) {
  const options = useMemo(
    (): Omit<BoxplotOptions, 'width'> => ({
      rows: sample ? sampleBoxplotRows(sample, classNames) : [],
      ariaLabel: sample ? `class probabilities of sample ${sample.index}` : 'class probabilities',
    }),
    [sample, classNames],
  );
  return (
    <section className="card" data-testid="uncertainty-boxplots" data-index={sample?.index ?? ''}>
      <div className="card-header">
        <h2>Class probabilities over {passes} passes</h2>
        <span className="meta">
          {sample ? `sample #${sample.index} · ` : ''}box q1–q3 · whiskers min–max · dot mean
        </span>
      </div>
      <div className="card-body">
        {sample ? (
          <>
            <div className="boxplot-legend muted">
              <span className="legend-true">true class</span>{' '}
              <span className="legend-pred">predicted class</span>
            </div>
            <VizChart
              draw={drawBoxplots}
              options={options}
              minHeight={22 * classNames.length + 66}
            />
          </>
        ) : (
          <div className="muted">Select a sample to see its class probabilities.</div>
        )}
      </div>
    </section>
  );
}

/** The summary numbers of the Monte Carlo passes, one stat card each. */
function UncertaintyStats({ uncertainty: u }: { uncertainty: Uncertainty }) {
  const stats = [
    { label: 'Accuracy (MC mean)', value: formatPercent(u.accuracy, 2) },
    { label: 'AUC (macro, one-vs-rest)', value: formatNumber(u.auc, 4) },
    { label: 'Mean entropy', value: `${formatNumber(u.meanEntropy, 3)} nats` },
    { label: 'Mean mutual information', value: `${formatNumber(u.meanMutualInformation, 3)} nats` },
    { label: 'Passes', value: u.passes.toLocaleString('en-US') },
  ];
  return <StatRow stats={stats} testId="uncertainty-stats" />;
}

/** A gallery tile: the image, true and predicted class, entropy and mutual information. */
function UncertainTile({
  runId,
  samples,
  sample: s,
  selected,
  name,
  onSelect,
}: {
  runId: string;
  samples: SampleImages | null;
  sample: UncertaintySample;
  selected: boolean;
  name: (c: number) => string;
  onSelect: () => void;
}) {
  return (
    <li>
      <button
        type="button"
        className={`sample-tile uncertain-tile${selected ? ' selected' : ''}`}
        data-testid="uncertain-tile"
        data-index={s.index}
        data-entropy={s.entropy}
        data-mi={s.mutualInformation}
        aria-pressed={selected}
        onClick={onSelect}
      >
        <PredictedSampleImage runId={runId} samples={samples} name={name} sample={s} />
        <span className="sample-caption">
          <span className="sample-index mono">#{s.index}</span>
          <span>
            true <strong>{name(s.label)}</strong>
          </span>
          <span className={`sample-pred ${s.correct ? 'ok' : 'bad'}`}>
            pred {name(s.predicted)}
          </span>
          <span className="sample-confidence">
            H {formatNumber(s.entropy, 3)} · MI {formatNumber(s.mutualInformation, 3)}
          </span>
        </span>
      </button>
    </li>
  );
}
