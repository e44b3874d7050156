'use client';

import { useId, useRef, useState, type FormEvent } from 'react';
import { parseOrThrow, userInputSchema } from '@convscope/schemas';
import { errorMessage } from '../../lib/errors';
import { gqlRequest } from '../../lib/graphql';
import {
  CREATE_LOGIN_LINK,
  CREATE_USER,
  SET_USER_ADMIN,
  type CreateLoginLinkData,
  type CreateUserData,
  type CreateUserVariables,
  type SetUserAdminData,
  type UserInfo,
} from '../../lib/identity';
import { formatTimestamp } from '../../lib/time';
import { TextField } from '../Field';
import { InlineError } from '../InlineError';
import { SubmitButton } from '../SubmitButton';
import { SecretBox } from './SecretBox';
import { ActionsCell, SettingsTable } from './SettingsTable';
import { useAction, useRowAction } from './use-action';

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
  const [email, setEmail] = useState('');
  const [name, setName] = useState('');
  const [admin, setAdmin] = useState(false);
  const create = useAction();
  const [link, setLink] = useState<{ email: string; url: string } | null>(null);
  // Login links and admin toggles, by user id.
  const rowAction = useRowAction<string>();
  const emailRef = useRef<HTMLInputElement>(null);

  const loginLinkFor = async (userEmail: string) => {
    const { createLoginLink } = await gqlRequest<CreateLoginLinkData, { email: string }>(
      CREATE_LOGIN_LINK,
      { email: userEmail },
    );
    setLink({ email: userEmail, url: createLoginLink });
  };

  const onCreate = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    setLink(null);
    void create.run(async () => {
      // The API's own checks (@convscope/schemas): a bad e-mail or name is named before sending.
      const input = parseOrThrow(userInputSchema, { email, name, admin });
      const { createUser } = await gqlRequest<CreateUserData, CreateUserVariables>(CREATE_USER, {
        input: { email: input.email, name: input.name, admin },
      });
      setUsers((list) =>
        [...list.filter((u) => u.id !== createUser.id), createUser].sort((a, b) =>
          a.email.localeCompare(b.email),
        ),
      );
      setEmail('');
      setName('');
      setAdmin(false);
      try {
        await loginLinkFor(createUser.email);
      } catch (err) {
        throw new Error(
          `${createUser.email} was created, but no login link: ${errorMessage(err)} Use "Login link" in the list.`,
        );
      }
    });
  };

  const onRowAction = (user: UserInfo, action: 'admin' | 'link') => {
    void rowAction.run(user.id, async () => {
      if (action === 'link') {
        await loginLinkFor(user.email);
      } else {
        const { setUserAdmin } = await gqlRequest<
          SetUserAdminData,
          { userId: string; admin: boolean }
        >(SET_USER_ADMIN, { userId: user.id, admin: !user.isAdmin });
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
          <tr key={u.id} data-user-email={u.email}>
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
            <ActionsCell error={rowAction.errorFor(u.id)}>
              <div className="row-actions">
                <button
                  type="button"
                  className="btn"
                  disabled={rowAction.pending === u.id}
                  onClick={() => onRowAction(u, 'link')}
                  aria-label={`New login link for ${u.email}`}
                  data-testid="user-login-link"
                >
                  Login link
                </button>
                <button
                  type="button"
                  className="btn"
                  disabled={rowAction.pending === u.id || (u.isAdmin && u.id === viewerId)}
                  title={
                    u.isAdmin && u.id === viewerId
                      ? 'Another admin can remove your admin role'
                      : undefined
                  }
                  onClick={() => onRowAction(u, 'admin')}
                  aria-label={`${u.isAdmin ? 'Remove admin from' : 'Make admin'} ${u.email}`}
                  data-testid="user-toggle-admin"
                >
                  {u.isAdmin ? 'Remove admin' : 'Make admin'}
                </button>
              </div>
            </ActionsCell>
          </tr>
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
        <form className="form-stack" onSubmit={onCreate} data-testid="create-user-form">
          <h3>Create a user</h3>
          <div className="form-row">
            <TextField
              id={`${id}-email`}
              label="E-mail"
              ref={emailRef}
              type="email"
              required
              value={email}
              onChange={(e) => setEmail(e.target.value)}
              data-testid="user-email"
            />
            <TextField
              id={`${id}-name`}
              label="Name"
              required
              maxLength={100}
              value={name}
              onChange={(e) => setName(e.target.value)}
              data-testid="user-name"
            />
            <label className="toggle field-inline">
              <input
                type="checkbox"
                checked={admin}
                onChange={(e) => setAdmin(e.target.checked)}
                data-testid="user-admin"
              />
              Server admin
            </label>
          </div>
          <p className="field-help">
            The new user gets no password: they sign in with the one-time link shown after creation.
          </p>
          <InlineError message={create.error} data-testid="create-user-error" />
          <div>
            <SubmitButton
              pending={create.pending}
              pendingLabel="Creating…"
              data-testid="create-user"
            >
              Create user
            </SubmitButton>
          </div>
        </form>
      </div>
    </section>
  );
}

/** Headers of the users table (its last column, actions, aside). */
const USER_COLUMNS = ['Name', 'E-mail', 'Role', 'Created (UTC)'];
