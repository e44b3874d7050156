'use client';

import { seriesColor } from '@convscope/viz';
import { useSearchParams } from 'next/navigation';
import { useMemo, useState } from 'react';
import { compareHref, resolveBaseline, type Comparison } from '../../lib/compare';
import { AddRunsByQuery } from '../AddRunsByQuery';
import { BaselineSelect } from './BaselineSelect';
import { ClassTiles } from './ClassTiles';
import { CompareCurves } from './CompareCurves';
import { CompareRunCard } from './CompareRunCard';
import { HyperparameterDiff } from './HyperparameterDiff';
import { ParallelPlot } from './ParallelPlot';
import { TopKCompare } from './TopKCompare';

/**
 * The compare page body: run headers (one colour per run everywhere), a baseline selector,
 * overlaid training and top-k curves, per-class tiles with deltas vs the baseline, the
 * hyperparameter diff (values that differ from the baseline marked) and a parallel-coordinates
 * plot. The selection lives in the URL (`/compare?runs=a,b&baseline=b`); the baseline defaults
 * to the first run.
 */
export function CompareView({ comparison }: { comparison: Comparison }) {
  const { runs } = comparison;
  const ids = runs.map((r) => r.id);
  const colorOf = useMemo(() => new Map(runs.map((r, i) => [r.id, seriesColor(i)])), [runs]);
  const nameOf = useMemo(() => new Map(runs.map((r) => [r.id, r.name])), [runs]);
  const requested = useSearchParams().get('baseline');
  const [chosen, setChosen] = useState<string | null>(requested);
  const baselineId = resolveBaseline(runs, chosen) ?? '';

  function chooseBaseline(id: string) {
    setChosen(id);
    // Shareable without a server round trip: Next keeps useSearchParams in sync with history.
    window.history.replaceState(null, '', compareHref(ids, { baseline: id }));
  }

  return (
    <div className="compare" data-testid="compare" data-baseline={baselineId}>
      <div className="compare-runs" data-testid="compare-runs">
        {runs.map((run) => (
          <CompareRunCard
            key={run.id}
            run={run}
            color={colorOf.get(run.id)}
            baseline={run.id === baselineId}
            baselineId={baselineId}
            comparedIds={ids}
          />
        ))}
      </div>
      {runs.length > 1 ? (
        <BaselineSelect runs={runs} value={baselineId} onChange={chooseBaseline} />
      ) : null}
      <AddRunsByQuery ids={ids} />
      <CompareCurves comparison={comparison} colorOf={colorOf} nameOf={nameOf} />
      <TopKCompare comparison={comparison} colorOf={colorOf} nameOf={nameOf} />
      <ClassTiles comparison={comparison} colorOf={colorOf} baselineId={baselineId} />
      <div className="grid-2 compare-hp">
        <HyperparameterDiff comparison={comparison} colorOf={colorOf} baselineId={baselineId} />
        <ParallelPlot runs={runs} colorOf={colorOf} />
      </div>
    </div>
  );
}
