'use client';

import { usePathname, useRouter } from 'next/navigation';
import { useEffect, useState } from 'react';
import { gqlRequest } from '../lib/graphql';
import {
  DELETE_VIEW_MUTATION,
  SAVE_VIEW_MUTATION,
  SAVED_VIEWS_QUERY,
  type SavedViewItem,
} from '../lib/runs-table-queries';
import { parseViewState, toSavedState, viewSearch, type RunsViewState } from '../lib/runs-view';
import { InlineError } from './InlineError';

/** Props of {@link SavedViews}. */
export interface SavedViewsProps {
  project: string;
  /** The view on screen now (query, status, columns, sort, grouping), saved by "Save view as…". */
  current: RunsViewState;
  /** The saved view's name in the URL (`?view=`), if one was picked or saved. */
  currentName: string | null;
}

const message = (err: unknown) => (err instanceof Error ? err.message : String(err));

/**
 * The project's saved views: a picker (navigates to the view's URL, so the server fetches its
 * runs), "Save view as…" (upserts by name: saving an existing name replaces it) and "Delete".
 * Anyone who can read the project can pick views; saving and deleting need the editor role, and
 * the API's refusal is shown under the controls.
 */
export function SavedViews({ project, current, currentName }: SavedViewsProps) {
  const router = useRouter();
  const pathname = usePathname();
  const api = useSavedViews(project);
  const [naming, setNaming] = useState(false);
  const [name, setName] = useState(currentName ?? '');
  const selected = api.views?.find((v) => v.name === currentName) ?? null;
  const go = (search: string) => router.replace(`${pathname}?${search}`, { scroll: false });
  const pick = (view: SavedViewItem | undefined) => {
    if (view) router.push(`${pathname}?${viewSearch(parseViewState(view.state), view.name)}`);
  };

  return (
    <div className="saved-views" data-testid="saved-views">
      <label>
        View
        <select
          aria-label="Saved view"
          data-testid="saved-view-select"
          value={selected?.id ?? ''}
          disabled={api.views === null}
          onChange={(e) => pick(api.views?.find((v) => v.id === e.target.value))}
        >
          <option value="">{api.views?.length ? 'Choose a saved view…' : 'No saved views'}</option>
          {api.views?.map((v) => (
            <option key={v.id} value={v.id}>
              {v.name}
            </option>
          ))}
        </select>
      </label>
      {naming ? (
        <SaveViewForm
          name={name}
          busy={api.busy}
          onName={setName}
          onSave={() =>
            void api.run(async () => {
              const trimmed = name.trim();
              await gqlRequest(SAVE_VIEW_MUTATION, {
                input: { project, name: trimmed, state: toSavedState(current) },
              });
              setNaming(false);
              go(viewSearch(current, trimmed));
            })
          }
          onCancel={() => setNaming(false)}
        />
      ) : (
        <button
          type="button"
          className="btn"
          data-testid="save-view"
          onClick={() => {
            setName(currentName ?? '');
            setNaming(true);
          }}
        >
          Save view as…
        </button>
      )}
      {selected ? (
        <button
          type="button"
          className="link-button"
          data-testid="delete-view"
          disabled={api.busy}
          onClick={() =>
            void api.run(async () => {
              await gqlRequest(DELETE_VIEW_MUTATION, { id: selected.id });
              go(viewSearch(current));
            })
          }
        >
          Delete view
        </button>
      ) : null}
      <InlineError message={api.error} data-testid="saved-views-error" />
    </div>
  );
}

/**
 * The saved views of a project (null while loading) and `run`, which performs a change, shows its
 * error (a viewer's FORBIDDEN, say) or reads the list again after it.
 */
function useSavedViews(project: string) {
  const [views, setViews] = useState<SavedViewItem[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  // Bumped after a change: the list is read again.
  const [version, setVersion] = useState(0);
  useEffect(() => {
    let current = true;
    gqlRequest(SAVED_VIEWS_QUERY, { project }).then(
      (d) => {
        if (current) setViews(d.savedViews);
      },
      (err: unknown) => {
        if (current) setError(message(err));
      },
    );
    return () => {
      current = false;
    };
  }, [project, version]);
  const run = async (change: () => Promise<void>) => {
    setBusy(true);
    try {
      await change();
      setError(null);
      setVersion((v) => v + 1);
    } catch (err) {
      setError(message(err));
    } finally {
      setBusy(false);
    }
  };
  return { views, error, busy, run };
}

/** The name field of "Save view as…" with Save and Cancel. */
function SaveViewForm({
  name,
  busy,
  onName,
  onSave,
  onCancel,
}: {
  name: string;
  busy: boolean;
  onName: (name: string) => void;
  onSave: () => void;
  onCancel: () => void;
}) {
  return (
    <form
      className="save-view-form"
      onSubmit={(e) => {
        e.preventDefault();
        onSave();
      }}
    >
      <input
        type="text"
        className="text-input"
        aria-label="View name"
        data-testid="save-view-name"
        maxLength={100}
        placeholder="View name"
        value={name}
        autoFocus
        onChange={(e) => onName(e.target.value)}
      />
      <button type="submit" className="btn btn-primary" disabled={busy || !name.trim()}>
        Save
      </button>
      <button type="button" className="link-button" onClick={onCancel}>
        Cancel
      </button>
    </form>
  );
}
