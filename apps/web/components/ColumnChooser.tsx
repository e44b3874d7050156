'use client';

import { columnLabel, toggleColumn } from '@convscope/viz';

/** A column the chooser offers. */
export interface ColumnOption {
  key: string;
  label: string;
}

/** Props of {@link ColumnChooser}. */
export interface ColumnChooserProps {
  /** The built-in columns (status, run, preset, ..., created). */
  builtins: readonly ColumnOption[];
  /** Hyperparameter, metric (best/last) and tags column keys of the loaded runs. */
  dynamic: readonly string[];
  /** The columns shown, in order. */
  chosen: readonly string[];
  onChange: (keys: string[]) => void;
  /** Back to the default columns (forgets the choice). */
  onReset: () => void;
}

/**
 * "Columns" menu: a checkbox per built-in column, per hyperparameter, per metric's best and last
 * value, and the tags. A checked column is appended at the right; the run name cannot be removed
 * (it links to the run). The choice lives in the URL (`?cols=`) and the browser (per project).
 */
export function ColumnChooser({
  builtins,
  dynamic,
  chosen,
  onChange,
  onReset,
}: ColumnChooserProps) {
  const hp = dynamic.filter((k) => k.startsWith('hp.'));
  const metrics = dynamic.filter((k) => k.startsWith('best.') || k.startsWith('final.'));
  const other = dynamic.filter((k) => !hp.includes(k) && !metrics.includes(k));
  const box = (key: string, label: string) => (
    <label key={key} className="chooser-option">
      <input
        type="checkbox"
        checked={chosen.includes(key)}
        disabled={key === 'name'}
        aria-label={`Column ${label}`}
        data-column-key={key}
        onChange={() => onChange(toggleColumn(chosen, key))}
      />
      <span>{label}</span>
    </label>
  );
  return (
    <details className="menu column-chooser" data-testid="column-chooser">
      <summary className="btn">Columns</summary>
      <div className="menu-panel" role="group" aria-label="Columns">
        <fieldset>
          <legend>Run</legend>
          {builtins.map((c) => box(c.key, c.label))}
        </fieldset>
        {hp.length > 0 ? (
          <fieldset>
            <legend>Hyperparameters</legend>
            {hp.map((k) => box(k, columnLabel(k)))}
          </fieldset>
        ) : null}
        {metrics.length > 0 ? (
          <fieldset>
            <legend>Metrics</legend>
            {metrics.map((k) => box(k, columnLabel(k)))}
          </fieldset>
        ) : null}
        {other.length > 0 ? (
          <fieldset>
            <legend>Other</legend>
            {other.map((k) => box(k, columnLabel(k)))}
          </fieldset>
        ) : null}
        <button type="button" className="link-button" onClick={onReset}>
          Default columns
        </button>
      </div>
    </details>
  );
}
