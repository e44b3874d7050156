'use client';
import type { LayerOption } from '../../lib/explain-image';
import styles from '../ExplainImage.module.css';
import { MAX_METHODS, METHOD_GROUPS, toggleMethod } from './result-shaping';

/** The request fields as the form holds them ("" for "the default"). */
export interface ExplainFormValues {
  /** Methods computed side by side (1 to MAX_METHODS). */
  methods: string[];
  /** A class index, or "" for the predicted class. */
  classIndex: string;
  /** A CAM layer name, or "" for the last convolutional layer. */
  layer: string;
  /** A layer name, or "" for the CAM layer. */
  activationsLayer: string;
  topK: number;
}

/** Methods, class, layers and top-k of the request, the Explain button and the progress text. */
export function ExplainFields({
  values,
  onChange,
  classNames,
  camLayers,
  layers,
  canSubmit,
  status,
  onSubmit,
}: {
  values: ExplainFormValues;
  onChange: (patch: Partial<ExplainFormValues>) => void;
  classNames: string[];
  camLayers: LayerOption[];
  layers: LayerOption[];
  canSubmit: boolean;
  status: string | null;
  onSubmit: () => void;
}) {
  return (
    <div className={styles.fields}>
      <MethodPicker chosen={values.methods} onChange={(methods) => onChange({ methods })} />
      <ClassSelect
        value={values.classIndex}
        onChange={(classIndex) => onChange({ classIndex })}
        classNames={classNames}
      />
      <LayerSelect
        label="CAM layer"
        value={values.layer}
        onChange={(layer) => onChange({ layer })}
        testId="explain-layer"
        defaultLabel="Last convolutional (default)"
        options={camLayers}
      />
      <LayerSelect
        label="Activations of"
        value={values.activationsLayer}
        onChange={(activationsLayer) => onChange({ activationsLayer })}
        testId="explain-activations-layer"
        defaultLabel="The CAM layer"
        options={layers}
      />
      <TopKInput
        value={values.topK}
        onChange={(topK) => onChange({ topK })}
        classes={classNames.length}
      />
      <button
        type="button"
        className="btn btn-primary"
        disabled={!canSubmit}
        onClick={onSubmit}
        data-testid="explain-submit"
      >
        Explain
      </button>
      {status ? (
        <span className="meta" data-testid="explain-status">
          {status}
        </span>
      ) : null}
    </div>
  );
}

/**
 * The methods to compute side by side, as checkboxes in two groups (CAMs at a layer, input
 * attributions); one at least, {@link MAX_METHODS} at most (the others are disabled then).
 */
function MethodPicker({
  chosen,
  onChange,
}: {
  chosen: string[];
  onChange: (methods: string[]) => void;
}) {
  const full = chosen.length >= MAX_METHODS;
  return (
    <fieldset className={styles.methodPicker} data-testid="explain-methods">
      <legend>
        Methods, side by side{' '}
        <span className="meta">
          ({chosen.length} of at most {MAX_METHODS})
        </span>
      </legend>
      {METHOD_GROUPS.map((g) => (
        <div key={g.name} className={styles.methodGroup} role="group" aria-label={g.name}>
          <span className="meta">{g.name}</span>
          {g.methods.map((m) => {
            const on = chosen.includes(m.value);
            return (
              <label key={m.value} className={styles.methodOption}>
                <input
                  type="checkbox"
                  checked={on}
                  disabled={(full && !on) || (on && chosen.length === 1)}
                  onChange={(e) => onChange(toggleMethod(chosen, m.value, e.target.checked))}
                  data-testid="explain-method"
                  data-method={m.value}
                />
                {m.label}
              </label>
            );
          })}
        </div>
      ))}
    </fieldset>
  );
}

/** A layer picker: "" for `defaultLabel`, then each layer with its output shape. */
function LayerSelect({
  label,
  value,
  onChange,
  testId,
  defaultLabel,
  options,
}: {
  label: string;
  value: string;
  onChange: (value: string) => void;
  testId: string;
  defaultLabel: string;
  options: LayerOption[];
}) {
  return (
    <label>
      {label}
      <select value={value} onChange={(e) => onChange(e.target.value)} data-testid={testId}>
        <option value="">{defaultLabel}</option>
        {options.map((l) => (
          <option key={l.name} value={l.name}>
            {l.name} ({l.shape.join('×')})
          </option>
        ))}
      </select>
    </label>
  );
}

/** The class to explain: "" for the predicted class, or an index with its name. */
function ClassSelect({
  value,
  onChange,
  classNames,
}: {
  value: string;
  onChange: (value: string) => void;
  classNames: string[];
}) {
  return (
    <label>
      Class
      <select value={value} onChange={(e) => onChange(e.target.value)} data-testid="explain-class">
        <option value="">Predicted class</option>
        {classNames.map((n, i) => (
          <option key={i} value={i}>
            {i}: {n}
          </option>
        ))}
      </select>
    </label>
  );
}

/** How many top classes to list: at least 1, at most the number of classes (100 if unknown). */
function TopKInput({
  value,
  onChange,
  classes,
}: {
  value: number;
  onChange: (value: number) => void;
  classes: number;
}) {
  return (
    <label>
      Top k
      <input
        type="number"
        min={1}
        max={Math.max(1, classes || 100)}
        value={value}
        onChange={(e) => onChange(Math.max(1, Number(e.target.value) || 1))}
      />
    </label>
  );
}
