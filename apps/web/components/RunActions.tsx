'use client';

// Run management on the run page: inline rename, tag chips with add/remove, notes editing,
// Archive/Unarchive, Move to another project and Delete with a confirmation naming the run.
// Editing controls appear only for callers with the editor role in the run's project; readers
// see the plain title, tags and notes. Notes are always shown as text (never as HTML).
import { useRouter } from 'next/navigation';
import { useCallback, useEffect, useId, useRef, useState, type ReactNode } from 'react';
import { errorMessage } from '../lib/errors';
import { gqlRequest } from '../lib/graphql';
import {
  addTag,
  ARCHIVE_RUN,
  canWriteRole,
  DELETE_RUN,
  MOVE_RUN,
  MOVE_TARGETS_FIRST,
  moveTargets,
  RUN_EDIT_LIMITS,
  RUN_MANAGEMENT_QUERY,
  UNARCHIVE_RUN,
  UPDATE_RUN,
} from '../lib/run-management';
import type { UpdateRunInput } from '../lib/gql/graphql';
import { InlineError } from './InlineError';

/** The run fields run management reads from the page's run. */
export interface ManagedRun {
  id: string;
  name: string;
  tags: string[];
  notes?: string | null;
  project: { name: string };
}

/** Shared state of the run page's management controls ({@link useRunManagement}). */
export interface RunManagement {
  run: ManagedRun;
  /** Whether the caller may change the run (editor or owner of its project). */
  canWrite: boolean;
  archived: boolean;
  /** Projects the run may move to (writable by the caller, not its own). */
  targets: string[];
  /** Which action is under way ('name', 'tags', 'notes', 'archive', 'move', 'delete'), or null. */
  pending: string | null;
  /** The last failure, for the action it concerns. */
  errorFor: (action: string) => string | null;
  /** Saves a partial edit; resolves true when saved. */
  save: (action: 'name' | 'tags' | 'notes', input: UpdateRunInput) => Promise<boolean>;
  setArchived: (archived: boolean) => Promise<void>;
  move: (project: string) => Promise<void>;
  remove: () => Promise<void>;
}

/** One action at a time, with the last failure kept for the action it concerns. */
function usePendingAction() {
  const [pending, setPending] = useState<string | null>(null);
  const [error, setError] = useState<{ action: string; message: string } | null>(null);
  const act = useCallback(async (action: string, body: () => Promise<void>): Promise<boolean> => {
    setPending(action);
    setError(null);
    try {
      await body();
      return true;
    } catch (err) {
      setError({ action, message: errorMessage(err) });
      return false;
    } finally {
      setPending(null);
    }
  }, []);
  const errorFor = (action: string) => (error?.action === action ? error.message : null);
  return { pending, errorFor, act };
}

/** The caller's role, the run's archive state and the move targets (read-only until known). */
function useRunAccess(runId: string) {
  const [info, setInfo] = useState({ canWrite: false, archived: false, targets: [] as string[] });
  useEffect(() => {
    let live = true;
    gqlRequest(RUN_MANAGEMENT_QUERY, { id: runId, projectsFirst: MOVE_TARGETS_FIRST })
      .then((d) => {
        if (!live || !d.run) return;
        setInfo({
          canWrite: canWriteRole(d.run.project.myRole),
          archived: d.run.archived,
          targets: moveTargets(d.projects.nodes, d.run.project.name),
        });
      })
      // Without the role the page stays read-only: nothing to report.
      .catch(() => undefined);
    return () => {
      live = false;
    };
  }, [runId]);
  return { info, setInfo };
}

/**
 * Loads the caller's role and the run's archive state, and holds the edits made on this page
 * (shown at once; a newer version of the run from a poll replaces them).
 */
export function useRunManagement(run: ManagedRun): RunManagement {
  const router = useRouter();
  const { info, setInfo } = useRunAccess(run.id);
  const { pending, errorFor, act } = usePendingAction();
  // Edits apply to the version of the run they were made on.
  const base = JSON.stringify([run.name, run.notes ?? null, run.tags]);
  const [edited, setEdited] = useState<{ base: string; fields: Partial<ManagedRun> }>({
    base,
    fields: {},
  });
  const current: ManagedRun = edited.base === base ? { ...run, ...edited.fields } : run;
  return {
    run: current,
    ...info,
    pending,
    errorFor,
    save: (action, input) =>
      act(action, async () => {
        const { name, tags, notes } = (await gqlRequest(UPDATE_RUN, { id: run.id, input }))
          .updateRun;
        setEdited({ base, fields: { name, tags, notes } });
      }),
    setArchived: async (archived) => {
      await act('archive', async () => {
        const d = archived
          ? (await gqlRequest(ARCHIVE_RUN, { id: run.id })).archiveRun
          : (await gqlRequest(UNARCHIVE_RUN, { id: run.id })).unarchiveRun;
        setInfo((i) => ({ ...i, archived: d.archived }));
      });
    },
    move: async (project) => {
      await act('move', async () => {
        await gqlRequest(MOVE_RUN, { id: run.id, project });
        // The project shows in several places of the page (breadcrumbs, facts): load it again.
        window.location.reload();
      });
    },
    remove: async () => {
      await act('delete', async () => {
        const d = await gqlRequest(DELETE_RUN, { id: run.id });
        router.push(`/projects/${encodeURIComponent(d.deleteRun.projectName)}`);
      });
    },
  };
}

/** The run name: click it (or the pencil) to rename inline; Enter saves, Escape cancels. */
export function RunTitle({ m }: { m: RunManagement }) {
  const [draft, setDraft] = useState<string | null>(null);
  const inputId = useId();
  const name = m.run.name;
  const badge = m.archived ? (
    <span className="badge badge-archived" data-testid="archived-badge">
      Archived
    </span>
  ) : null;
  if (!m.canWrite)
    return (
      <>
        <h1 data-testid="run-name">{name}</h1>
        {badge}
      </>
    );
  if (draft === null)
    return (
      <>
        <h1 data-testid="run-name" className="run-name-editable">
          <button
            type="button"
            className="title-button"
            title="Rename"
            onClick={() => setDraft(name)}
          >
            {name}
          </button>
        </h1>
        <button
          type="button"
          className="btn btn-small"
          aria-label="Rename run"
          data-testid="rename-run"
          onClick={() => setDraft(name)}
        >
          ✎
        </button>
        {badge}
      </>
    );
  const submit = async () => {
    const next = draft.trim();
    if (next === name) return setDraft(null);
    if (await m.save('name', { name: next })) setDraft(null);
  };
  return (
    <form
      className="rename-form"
      onSubmit={(e) => {
        e.preventDefault();
        void submit();
      }}
    >
      <label htmlFor={inputId} className="visually-hidden">
        Run name
      </label>
      <input
        id={inputId}
        className="text-input rename-input"
        data-testid="rename-input"
        value={draft}
        maxLength={RUN_EDIT_LIMITS.name}
        autoFocus
        onChange={(e) => setDraft(e.target.value)}
        onKeyDown={(e) => {
          if (e.key === 'Escape') setDraft(null);
        }}
      />
      <button type="submit" className="btn btn-primary" disabled={m.pending === 'name'}>
        Save
      </button>
      <button type="button" className="btn" onClick={() => setDraft(null)}>
        Cancel
      </button>
      <InlineError message={m.errorFor('name')} data-testid="rename-error" />
    </form>
  );
}

/** Tag chips; writers get a remove button on each chip and an input to add one. */
export function RunTagsEditor({ m }: { m: RunManagement }) {
  const [text, setText] = useState('');
  const [local, setLocal] = useState<string | null>(null);
  const tags = m.run.tags;
  if (!m.canWrite)
    return tags.length > 0 ? (
      <div className="chips" data-testid="run-tags">
        {tags.map((t) => (
          <span className="chip" key={t}>
            {t}
          </span>
        ))}
      </div>
    ) : null;
  const add = async () => {
    setLocal(null);
    let next: string[] | null;
    try {
      next = addTag(tags, text);
    } catch (err) {
      return setLocal(errorMessage(err));
    }
    if (next === null) return setText('');
    if (await m.save('tags', { tags: next })) setText('');
  };
  return (
    <div className="chips tag-editor" data-testid="run-tags">
      {tags.map((t) => (
        <span className="chip" key={t}>
          {t}
          <button
            type="button"
            className="chip-remove"
            aria-label={`Remove tag ${t}`}
            disabled={m.pending === 'tags'}
            onClick={() => void m.save('tags', { tags: tags.filter((x) => x !== t) })}
          >
            ×
          </button>
        </span>
      ))}
      <form
        className="tag-add"
        onSubmit={(e) => {
          e.preventDefault();
          void add();
        }}
      >
        <input
          className="text-input tag-input"
          aria-label="New tag"
          placeholder="Add tag"
          data-testid="add-tag-input"
          value={text}
          maxLength={RUN_EDIT_LIMITS.tag}
          onChange={(e) => setText(e.target.value)}
        />
        <button type="submit" className="btn btn-small" disabled={m.pending === 'tags'}>
          Add
        </button>
      </form>
      <InlineError message={local ?? m.errorFor('tags')} data-testid="tags-error" />
    </div>
  );
}

/** The notes as plain text (`view`); writers get an Edit notes button opening a textarea. */
export function RunNotesEditor({
  m,
  view,
}: {
  m: RunManagement;
  /** How the page shows notes (plain text), or null when there are none. */
  view: (notes: string) => ReactNode;
}) {
  const [draft, setDraft] = useState<string | null>(null);
  const notes = m.run.notes ?? '';
  if (!m.canWrite) return notes ? <>{view(notes)}</> : null;
  if (draft === null)
    return (
      <div className="notes-view">
        {notes ? view(notes) : <p className="muted">No notes.</p>}
        <button
          type="button"
          className="btn btn-small"
          data-testid="edit-notes"
          onClick={() => setDraft(notes)}
        >
          {notes ? 'Edit notes' : 'Add notes'}
        </button>
      </div>
    );
  const over = draft.length > RUN_EDIT_LIMITS.notesChars;
  return (
    <form
      className="notes-form"
      onSubmit={(e) => {
        e.preventDefault();
        void m.save('notes', { notes: draft }).then((ok) => ok && setDraft(null));
      }}
    >
      <textarea
        className="text-input notes-input"
        aria-label="Notes (plain text; markdown is shown as typed)"
        data-testid="notes-input"
        rows={6}
        value={draft}
        autoFocus
        onChange={(e) => setDraft(e.target.value)}
        onKeyDown={(e) => {
          if (e.key === 'Escape') setDraft(null);
        }}
      />
      <div className="notes-actions">
        <span className={over ? 'form-error' : 'muted'}>
          {draft.length.toLocaleString('en-US')} /{' '}
          {RUN_EDIT_LIMITS.notesChars.toLocaleString('en-US')}
        </span>
        <button
          type="submit"
          className="btn btn-primary"
          data-testid="save-notes"
          disabled={over || m.pending === 'notes'}
        >
          Save notes
        </button>
        <button type="button" className="btn" onClick={() => setDraft(null)}>
          Cancel
        </button>
      </div>
      <InlineError message={m.errorFor('notes')} data-testid="notes-error" />
    </form>
  );
}

/** Archive/Unarchive, Move and Delete (writers only). */
export function RunActions({ m }: { m: RunManagement }) {
  const [target, setTarget] = useState('');
  const [confirming, setConfirming] = useState(false);
  if (!m.canWrite) return null;
  return (
    <div className="run-actions" data-testid="run-actions">
      <button
        type="button"
        className="btn"
        data-testid={m.archived ? 'unarchive-run' : 'archive-run'}
        disabled={m.pending === 'archive'}
        onClick={() => void m.setArchived(!m.archived)}
      >
        {m.archived ? 'Unarchive' : 'Archive'}
      </button>
      {m.targets.length > 0 ? (
        <form
          className="move-form"
          onSubmit={(e) => {
            e.preventDefault();
            if (target) void m.move(target);
          }}
        >
          <select
            aria-label="Move to project"
            data-testid="move-target"
            value={target}
            onChange={(e) => setTarget(e.target.value)}
          >
            <option value="">Move to…</option>
            {m.targets.map((p) => (
              <option key={p} value={p}>
                {p}
              </option>
            ))}
          </select>
          <button
            type="submit"
            className="btn"
            data-testid="move-run"
            disabled={!target || m.pending === 'move'}
          >
            Move
          </button>
        </form>
      ) : null}
      <button
        type="button"
        className="btn btn-danger-outline"
        data-testid="delete-run"
        onClick={() => setConfirming(true)}
      >
        Delete…
      </button>
      <InlineError message={m.errorFor('archive') ?? m.errorFor('move')} />
      {confirming ? <DeleteRunDialog m={m} onClose={() => setConfirming(false)} /> : null}
    </div>
  );
}

/** Confirmation naming the run: Delete is enabled once its name is typed exactly. */
function DeleteRunDialog({ m, onClose }: { m: RunManagement; onClose: () => void }) {
  const [typed, setTyped] = useState('');
  const titleId = useId();
  const inputRef = useRef<HTMLInputElement>(null);
  useEffect(() => {
    inputRef.current?.focus();
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape') onClose();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [onClose]);
  const name = m.run.name;
  const matches = typed === name;
  return (
    <div className="modal-backdrop" onClick={onClose}>
      <div
        className="modal card"
        role="dialog"
        aria-modal="true"
        aria-labelledby={titleId}
        data-testid="delete-dialog"
        onClick={(e) => e.stopPropagation()}
      >
        <h2 id={titleId}>
          Delete run <q>{name}</q>?
        </h2>
        <p>
          Its metrics, evaluations, uncertainty results and artifacts are deleted for good (files
          another run also stored are kept). This cannot be undone.
        </p>
        <form
          onSubmit={(e) => {
            e.preventDefault();
            if (matches) void m.remove();
          }}
        >
          <label className="field">
            <span>
              Type <strong>{name}</strong> to confirm
            </span>
            <input
              ref={inputRef}
              className="text-input"
              data-testid="delete-confirm-input"
              value={typed}
              onChange={(e) => setTyped(e.target.value)}
            />
          </label>
          <InlineError message={m.errorFor('delete')} data-testid="delete-error" />
          <div className="modal-actions">
            <button type="button" className="btn" onClick={onClose}>
              Cancel
            </button>
            <button
              type="submit"
              className="btn btn-danger"
              data-testid="delete-confirm"
              disabled={!matches || m.pending === 'delete'}
            >
              Delete run
            </button>
          </div>
        </form>
      </div>
    </div>
  );
}
