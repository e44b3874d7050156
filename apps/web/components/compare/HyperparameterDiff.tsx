'use client';

import { useState } from 'react';
import type { Comparison } from '../../lib/compare';
import { formatJsonValue } from '../../lib/json';
import { EmptyState } from '../EmptyState';
import type { Colors } from './shared';

/** The hyperparameters of the compared runs side by side: those that differ, or all of them. */
export function HyperparameterDiff({
  comparison,
  colorOf,
}: {
  comparison: Comparison;
  colorOf: Colors;
}) {
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
                          formatJsonValue(v)
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
