'use client';

import { useId, useRef, useState } from 'react';
import { gqlRequest } from '../../lib/graphql';
import { CREATE_LOGIN_LINK, SET_USER_ADMIN, type UserInfo } from '../../lib/identity';
import { formatTimestamp } from '../../lib/time';
import { CreateUserForm } from './CreateUserForm';
import { SecretBox } from './SecretBox';
import { ActionsCell, SettingsTable } from './SettingsTable';
import { useRowAction } from './use-action';

/** Props of {@link UsersSection}. */
export interface UsersSectionProps {
  initialUsers: UserInfo[];
  /** The signed-in admin (their own admin flag cannot be dropped here by accident). */
  viewerId: string;
}

/**
 * "Users" (server admins only): every account, creating one (e-mail, name, admin) which gives a
 * one-time login link to hand over, a fresh link for an existing user, and admin on/off.
 */
export function UsersSection({ initialUsers, viewerId }: UsersSectionProps) {
  const id = useId();
  const [users, setUsers] = useState(initialUsers);
  const [link, setLink] = useState<{ email: string; url: string } | null>(null);
  // Login links and admin toggles, by user id.
  const rowAction = useRowAction<string>();
  const emailRef = useRef<HTMLInputElement>(null);

  const loginLinkFor = async (userEmail: string) => {
    const { createLoginLink } = await gqlRequest(CREATE_LOGIN_LINK, { email: userEmail });
    setLink({ email: userEmail, url: createLoginLink });
  };

  const onCreated = (createUser: UserInfo) => setUsers((list) => withUser(list, createUser));

  const onRowAction = (user: UserInfo, action: UserRowAction) => {
    void rowAction.run(user.id, async () => {
      if (action === 'link') {
        await loginLinkFor(user.email);
      } else {
        const { setUserAdmin } = await gqlRequest(SET_USER_ADMIN, {
          userId: user.id,
          admin: !user.isAdmin,
        });
        setUsers((list) => list.map((u) => (u.id === user.id ? setUserAdmin : u)));
      }
    });
  };

  return (
    <section className="card" aria-labelledby={`${id}-title`} data-testid="users">
      <div className="card-header">
        <h2 id={`${id}-title`}>Users</h2>
        <span className="meta">
          {users.length} {users.length === 1 ? 'account' : 'accounts'} · admins only
        </span>
      </div>
      <SettingsTable caption="User accounts" columns={USER_COLUMNS} data-testid="users-table">
        {users.map((u) => (
          <UserRow
            key={u.id}
            user={u}
            viewerId={viewerId}
            pending={rowAction.pending === u.id}
            error={rowAction.errorFor(u.id)}
            onAction={(action) => onRowAction(u, action)}
          />
        ))}
      </SettingsTable>
      <div className="card-body settings-form-body">
        {link ? (
          <SecretBox
            title={`Login link for ${link.email}`}
            value={link.url}
            onDone={() => {
              setLink(null);
              emailRef.current?.focus();
            }}
            data-testid="login-link"
          >
            <p>
              Hand this link to {link.email}: it signs them in to this dashboard once, within 15
              minutes. They can then create their own API keys here. Anyone holding the link can use
              it, so send it privately.
            </p>
          </SecretBox>
        ) : null}
        <CreateUserForm
          id={id}
          emailRef={emailRef}
          onSubmit={() => setLink(null)}
          onCreated={onCreated}
          loginLinkFor={loginLinkFor}
        />
      </div>
    </section>
  );
}

/** `list` with `user` added (or replacing the one with its id), sorted by e-mail. */
function withUser(list: UserInfo[], user: UserInfo): UserInfo[] {
  return [...list.filter((u) => u.id !== user.id), user].sort((a, b) =>
    a.email.localeCompare(b.email),
  );
}

/** What a user's row buttons do: a fresh login link, or admin on/off. */
type UserRowAction = 'admin' | 'link';

/** Props of {@link UserRow}. */
interface UserRowProps {
  user: UserInfo;
  viewerId: string;
  /** An action on this row is under way (its buttons are disabled). */
  pending: boolean;
  error: string | null;
  onAction: (action: UserRowAction) => void;
}

/** One account: name, e-mail, role, creation, and the login-link and admin buttons. */
function UserRow({ user: u, viewerId, pending, error, onAction }: UserRowProps) {
  return (
    <tr data-user-email={u.email}>
      <td className="run-name">{u.name || <span className="faint">—</span>}</td>
      <td>{u.email}</td>
      <td>
        {u.isAdmin ? (
          <span className="badge badge-admin">Admin</span>
        ) : (
          <span className="muted">user</span>
        )}
      </td>
      <td>{formatTimestamp(u.createdAt)}</td>
      <ActionsCell error={error}>
        <div className="row-actions">
          <button
            type="button"
            className="btn"
            disabled={pending}
            onClick={() => onAction('link')}
            aria-label={`New login link for ${u.email}`}
            data-testid="user-login-link"
          >
            Login link
          </button>
          <button
            type="button"
            className="btn"
            disabled={pending || (u.isAdmin && u.id === viewerId)}
            title={
              u.isAdmin && u.id === viewerId
                ? 'Another admin can remove your admin role'
                : undefined
            }
            onClick={() => onAction('admin')}
            aria-label={`${u.isAdmin ? 'Remove admin from' : 'Make admin'} ${u.email}`}
            data-testid="user-toggle-admin"
          >
            {u.isAdmin ? 'Remove admin' : 'Make admin'}
          </button>
        </div>
      </ActionsCell>
    </tr>
  );
}

/** Headers of the users table (its last column, actions, aside). */
const USER_COLUMNS = ['Name', 'E-mail', 'Role', 'Created (UTC)'];
