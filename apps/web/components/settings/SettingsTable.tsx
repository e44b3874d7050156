import type { ReactNode, Ref } from 'react';
import { InlineError } from '../InlineError';

/**
 * A list on the settings page: a scrolling `table.data` with a caption for screen readers, a
 * header of `columns` and a last, unlabelled "Actions" column (see {@link ActionsCell}); the
 * rows are the children.
 */
export function SettingsTable({
  caption,
  columns,
  compact = false,
  ref,
  'data-testid': testId,
  children,
}: {
  /** What the table lists (visually hidden). */
  caption: string;
  /** Header of every column but the last (actions). */
  columns: string[];
  /** Denser rows (`table.data.compact`). */
  compact?: boolean;
  ref?: Ref<HTMLTableElement>;
  'data-testid'?: string;
  /** The `<tr>`s. */
  children: ReactNode;
}) {
  return (
    <div className="table-wrap">
      <table className={compact ? 'data compact' : 'data'} ref={ref} data-testid={testId}>
        <caption className="visually-hidden">{caption}</caption>
        <thead>
          <tr>
            {columns.map((c) => (
              <th key={c} scope="col">
                {c}
              </th>
            ))}
            <th scope="col">
              <span className="visually-hidden">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>{children}</tbody>
      </table>
    </div>
  );
}

/** A row's last cell in a {@link SettingsTable}: its buttons, then the row's inline error. */
export function ActionsCell({
  error,
  children,
}: {
  /** The last failure of an action on this row, or null. */
  error: string | null;
  /** The row's buttons. */
  children: ReactNode;
}) {
  return (
    <td className="actions-cell">
      {children}
      <InlineError message={error} />
    </td>
  );
}
