'use client';

import { seriesColor } from '@convscope/viz';
import { useMemo } from 'react';
import type { Comparison } from '../../lib/compare';
import { AddRunsByQuery } from '../AddRunsByQuery';
import { ClassTiles } from './ClassTiles';
import { CompareCurves } from './CompareCurves';
import { CompareRunCard } from './CompareRunCard';
import { HyperparameterDiff } from './HyperparameterDiff';
import { ParallelPlot } from './ParallelPlot';
import { TopKCompare } from './TopKCompare';

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
          <CompareRunCard
            key={run.id}
            run={run}
            color={colorOf.get(run.id)}
            baseline={i === 0}
            comparedIds={ids}
          />
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
