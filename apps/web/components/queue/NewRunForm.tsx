'use client';

// The "New run" form: preset, data, training settings, tags/notes/priority, worker requirements
// and an "Advanced" config box (YAML or JSON). Checked with @convscope/schemas' form schema
// before anything is sent (each error under its field, naming it); queueRun's answer opens the
// new run's page, where it shows QUEUED.
import {
  NEW_RUN_LABELS,
  OPTIMIZERS,
  WORKER_BACKENDS,
  type NewRunField,
  type NewRunFormValues,
} from '@convscope/schemas';
import { useId, useState, type ReactNode } from 'react';
import { Field } from '../Field';
import { InlineError } from '../InlineError';
import { SubmitButton } from '../SubmitButton';
import styles from './NewRunForm.module.css';
import { useNewRun, type NewRunProject, type PresetOption } from './use-new-run';

/** Props of {@link NewRunForm}. */
export interface NewRunFormProps {
  /** Projects the caller may queue into (editor or owner). */
  projects: NewRunProject[];
  /** The project chosen at first (its name). */
  project: string;
  presets: PresetOption[];
  /** The form's first values (empty, or pre-filled from a run). */
  initial: NewRunFormValues;
  /** The run this one copies ("Run again with changes"). */
  sourceRunId?: string;
}

/** The New run form. */
export function NewRunForm(props: NewRunFormProps) {
  const id = useId();
  const s = useNewRun(props);
  // Every string field's input props: id, value, change, and its error with the error's id.
  const f = (name: TextField) => ({
    id: `${id}-${name}`,
    errorId: `${id}-${name}-error`,
    error: s.errors[name],
    value: s.values[name],
    onChange: (v: string) => s.set(name, v),
  });
  return (
    <form
      className={`form-stack ${styles.form}`}
      onSubmit={s.onSubmit}
      noValidate
      data-testid="new-run-form"
    >
      <WhatSection id={id} s={s} f={f} presets={props.presets} projects={props.projects} />
      <DataSection id={id} s={s} f={f} />
      <TrainingSection s={s} f={f} />
      <RunSection f={f} />
      <RequirementsSection id={id} s={s} f={f} />
      <AdvancedSection f={f} />
      <InlineError message={s.submit.error} data-testid="new-run-error" />
      <div>
        <SubmitButton
          pending={s.submit.pending}
          pendingLabel="Queueing…"
          data-testid="new-run-submit"
        >
          Queue run
        </SubmitButton>
      </div>
    </form>
  );
}

/** The fields held as text (every field but the GPU checkbox and the data source). */
type TextField = Exclude<NewRunField, 'gpu' | 'dataSource'>;
type FormState = ReturnType<typeof useNewRun>;
type Bind = (name: TextField) => Omit<ControlProps, 'label' | 'testId'>;

/** A field's placeholder: the preset's default when known. */
const presetDefault = (v: number | undefined) => (v === undefined ? "preset's" : `${v} (preset's)`);

/** Preset, project and name. */
function WhatSection({
  id,
  s,
  f,
  presets,
  projects,
}: {
  id: string;
  s: FormState;
  f: Bind;
  presets: PresetOption[];
  projects: NewRunProject[];
}) {
  return (
    <>
      <Section title="What to train">
        <Select {...f('preset')} label="Preset" testId="new-run-preset">
          <option value="">None (model: in the config)</option>
          {presets.map((p) => (
            <option key={p.name} value={p.name}>
              {p.name} — {p.inputShape.join('×')}, {p.classes} classes
            </option>
          ))}
        </Select>
        <Select
          id={`${id}-project`}
          errorId={`${id}-project-error`}
          error={s.projectError}
          label="Project"
          value={s.project}
          onChange={s.setProject}
          testId="new-run-project"
        >
          {projects.map((p) => (
            <option key={p.id} value={p.name}>
              {p.name}
            </option>
          ))}
        </Select>
        <Text
          {...f('name')}
          label="Name (optional)"
          placeholder="<preset>-<short id>"
          testId="new-run-name"
        />
      </Section>
      {s.preset ? (
        <p className="field-help" data-testid="new-run-preset-help">
          {s.preset.description}
        </p>
      ) : null}
    </>
  );
}

/** Fashion-MNIST or an image folder on the worker, and how many training images to use. */
function DataSection({ id, s, f }: { id: string; s: FormState; f: Bind }) {
  const source = `${id}-dataSource`;
  return (
    <Section title="Data">
      <Select
        id={source}
        errorId={`${source}-error`}
        error={s.errors.dataSource}
        value={s.values.dataSource}
        onChange={(v) => s.set('dataSource', v as NewRunFormValues['dataSource'])}
        label="Images"
        testId="new-run-data-source"
      >
        <option value="fashion-mnist">Fashion-MNIST (committed subset)</option>
        <option value="image-folder">Image folder on the worker</option>
      </Select>
      {s.values.dataSource === 'image-folder' ? (
        <Text
          {...f('folder')}
          label="Image folder (path on the worker)"
          placeholder="/data/monkeys"
          testId="new-run-folder"
        />
      ) : null}
      <Text
        {...f('trainLimit')}
        label="Training images (first N; empty: all)"
        inputMode="numeric"
        testId="new-run-train-limit"
      />
    </Section>
  );
}

/** Epochs, batch size, learning rate and optimizer (empty: the preset's). */
function TrainingSection({ s, f }: { s: FormState; f: Bind }) {
  return (
    <Section title="Training">
      <Text
        {...f('epochs')}
        label={NEW_RUN_LABELS.epochs}
        inputMode="numeric"
        placeholder={presetDefault(s.preset?.epochs)}
        testId="new-run-epochs"
      />
      <Text
        {...f('batchSize')}
        label={NEW_RUN_LABELS.batchSize}
        inputMode="numeric"
        placeholder={presetDefault(s.preset?.batchSize)}
        testId="new-run-batch-size"
      />
      <Text
        {...f('learningRate')}
        label={NEW_RUN_LABELS.learningRate}
        inputMode="decimal"
        placeholder="preset's"
        testId="new-run-learning-rate"
      />
      <Select {...f('optimizer')} label={NEW_RUN_LABELS.optimizer} testId="new-run-optimizer">
        <option value="">Preset&apos;s</option>
        {OPTIMIZERS.map((o) => (
          <option key={o} value={o}>
            {o}
          </option>
        ))}
      </Select>
    </Section>
  );
}

/** Tags, priority and notes of the run. */
function RunSection({ f }: { f: Bind }) {
  const notes = f('notes');
  return (
    <Section title="Run">
      <Text {...f('tags')} label="Tags (comma-separated)" testId="new-run-tags" />
      <Text
        {...f('priority')}
        label="Priority (higher first)"
        inputMode="numeric"
        testId="new-run-priority"
      />
      <Field id={notes.id} label="Notes">
        <textarea
          id={notes.id}
          className={`text-input ${styles.notes}`}
          rows={2}
          value={notes.value}
          onChange={(e) => notes.onChange(e.target.value)}
          aria-invalid={notes.error ? true : undefined}
          aria-describedby={notes.error ? notes.errorId : undefined}
          data-testid="new-run-notes"
        />
        <InlineError id={notes.errorId} message={notes.error} data-testid="error-notes" />
      </Field>
    </Section>
  );
}

/** Where the run may go: a backend, a least amount of memory, a GPU. */
function RequirementsSection({ id, s, f }: { id: string; s: FormState; f: Bind }) {
  return (
    <Section title="Worker requirements">
      <Select {...f('backend')} label="Backend" testId="new-run-backend">
        <option value="">Any</option>
        {WORKER_BACKENDS.map((b) => (
          <option key={b} value={b}>
            {b}
          </option>
        ))}
      </Select>
      <Text
        {...f('minMemoryMb')}
        label={NEW_RUN_LABELS.minMemoryMb}
        inputMode="numeric"
        placeholder="any"
        testId="new-run-min-memory"
      />
      <label className={`toggle ${styles.gpu}`} htmlFor={`${id}-gpu`}>
        <input
          id={`${id}-gpu`}
          type="checkbox"
          checked={s.values.gpu}
          onChange={(e) => s.set('gpu', e.target.checked)}
          data-testid="new-run-gpu"
        />
        Needs a GPU
      </label>
    </Section>
  );
}

/** The rest of the experiment file, as YAML or JSON; open when it holds something. */
function AdvancedSection({ f }: { f: Bind }) {
  const c = f('configText');
  // Open at first when pre-filled, and whenever it holds an error; else as the user leaves it.
  const [open, setOpen] = useState(c.value !== '');
  return (
    <details
      className={styles.advanced}
      open={open || Boolean(c.error)}
      onToggle={(e) => setOpen(e.currentTarget.open)}
    >
      <summary>Advanced: config (YAML or JSON)</summary>
      <Field
        id={c.id}
        label="Experiment file fields the form does not show (model, augmentation, transfer, seed, …); the fields above win."
      >
        <textarea
          id={c.id}
          className={`text-input mono ${styles.config}`}
          rows={10}
          spellCheck={false}
          value={c.value}
          onChange={(e) => c.onChange(e.target.value)}
          aria-invalid={c.error ? true : undefined}
          aria-describedby={c.error ? c.errorId : undefined}
          placeholder={'training:\n  seed: 7\n  augmentation:\n    horizontalFlip: true'}
          data-testid="new-run-config"
        />
        <InlineError id={c.errorId} message={c.error} data-testid="error-configText" />
      </Field>
    </details>
  );
}

/** A titled group of fields in one row. */
function Section({ title, children }: { title: string; children: ReactNode }) {
  return (
    <fieldset className={styles.section}>
      <legend>{title}</legend>
      <div className="form-row">{children}</div>
    </fieldset>
  );
}

interface ControlProps {
  id: string;
  label: string;
  value: string;
  onChange: (value: string) => void;
  error: string | undefined;
  errorId: string;
  testId: string;
}

/** A text input with its label and its error under it. */
function Text({
  id,
  label,
  value,
  onChange,
  error,
  errorId,
  testId,
  placeholder,
  inputMode,
}: ControlProps & { placeholder?: string; inputMode?: 'numeric' | 'decimal' }) {
  return (
    <Field id={id} label={label}>
      <input
        id={id}
        className="text-input"
        value={value}
        placeholder={placeholder}
        inputMode={inputMode}
        onChange={(e) => onChange(e.target.value)}
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? errorId : undefined}
        data-testid={testId}
      />
      <InlineError
        id={errorId}
        message={error}
        data-testid={`error-${testId.replace(/^new-run-/, '')}`}
      />
    </Field>
  );
}

/** A select with its label and its error under it. */
function Select({
  id,
  label,
  value,
  onChange,
  error,
  errorId,
  testId,
  children,
}: ControlProps & { children: ReactNode }) {
  return (
    <Field id={id} label={label}>
      <select
        id={id}
        value={value}
        onChange={(e) => onChange(e.target.value)}
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? errorId : undefined}
        data-testid={testId}
      >
        {children}
      </select>
      <InlineError
        id={errorId}
        message={error}
        data-testid={`error-${testId.replace(/^new-run-/, '')}`}
      />
    </Field>
  );
}
