import type { ComponentProps } from 'react';
import { PROJECT_ROLES, type ProjectRole } from '../../lib/identity';

/**
 * A `<select>` of the project roles (viewer, editor, owner…). Takes the other props of a
 * `<select>` (id, disabled, aria-*, data-testid) as given.
 */
export function RoleSelect({
  value,
  onChange,
  ...rest
}: Omit<ComponentProps<'select'>, 'value' | 'onChange' | 'children'> & {
  /** The selected role. */
  value: ProjectRole;
  /** Called with the role picked. */
  onChange: (role: ProjectRole) => void;
}) {
  return (
    <select value={value} onChange={(e) => onChange(e.target.value as ProjectRole)} {...rest}>
      {PROJECT_ROLES.map((r) => (
        <option key={r} value={r}>
          {r}
        </option>
      ))}
    </select>
  );
}
