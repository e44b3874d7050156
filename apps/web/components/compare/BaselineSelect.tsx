import type { ComparedRun } from '../../lib/compare';

/**
 * The explicit choice of the baseline: the run whose per-class numbers every other run's deltas
 * are measured against, and whose hyperparameters the others are marked against.
 */
export function BaselineSelect({
  runs,
  value,
  onChange,
}: {
  runs: readonly ComparedRun[];
  /** Id of the current baseline. */
  value: string;
  onChange: (runId: string) => void;
}) {
  return (
    <div className="card compare-baseline" data-testid="compare-baseline">
      <label className="compare-baseline-label">
        <span className="meta">Baseline</span>
        <select
          value={value}
          onChange={(e) => onChange(e.target.value)}
          data-testid="baseline-select"
        >
          {runs.map((r) => (
            <option key={r.id} value={r.id}>
              {r.name}
            </option>
          ))}
        </select>
      </label>
      <span className="meta">
        Per-class deltas and the marked hyperparameters compare every run with this one.
      </span>
    </div>
  );
}
