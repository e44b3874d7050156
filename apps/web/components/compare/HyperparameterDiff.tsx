'use client';

import { useState } from 'react';
import { differsFromBaseline, type Comparison } from '../../lib/compare';
import { formatJsonValue } from '../../lib/json';
import { reproducibilityDiff } from '../../lib/reproducibility';
import { EmptyState } from '../EmptyState';
import type { Colors } from './shared';

/**
 * The hyperparameters of the compared runs side by side: those that differ, or all of them.
 * Values that differ from the baseline run's are marked. The table scrolls inside its card
 * (key column sticky) and long values wrap, so no column is clipped however many runs.
 */
export function HyperparameterDiff({
  comparison,
  colorOf,
  baselineId,
}: {
  comparison: Comparison;
  colorOf: Colors;
  /** The run the other runs' values are marked against; default the first. */
  baselineId?: string;
}) {
  const [showAll, setShowAll] = useState(false);
  const baseIndex = Math.max(
    0,
    comparison.runs.findIndex((r) => r.id === baselineId),
  );
  // The reproducibility fields (repro.*: git commit, host, versions, dataset) join the keys.
  const all = [...comparison.hyperparameters, ...reproducibilityDiff(comparison.runs)];
  const rows = all.filter((h) => showAll || h.differs);
  const same = all.length - all.filter((h) => h.differs).length;
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
          <HpTable runs={comparison.runs} rows={rows} colorOf={colorOf} baseIndex={baseIndex} />
        )}
      </div>
    </section>
  );
}

/** The table: a sticky key column, then one column per run (the baseline's badged). */
function HpTable({
  runs,
  rows,
  colorOf,
  baseIndex,
}: {
  runs: Comparison['runs'];
  rows: { key: string; differs: boolean; values: readonly unknown[] }[];
  colorOf: Colors;
  /** Position of the baseline among `runs`. */
  baseIndex: number;
}) {
  return (
    <div className="table-wrap hp-diff-scroll" data-testid="hp-diff-scroll">
      <table className="data hp-diff-table">
        <thead>
          <tr>
            <th className="sticky-col">Key</th>
            {runs.map((r, i) => (
              <th key={r.id} data-run-id={r.id}>
                <span className="swatch" style={{ background: colorOf.get(r.id) }} />
                {r.name}
                {i === baseIndex && runs.length > 1 ? (
                  <span className="baseline-badge">baseline</span>
                ) : null}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((h) => {
            const vsBase = differsFromBaseline(h.values, baseIndex);
            return (
              <tr
                key={h.key}
                data-key={h.key}
                data-differs={h.differs}
                className={h.differs ? 'differs' : undefined}
              >
                <td className="sticky-col">
                  <code>{h.key}</code>
                </td>
                {h.values.map((v, i) => (
                  <td
                    key={i}
                    className={vsBase[i] ? 'hp-value vs-baseline' : 'hp-value'}
                    data-vs-baseline={vsBase[i] ? 'differs' : undefined}
                  >
                    {v === null || v === undefined ? (
                      <span className="faint">—</span>
                    ) : (
                      formatJsonValue(v)
                    )}
                  </td>
                ))}
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
