'use client';
import {
  METHOD_LABELS,
  PROJECTOR_METHODS,
  type ProjectorColorMode,
  type ProjectorMethod,
} from '@convscope/viz';
import styles from './Projector.module.css';

const MODES: { value: ProjectorColorMode; label: string }[] = [
  { value: 'label', label: 'True class' },
  { value: 'predicted', label: 'Predicted class' },
  { value: 'confidence', label: 'Confidence' },
];

/** The projector's settings: method, colour mode, misclassified marks. */
export interface ProjectorSettings {
  method: ProjectorMethod;
  mode: ProjectorColorMode;
  markWrong: boolean;
}

/** Method switch (methods not computed are disabled), colour mode and the misclassified marks. */
export function ProjectorControls(props: {
  settings: ProjectorSettings;
  onChange: (s: ProjectorSettings) => void;
  /** Methods some layout has. */
  available: readonly ProjectorMethod[];
}) {
  const { settings, onChange, available } = props;
  return (
    <div className={styles.controls}>
      <div role="radiogroup" aria-label="Projection method" className={styles.segmented}>
        {PROJECTOR_METHODS.map((m) => (
          <button
            key={m}
            type="button"
            role="radio"
            aria-checked={settings.method === m}
            disabled={!available.includes(m)}
            className={settings.method === m ? styles.segActive : styles.seg}
            onClick={() => onChange({ ...settings, method: m })}
            title={available.includes(m) ? undefined : 'not computed (see below)'}
          >
            {METHOD_LABELS[m]}
          </button>
        ))}
      </div>
      <label className={styles.field}>
        Colour by{' '}
        <select
          value={settings.mode}
          onChange={(e) => onChange({ ...settings, mode: e.target.value as ProjectorColorMode })}
          data-testid="projector-color-mode"
        >
          {MODES.map((m) => (
            <option key={m.value} value={m.value}>
              {m.label}
            </option>
          ))}
        </select>
      </label>
      <label className={styles.field}>
        <input
          type="checkbox"
          checked={settings.markWrong}
          onChange={(e) => onChange({ ...settings, markWrong: e.target.checked })}
        />{' '}
        Mark misclassified (×)
      </label>
    </div>
  );
}
