'use client';

import { useEffect, useId, useRef, useState, type Dispatch, type SetStateAction } from 'react';
import { gqlRequest } from '../../lib/graphql';
import { REVOKE_API_KEY, keyStatus, roleOf, type ApiKeyInfo } from '../../lib/identity';
import { formatTimestamp } from '../../lib/time';
import { EmptyState } from '../EmptyState';
import { CreateKeyForm, type CreatedKey } from './CreateKeyForm';
import { SecretBox } from './SecretBox';
import { ActionsCell, SettingsTable } from './SettingsTable';
import { useRowAction } from './use-action';

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
  const [created, setCreated] = useState<CreatedKey | null>(null);
  const nameRef = useRef<HTMLInputElement>(null);

  const onCreated = (apiKey: ApiKeyInfo, secret: CreatedKey) => {
    setKeys((list) => [apiKey, ...list.filter((k) => k.id !== apiKey.id)]);
    setCreated(secret);
  };

  return (
    <section className="card" aria-labelledby={`${id}-title`} data-testid="api-keys">
      <div className="card-header">
        <h2 id={`${id}-title`}>API keys</h2>
        <span className="meta">for scripts, training workers and the CLIs</span>
      </div>
      <KeysList keys={keys} setKeys={setKeys} projects={projects} />
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
        <CreateKeyForm id={id} projects={projects} nameRef={nameRef} onCreated={onCreated} />
      </div>
    </section>
  );
}

/** Props of {@link KeysList}. */
interface KeysListProps {
  keys: ApiKeyInfo[];
  setKeys: Dispatch<SetStateAction<ApiKeyInfo[]>>;
  projects: { id: string; name: string }[];
}

/** The keys table with inline revocation, or an empty state. */
function KeysList({ keys, setKeys, projects }: KeysListProps) {
  const [confirming, setConfirming] = useState<string | null>(null);
  const revoke = useRowAction<string>();
  const [now, setNow] = useState<number | null>(null);
  const tableRef = useRef<HTMLTableElement>(null);
  // Expiry is judged in the browser's clock after hydration (the server's may differ): read it
  // in the next frame, after the list rendered, not during render or the effect itself.
  useEffect(() => {
    const frame = requestAnimationFrame(() => setNow(Date.now()));
    return () => cancelAnimationFrame(frame);
  }, [keys]);

  const projectName = new Map(projects.map((p) => [p.id, p.name]));

  const onRevoke = (keyId: string) =>
    revoke.run(keyId, async () => {
      const { revokeApiKey } = await gqlRequest(REVOKE_API_KEY, {
        id: keyId,
      });
      setKeys((list) => list.map((k) => (k.id === keyId ? revokeApiKey : k)));
      setConfirming(null);
    });

  const onCancel = (keyId: string) => {
    setConfirming(null);
    revoke.clearError();
    // Back to the button the confirmation replaced.
    requestAnimationFrame(() =>
      tableRef.current
        ?.querySelector<HTMLButtonElement>(
          `tr[data-key-id="${CSS.escape(keyId)}"] [data-testid="revoke-key"]`,
        )
        ?.focus(),
    );
  };

  if (keys.length === 0) {
    return (
      <div className="card-body">
        <EmptyState title="No API keys yet">
          Create one below for <code>npm run train</code>, workers or your own scripts.
        </EmptyState>
      </div>
    );
  }
  return (
    <SettingsTable
      caption="Your API keys"
      columns={KEY_COLUMNS}
      ref={tableRef}
      data-testid="api-keys-table"
    >
      {keys.map((k) => (
        <KeyRow
          key={k.id}
          apiKey={k}
          now={now}
          projectName={projectName}
          confirming={confirming === k.id}
          pending={revoke.pending === k.id}
          error={revoke.errorFor(k.id)}
          onAskRevoke={() => setConfirming(k.id)}
          onRevoke={() => void onRevoke(k.id)}
          onCancel={() => onCancel(k.id)}
        />
      ))}
    </SettingsTable>
  );
}

/** Headers of the keys table (its last column, actions, aside). */
const KEY_COLUMNS = [
  'Name',
  'Key',
  'Role',
  'Projects',
  'Last used (UTC)',
  'Created (UTC)',
  'Status',
];

/** "Revoke key X?" with the consequences; focus moves to it and Escape cancels. */
function RevokeConfirm({
  label,
  pending,
  onConfirm,
  onCancel,
}: {
  label: string;
  /** Whether the revocation is under way (the confirm button is disabled meanwhile). */
  pending: boolean;
  onConfirm: () => void;
  onCancel: () => void;
}) {
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
        disabled={pending}
        onClick={onConfirm}
        data-testid="revoke-confirm-button"
      >
        {pending ? 'Revoking…' : 'Revoke'}
      </button>
      <button type="button" className="btn" onClick={onCancel}>
        Cancel
      </button>
    </div>
  );
}

/** Props of {@link KeyRow}. */
interface KeyRowProps {
  apiKey: ApiKeyInfo;
  /** The browser's clock once hydrated (expiry), null before. */
  now: number | null;
  projectName: Map<string, string>;
  /** The revoke confirmation is open on this row. */
  confirming: boolean;
  pending: boolean;
  error: string | null;
  onAskRevoke: () => void;
  onRevoke: () => void;
  onCancel: () => void;
}

/** One key of the table: name, first characters, role, projects, uses, status, revoke. */
function KeyRow({
  apiKey: k,
  now,
  projectName,
  confirming,
  pending,
  error,
  onAskRevoke,
  onRevoke,
  onCancel,
}: KeyRowProps) {
  const status = now === null ? (k.enabled ? 'active' : 'revoked') : keyStatus(k, now);
  const label = k.name || k.start || 'key';
  return (
    <tr data-key-id={k.id} data-status={status}>
      <td className="run-name">{k.name || <span className="faint">unnamed</span>}</td>
      <td className="mono" data-testid="key-start">
        {k.start ? `${k.start}…` : '—'}
      </td>
      <td>{roleOf(k.role)}</td>
      <td className="wrap">
        {k.projectIds === null ? (
          <span className="muted">all of yours</span>
        ) : (
          k.projectIds.map((pid) => projectName.get(pid) ?? pid).join(', ')
        )}
      </td>
      <td>{k.lastUsedAt ? formatTimestamp(k.lastUsedAt) : <span className="faint">never</span>}</td>
      <td>{formatTimestamp(k.createdAt)}</td>
      <td>
        <span className={`badge badge-key-${status}`} data-testid="key-status">
          {status}
        </span>
        {status === 'active' && k.expiresAt ? (
          <span className="faint"> until {formatTimestamp(k.expiresAt)}</span>
        ) : null}
      </td>
      <ActionsCell error={error}>
        {status !== 'active' ? null : confirming ? (
          <RevokeConfirm label={label} pending={pending} onConfirm={onRevoke} onCancel={onCancel} />
        ) : (
          <button
            type="button"
            className="btn btn-danger-outline"
            onClick={onAskRevoke}
            aria-label={`Revoke key ${label}`}
            data-testid="revoke-key"
          >
            Revoke
          </button>
        )}
      </ActionsCell>
    </tr>
  );
}
