'use client';

import { useId, useRef, useState, type FormEvent } from 'react';
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
import { SecretBox } from './SecretBox';

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
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [link, setLink] = useState<{ email: string; url: string } | null>(null);
  const [rowBusy, setRowBusy] = useState<string | null>(null);
  const [rowError, setRowError] = useState<{ id: string; message: string } | null>(null);
  const emailRef = useRef<HTMLInputElement>(null);

  const loginLinkFor = async (userEmail: string) => {
    const { createLoginLink } = await gqlRequest<CreateLoginLinkData, { email: string }>(
      CREATE_LOGIN_LINK,
      { email: userEmail },
    );
    setLink({ email: userEmail, url: createLoginLink });
  };

  const onCreate = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    setLink(null);
    let createdUser: UserInfo | null = null;
    try {
      const { createUser } = await gqlRequest<CreateUserData, CreateUserVariables>(CREATE_USER, {
        input: { email: email.trim(), name: name.trim(), admin },
      });
      createdUser = createUser;
      setUsers((list) =>
        [...list.filter((u) => u.id !== createUser.id), createUser].sort((a, b) =>
          a.email.localeCompare(b.email),
        ),
      );
      setEmail('');
      setName('');
      setAdmin(false);
      await loginLinkFor(createUser.email);
    } catch (err) {
      setError(
        createdUser
          ? `${createdUser.email} was created, but no login link: ${errorMessage(err)} Use "Login link" in the list.`
          : errorMessage(err),
      );
    } finally {
      setBusy(false);
    }
  };

  const onRowAction = async (user: UserInfo, action: 'admin' | 'link') => {
    setRowBusy(user.id);
    setRowError(null);
    try {
      if (action === 'link') {
        await loginLinkFor(user.email);
      } else {
        const { setUserAdmin } = await gqlRequest<
          SetUserAdminData,
          { userId: string; admin: boolean }
        >(SET_USER_ADMIN, { userId: user.id, admin: !user.isAdmin });
        setUsers((list) => list.map((u) => (u.id === user.id ? setUserAdmin : u)));
      }
    } catch (err) {
      setRowError({ id: user.id, message: errorMessage(err) });
    } finally {
      setRowBusy(null);
    }
  };

  return (
    <section className="card" aria-labelledby={`${id}-title`} data-testid="users">
      <div className="card-header">
        <h2 id={`${id}-title`}>Users</h2>
        <span className="meta">
          {users.length} {users.length === 1 ? 'account' : 'accounts'} · admins only
        </span>
      </div>
      <div className="table-wrap">
        <table className="data" data-testid="users-table">
          <caption className="visually-hidden">User accounts</caption>
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">E-mail</th>
              <th scope="col">Role</th>
              <th scope="col">Created (UTC)</th>
              <th scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
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
                <td className="actions-cell">
                  <div className="row-actions">
                    <button
                      type="button"
                      className="btn"
                      disabled={rowBusy === u.id}
                      onClick={() => void onRowAction(u, 'link')}
                      aria-label={`New login link for ${u.email}`}
                      data-testid="user-login-link"
                    >
                      Login link
                    </button>
                    <button
                      type="button"
                      className="btn"
                      disabled={rowBusy === u.id || (u.isAdmin && u.id === viewerId)}
                      title={
                        u.isAdmin && u.id === viewerId
                          ? 'Another admin can remove your admin role'
                          : undefined
                      }
                      onClick={() => void onRowAction(u, 'admin')}
                      aria-label={`${u.isAdmin ? 'Remove admin from' : 'Make admin'} ${u.email}`}
                      data-testid="user-toggle-admin"
                    >
                      {u.isAdmin ? 'Remove admin' : 'Make admin'}
                    </button>
                  </div>
                  {rowError?.id === u.id ? (
                    <p role="alert" className="form-error">
                      {rowError.message}
                    </p>
                  ) : null}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
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
        <form
          className="form-stack"
          onSubmit={(e) => void onCreate(e)}
          data-testid="create-user-form"
        >
          <h3>Create a user</h3>
          <div className="form-row">
            <div className="field">
              <label htmlFor={`${id}-email`}>E-mail</label>
              <input
                id={`${id}-email`}
                ref={emailRef}
                className="text-input"
                type="email"
                required
                value={email}
                onChange={(e) => setEmail(e.target.value)}
                data-testid="user-email"
              />
            </div>
            <div className="field">
              <label htmlFor={`${id}-name`}>Name</label>
              <input
                id={`${id}-name`}
                className="text-input"
                required
                maxLength={100}
                value={name}
                onChange={(e) => setName(e.target.value)}
                data-testid="user-name"
              />
            </div>
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
          {error ? (
            <p role="alert" className="form-error" data-testid="create-user-error">
              {error}
            </p>
          ) : null}
          <div>
            <button
              type="submit"
              className="btn btn-primary"
              disabled={busy}
              data-testid="create-user"
            >
              {busy ? 'Creating…' : 'Create user'}
            </button>
          </div>
        </form>
      </div>
    </section>
  );
}
