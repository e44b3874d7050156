'use client';

import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import { errorMessage } from '../../lib/errors';
import { gqlRequest } from '../../lib/graphql';
import {
  CREATE_API_KEY,
  KEY_EXPIRY_CHOICES,
  PROJECT_ROLES,
  REVOKE_API_KEY,
  ROLE_HELP,
  keyStatus,
  type ApiKeyInfo,
  type CreateApiKeyData,
  type CreateApiKeyVariables,
  type ProjectRole,
  type RevokeApiKeyData,
} from '../../lib/identity';
import { formatTimestamp } from '../../lib/time';
import { EmptyState } from '../EmptyState';
import { SecretBox } from './SecretBox';

/** Props of {@link ApiKeysSection}. */
export interface ApiKeysSectionProps {
  /** The caller's keys, newest first (server-rendered). */
  initialKeys: ApiKeyInfo[];
  /** Projects the caller can read: offered as the key's project limit, and names for ids. */
  projects: { id: string; name: string }[];
}

/**
 * "API keys": the caller's keys (name, first characters, role, projects, last use, creation,
 * status), a form to create one (its secret shown exactly once, with a copy button), and
 * revocation after an inline confirmation.
 */
export function ApiKeysSection({ initialKeys, projects }: ApiKeysSectionProps) {
  const id = useId();
  const [keys, setKeys] = useState(initialKeys);
  const [created, setCreated] = useState<{ key: string; name: string } | null>(null);
  const [name, setName] = useState('');
  const [role, setRole] = useState<ProjectRole>('editor');
  const [limitTo, setLimitTo] = useState<string[]>([]);
  const [expiry, setExpiry] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [confirming, setConfirming] = useState<string | null>(null);
  const [rowError, setRowError] = useState<{ id: string; message: string } | null>(null);
  const [now, setNow] = useState<number | null>(null);
  const nameRef = useRef<HTMLInputElement>(null);
  const tableRef = useRef<HTMLTableElement>(null);
  // Expiry is judged in the browser's clock after hydration (the server's may differ).
  useEffect(() => setNow(Date.now()), [keys]);

  const projectName = new Map(projects.map((p) => [p.id, p.name]));

  const onCreate = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const days = expiry === '' ? null : Number(expiry);
      const { createApiKey } = await gqlRequest<CreateApiKeyData, CreateApiKeyVariables>(
        CREATE_API_KEY,
        {
          input: {
            name: name.trim(),
            role,
            projects: limitTo.length > 0 ? limitTo : null,
            expiresInDays: days,
          },
        },
      );
      setKeys((list) => [
        createApiKey.apiKey,
        ...list.filter((k) => k.id !== createApiKey.apiKey.id),
      ]);
      setCreated({ key: createApiKey.key, name: createApiKey.apiKey.name ?? name.trim() });
      setName('');
      setLimitTo([]);
      setExpiry('');
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setBusy(false);
    }
  };

  const onRevoke = async (keyId: string) => {
    setRowError(null);
    try {
      const { revokeApiKey } = await gqlRequest<RevokeApiKeyData, { id: string }>(REVOKE_API_KEY, {
        id: keyId,
      });
      setKeys((list) => list.map((k) => (k.id === keyId ? revokeApiKey : k)));
      setConfirming(null);
    } catch (err) {
      setRowError({ id: keyId, message: errorMessage(err) });
    }
  };

  return (
    <section className="card" aria-labelledby={`${id}-title`} data-testid="api-keys">
      <div className="card-header">
        <h2 id={`${id}-title`}>API keys</h2>
        <span className="meta">for scripts, training workers and the CLIs</span>
      </div>
      {keys.length === 0 ? (
        <div className="card-body">
          <EmptyState title="No API keys yet">
            Create one below for <code>npm run train</code>, workers or your own scripts.
          </EmptyState>
        </div>
      ) : (
        <div className="table-wrap">
          <table className="data" ref={tableRef} data-testid="api-keys-table">
            <caption className="visually-hidden">Your API keys</caption>
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Key</th>
                <th scope="col">Role</th>
                <th scope="col">Projects</th>
                <th scope="col">Last used (UTC)</th>
                <th scope="col">Created (UTC)</th>
                <th scope="col">Status</th>
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {keys.map((k) => {
                const status =
                  now === null ? (k.enabled ? 'active' : 'revoked') : keyStatus(k, now);
                const label = k.name || k.start || 'key';
                return (
                  <tr key={k.id} data-key-id={k.id} data-status={status}>
                    <td className="run-name">{k.name || <span className="faint">unnamed</span>}</td>
                    <td className="mono" data-testid="key-start">
                      {k.start ? `${k.start}…` : '—'}
                    </td>
                    <td>{k.role}</td>
                    <td className="wrap">
                      {k.projectIds === null ? (
                        <span className="muted">all of yours</span>
                      ) : (
                        k.projectIds.map((pid) => projectName.get(pid) ?? pid).join(', ')
                      )}
                    </td>
                    <td>
                      {k.lastUsedAt ? (
                        formatTimestamp(k.lastUsedAt)
                      ) : (
                        <span className="faint">never</span>
                      )}
                    </td>
                    <td>{formatTimestamp(k.createdAt)}</td>
                    <td>
                      <span className={`badge badge-key-${status}`} data-testid="key-status">
                        {status}
                      </span>
                      {status === 'active' && k.expiresAt ? (
                        <span className="faint"> until {formatTimestamp(k.expiresAt)}</span>
                      ) : null}
                    </td>
                    <td className="actions-cell">
                      {status !== 'active' ? null : confirming === k.id ? (
                        <RevokeConfirm
                          label={label}
                          onConfirm={() => onRevoke(k.id)}
                          onCancel={() => {
                            setConfirming(null);
                            setRowError(null);
                            // Back to the button the confirmation replaced.
                            requestAnimationFrame(() =>
                              tableRef.current
                                ?.querySelector<HTMLButtonElement>(
                                  `tr[data-key-id="${CSS.escape(k.id)}"] [data-testid="revoke-key"]`,
                                )
                                ?.focus(),
                            );
                          }}
                        />
                      ) : (
                        <button
                          type="button"
                          className="btn btn-danger-outline"
                          onClick={() => setConfirming(k.id)}
                          aria-label={`Revoke key ${label}`}
                          data-testid="revoke-key"
                        >
                          Revoke
                        </button>
                      )}
                      {rowError?.id === k.id ? (
                        <p role="alert" className="form-error">
                          {rowError.message}
                        </p>
                      ) : null}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}

      <div className="card-body settings-form-body">
        {created ? (
          <SecretBox
            title={`New key "${created.name}"`}
            value={created.key}
            onDone={() => {
              setCreated(null);
              nameRef.current?.focus();
            }}
            data-testid="new-key"
          >
            <p>
              Copy it now: this is the only time the key is shown (the server keeps only its hash).
              Give it to a script or worker as <code>export CONVSCOPE_API_KEY=&lt;key&gt;</code>, or
              pass <code>--api-key &lt;key&gt;</code> to <code>npm run train</code> and the other
              CLIs.
            </p>
          </SecretBox>
        ) : null}
        <form
          className="form-stack"
          onSubmit={(e) => void onCreate(e)}
          data-testid="create-key-form"
        >
          <h3>Create a key</h3>
          <div className="form-row">
            <div className="field">
              <label htmlFor={`${id}-name`}>Name</label>
              <input
                id={`${id}-name`}
                ref={nameRef}
                className="text-input"
                required
                maxLength={100}
                placeholder="lab worker 3"
                value={name}
                onChange={(e) => setName(e.target.value)}
                data-testid="key-name"
              />
            </div>
            <div className="field">
              <label htmlFor={`${id}-role`}>Role</label>
              <select
                id={`${id}-role`}
                value={role}
                onChange={(e) => setRole(e.target.value as ProjectRole)}
                aria-describedby={`${id}-role-help`}
                data-testid="key-role"
              >
                {PROJECT_ROLES.map((r) => (
                  <option key={r} value={r}>
                    {r}
                  </option>
                ))}
              </select>
              <span id={`${id}-role-help`} className="field-help">
                {role}: {ROLE_HELP[role]}; never more than your own role
              </span>
            </div>
            <div className="field">
              <label htmlFor={`${id}-expiry`}>Expires</label>
              <select
                id={`${id}-expiry`}
                value={expiry}
                onChange={(e) => setExpiry(e.target.value)}
                data-testid="key-expiry"
              >
                {KEY_EXPIRY_CHOICES.map((c) => (
                  <option key={c.label} value={c.days === null ? '' : String(c.days)}>
                    {c.label}
                  </option>
                ))}
              </select>
            </div>
          </div>
          {projects.length > 0 ? (
            <fieldset className="checkbox-list" data-testid="key-projects">
              <legend>Projects (none ticked: every project you can reach)</legend>
              {projects.map((p) => (
                <label key={p.id} className="toggle">
                  <input
                    type="checkbox"
                    checked={limitTo.includes(p.name)}
                    onChange={(e) =>
                      setLimitTo((list) =>
                        e.target.checked ? [...list, p.name] : list.filter((n) => n !== p.name),
                      )
                    }
                  />
                  {p.name}
                </label>
              ))}
            </fieldset>
          ) : null}
          {error ? (
            <p role="alert" className="form-error" data-testid="create-key-error">
              {error}
            </p>
          ) : null}
          <div>
            <button
              type="submit"
              className="btn btn-primary"
              disabled={busy}
              data-testid="create-key"
            >
              {busy ? 'Creating…' : 'Create key'}
            </button>
          </div>
        </form>
      </div>
    </section>
  );
}

/** "Revoke key X?" with the consequences; focus moves to it and Escape cancels. */
function RevokeConfirm({
  label,
  onConfirm,
  onCancel,
}: {
  label: string;
  onConfirm: () => Promise<void>;
  onCancel: () => void;
}) {
  const [busy, setBusy] = useState(false);
  const confirmRef = useRef<HTMLButtonElement>(null);
  useEffect(() => confirmRef.current?.focus(), []);
  return (
    <div
      className="confirm"
      role="group"
      aria-label={`Confirm revoking key ${label}`}
      onKeyDown={(e) => {
        if (e.key === 'Escape') onCancel();
      }}
      data-testid="revoke-confirm"
    >
      <span>Scripts using it stop within 10 s.</span>
      <button
        ref={confirmRef}
        type="button"
        className="btn btn-danger"
        disabled={busy}
        onClick={() => {
          setBusy(true);
          void onConfirm().finally(() => setBusy(false));
        }}
        data-testid="revoke-confirm-button"
      >
        {busy ? 'Revoking…' : 'Revoke'}
      </button>
      <button type="button" className="btn" onClick={onCancel}>
        Cancel
      </button>
    </div>
  );
}
