'use client';
import { CAM_METHODS, type LayerOption } from '../../lib/explain-image';
import styles from '../ExplainImage.module.css';

/** The request fields as the form holds them ("" for "the default"). */
export interface ExplainFormValues {
  method: string;
  /** A class index, or "" for the predicted class. */
  classIndex: string;
  /** A CAM layer name, or "" for the last convolutional layer. */
  layer: string;
  /** A layer name, or "" for the CAM layer. */
  activationsLayer: string;
  topK: number;
}

/** Method, class, layers and top-k of the request, the Explain button and the progress text. */
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
      <label>
        Method
        <select
          value={values.method}
          onChange={(e) => onChange({ method: e.target.value })}
          data-testid="explain-method"
        >
          {CAM_METHODS.map((m) => (
            <option key={m.value} value={m.value}>
              {m.label}
            </option>
          ))}
        </select>
      </label>
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
