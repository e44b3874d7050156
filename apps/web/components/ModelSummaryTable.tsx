import { formatParams } from '@convscope/viz';
import { normalizeModelSummary } from '../lib/model-summary';
import { EmptyState } from './EmptyState';

const count = (n: number | null) => (n === null ? '—' : n.toLocaleString('en-US'));

/** Keras-style model summary: one row per layer with class, output shape and parameter count, then totals. */
export function ModelSummaryTable({ summary }: { summary: unknown }) {
  const view = normalizeModelSummary(summary);
  return (
    <section className="card" data-testid="model-summary">
      <div className="card-header">
        <h2>Model</h2>
        {view?.totalParams != null ? (
          <span className="meta">{formatParams(view.totalParams)} parameters</span>
        ) : null}
      </div>
      <div className="card-body flush">
        {!view ? (
          <EmptyState title="No model summary">
            The trainer did not report the model architecture.
          </EmptyState>
        ) : (
          <>
            {view.facts.length > 0 ? (
              <div
                className="chips"
                style={{ padding: '10px 14px', borderBottom: '1px solid var(--border)' }}
              >
                {view.facts.map((f) => (
                  <span className="chip" key={f.key}>
                    <span className="chip-label">{f.key}</span>
                    {f.value}
                  </span>
                ))}
              </div>
            ) : null}
            <div className="table-wrap">
              <table className="data">
                <thead>
                  <tr>
                    <th>Layer</th>
                    <th>Class</th>
                    <th>Output shape</th>
                    <th className="num">Params</th>
                  </tr>
                </thead>
                <tbody>
                  {view.layers.map((l, i) => (
                    <tr key={`${l.name}-${i}`}>
                      <td className="mono">{l.name}</td>
                      <td>{l.className || <span className="faint">—</span>}</td>
                      <td className="mono">{l.outputShape || <span className="faint">—</span>}</td>
                      <td className="num">{count(l.params)}</td>
                    </tr>
                  ))}
                </tbody>
                <tfoot>
                  <tr>
                    <td colSpan={3}>Total params</td>
                    <td className="num">{count(view.totalParams)}</td>
                  </tr>
                  {view.trainableParams !== null ? (
                    <tr>
                      <td colSpan={3} className="muted">
                        Trainable / non-trainable
                      </td>
                      <td className="num muted">
                        {count(view.trainableParams)} / {count(view.nonTrainableParams)}
                      </td>
                    </tr>
                  ) : null}
                </tfoot>
              </table>
            </div>
          </>
        )}
      </div>
    </section>
  );
}
