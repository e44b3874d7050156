import type { ReactNode } from 'react';

/**
 * A form's primary submit button (`button.btn.btn-primary`): disabled and showing
 * `pendingLabel` while the submission is under way.
 */
export function SubmitButton({
  pending,
  pendingLabel,
  children,
  'data-testid': testId,
}: {
  /** Whether the submission is under way. */
  pending: boolean;
  /** The label meanwhile, e.g. "Creating…". */
  pendingLabel: ReactNode;
  /** The label otherwise. */
  children: ReactNode;
  'data-testid'?: string;
}) {
  return (
    <button type="submit" className="btn btn-primary" disabled={pending} data-testid={testId}>
      {pending ? pendingLabel : children}
    </button>
  );
}
