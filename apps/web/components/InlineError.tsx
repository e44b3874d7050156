/**
 * An error shown next to what caused it: `p.form-error` with `role="alert"`, so screen readers
 * announce it. Renders nothing while `message` is null or empty.
 */
export function InlineError({
  message,
  id,
  'data-testid': testId,
}: {
  /** The error's text; nothing is shown without one. */
  message: string | null | undefined;
  /** For an `aria-describedby` of the fields it concerns. */
  id?: string;
  'data-testid'?: string;
}) {
  if (!message) return null;
  return (
    <p id={id} role="alert" className="form-error" data-testid={testId}>
      {message}
    </p>
  );
}
