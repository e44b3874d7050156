import type { ComponentProps, ReactNode } from 'react';

/**
 * One labelled form control: `div.field` with a `<label>` for the control, the control itself
 * (passed as children, with `id` set to the same `id`) and optional help text below it.
 *
 * The help text gets the id `${id}-help`, for the control's `aria-describedby`.
 */
export function Field({
  id,
  label,
  help,
  children,
}: {
  /** The control's id: the label points at it. */
  id: string;
  /** The label text. */
  label: ReactNode;
  /** Help shown under the control (`span.field-help`); none when absent. */
  help?: ReactNode;
  /** The control (input, select…). */
  children: ReactNode;
}) {
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      {children}
      {help != null ? (
        <span id={`${id}-help`} className="field-help">
          {help}
        </span>
      ) : null}
    </div>
  );
}

/**
 * A {@link Field} around a text `<input>` (`input.text-input`) with the field's `id`; every other
 * prop (type, value, onChange, ref, aria-*, data-testid…) goes to the input.
 */
export function TextField({
  id,
  label,
  help,
  ...input
}: Omit<ComponentProps<'input'>, 'id' | 'className'> & {
  /** The input's id. */
  id: string;
  /** The label text. */
  label: ReactNode;
  /** Help shown under the input, with the id `${id}-help`. */
  help?: ReactNode;
}) {
  return (
    <Field id={id} label={label} help={help}>
      <input id={id} className="text-input" {...input} />
    </Field>
  );
}
