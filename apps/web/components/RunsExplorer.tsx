'use client';

import { columnLabel, dynamicColumnKeys, parseColumns, serializeColumns } from '@convscope/viz';
import Link from 'next/link';
import { usePathname, useSearchParams } from 'next/navigation';
import { useEffect, useRef, useState, useSyncExternalStore } from 'react';
import type { RunListItem, RunsData } from '../lib/queries';
import { toGraphQLFilter, toGraphQLOrder, type RunFilterState } from '../lib/run-filters';
import {
  columnsStorageKey,
  defaultColumns,
  viewFromParams,
  type RunsViewState,
} from '../lib/runs-view';
import { ColumnChooser } from './ColumnChooser';
import { EmptyState } from './EmptyState';
import { InlineError } from './InlineError';
import { LoadMore } from './LoadMore';
import { QueryBox } from './QueryBox';
import { RunsFilters } from './RunsFilters';
import { isActive } from '../lib/queries';
import { CancelRunButton } from './queue/CancelRun';
import { builtinColumns, isTypingTarget, RunsTable } from './RunsTable';
import type { LiveStatus } from '../lib/use-live-events';
import { SavedViews } from './SavedViews';
import { useRunSelection } from './use-run-selection';
import {
  ACTIVE_REFRESH_MS,
  IDLE_CHECK_MS,
  useRunsPages,
  type RunsPages,
  type RunsQueryBase,
} from './use-runs-pages';

/** Props of {@link RunsExplorer}. */
export interface RunsExplorerProps {
  /** Server-rendered first page of runs for `filter`. */
  initial: RunsData;
  filter: RunFilterState;
  /** Project names offered in the project filter. */
  projects: string[];
  /** Hide the project filter and column (project page). */
  fixedProject?: boolean;
  /** The API's QUERY_SYNTAX_ERROR message for `filter.q` (the runs are then not filtered by it). */
  queryError?: string | null;
  /** Projects the caller may change: their live runs get a Cancel row action. */
  writableProjects?: readonly string[];
}

/**
 * Filters plus runs table, a page at a time ("Load more" under it), kept fresh without a reload
 * (see useRunsPages: every 3 s while a listed run is queued or running, else a cheap check for new
 * runs every 5 s). Columns (`?cols=`, remembered per project in the browser), grouping by a
 * hyperparameter (`?group=`, with `?gstat=` the metric its headers summarise) and, on a project's
 * page, saved views. Keys: "/" focuses the query box, j/k move a row highlight, Enter opens the
 * highlighted run. Pages remount it (`key`) when the filter or order changes.
 */
export function RunsExplorer({
  initial,
  filter,
  projects,
  fixedProject = false,
  queryError = null,
  writableProjects = [],
}: RunsExplorerProps) {
  const { selection, select, toggle } = useRunSelection();
  const selected = new Set(selection);
  const variables: RunsQueryBase = {
    filter: toGraphQLFilter(queryError ? { ...filter, q: null } : filter),
    orderBy: toGraphQLOrder(filter),
  };
  const pages = useRunsPages(initial, variables);
  const { data, error, live, updatedAt } = pages;
  // Server render time for the first paint; refreshed on every poll for live durations.
  const [firstRender] = useState(() => Date.now());
  const runs = data.runs.nodes;
  const filtered = Boolean(filter.status || filter.q || (!fixedProject && filter.project));
  const view = useViewControls(fixedProject ? filter.project : null, !fixedProject);
  const queryInput = useRef<HTMLInputElement>(null);
  const [help, setHelp] = useState(false);
  useGlobalKeys({
    '/': () => queryInput.current?.focus(),
    '?': () => setHelp((open) => !open),
  });

  return (
    <section className="card" aria-label="Runs">
      <div className="card-header">
        <div style={{ display: 'flex', alignItems: 'baseline', gap: 10 }}>
          <h2>Runs</h2>
          <RunsCount shown={runs.length} total={data.runs.totalCount} />
          <LiveBadge live={live} error={error} stream={pages.stream} />
        </div>
        <div className="runs-actions">
          <RunsFilters projects={projects} filter={filter} showProject={!fixedProject} />
          <CompareActions selection={selection} onClear={() => select([])} />
        </div>
      </div>
      <div className="card-body">
        <QueryBox initial={filter.q ?? ''} error={queryError} inputRef={queryInput} />
        <RunsToolbar
          view={view}
          project={fixedProject ? filter.project : null}
          showProject={!fixedProject}
          runs={runs}
          help={help}
          onHelp={setHelp}
        />
      </div>
      <div className="card-body flush">
        {runs.length === 0 ? (
          <EmptyState title={filtered ? 'No runs match these filters' : 'No runs yet'}>
            {filtered ? (
              'Try another query, project or status.'
            ) : (
              <>
                Start one with <code>npm run train</code>; it appears here as soon as it is queued.
              </>
            )}
          </EmptyState>
        ) : (
          <RunsTable
            runs={runs}
            showProject={!fixedProject}
            now={updatedAt ?? firstRender}
            selected={selected}
            onToggle={toggle}
            columns={view.chosen}
            groupBy={view.groupBy}
            groupMetric={view.groupStat ?? undefined}
            keyboard
            rowAction={cancelAction(writableProjects)}
          />
        )}
        <RunsPager pages={pages} />
      </div>
    </section>
  );
}

/** Views, grouping, column chooser and the shortcuts help, above the table. */
function RunsToolbar({
  view,
  project,
  showProject,
  runs,
  help,
  onHelp,
}: {
  view: ViewControls;
  /** The project of a project's page (saved views are per project). */
  project: string | null;
  showProject: boolean;
  runs: readonly RunListItem[];
  help: boolean;
  onHelp: (open: boolean) => void;
}) {
  const dynamic = dynamicColumnKeys(runs);
  const groupOptions = dynamic.filter((k) => k.startsWith('hp.'));
  if (view.groupBy && !groupOptions.includes(view.groupBy)) groupOptions.push(view.groupBy);
  const statOptions = ['best.val_accuracy', ...dynamic.filter((k) => /^(best|final)\./.test(k))];
  return (
    <div className="runs-toolbar" data-testid="runs-toolbar">
      {project ? (
        <SavedViews project={project} current={view.current} currentName={view.viewName} />
      ) : null}
      <label>
        Group by
        <select
          aria-label="Group by"
          data-testid="group-by"
          value={view.groupBy ?? ''}
          onChange={(e) => view.setParam('group', e.target.value || null)}
        >
          <option value="">None</option>
          {groupOptions.map((k) => (
            <option key={k} value={k}>
              {columnLabel(k)}
            </option>
          ))}
        </select>
      </label>
      {view.groupBy ? (
        <label>
          Stats of
          <select
            aria-label="Group statistics metric"
            data-testid="group-stat"
            title="Sorted metric: the metric column the table is sorted by, else best val_accuracy"
            value={view.groupStat ?? ''}
            onChange={(e) => view.setParam('gstat', e.target.value || null)}
          >
            <option value="">Sorted metric</option>
            {[...new Set(statOptions)].map((k) => (
              <option key={k} value={k}>
                {columnLabel(k)}
              </option>
            ))}
          </select>
        </label>
      ) : null}
      <ColumnChooser
        builtins={builtinColumns(showProject).map((c) => ({ key: c.key, label: c.label }))}
        dynamic={dynamic}
        chosen={view.shown}
        onChange={view.setColumns}
        onReset={view.resetColumns}
      />
      <KeyboardHelp open={help} onToggle={onHelp} />
    </div>
  );
}

/**
 * "Live" while a listed run is in flight, "Reconnecting…" while the live stream or the API is
 * unreachable, else a quiet "live updates" (changes are pushed) or "auto-refresh" (polling).
 */
function LiveBadge({
  live,
  error,
  stream,
}: {
  live: boolean;
  error: Error | null;
  stream: LiveStatus;
}) {
  const warn = error !== null || stream === 'reconnecting';
  return live || warn ? (
    <span
      className={`live${warn ? ' live-warn' : ''}`}
      data-testid="runs-live"
      data-stream={stream}
      title={
        error
          ? error.message
          : stream === 'live'
            ? 'Changes appear as they happen'
            : `Live updates unavailable: refreshing every ${ACTIVE_REFRESH_MS / 1000} s`
      }
    >
      <span className="live-dot" />
      {warn ? 'Reconnecting…' : 'Live'}
    </span>
  ) : (
    <span
      className="meta"
      data-testid="runs-watching"
      data-stream={stream}
      title={
        stream === 'live'
          ? 'New runs and changes appear as they happen'
          : `Checks for new runs every ${IDLE_CHECK_MS / 1000} s while this tab is visible`
      }
    >
      {stream === 'live' ? 'live updates' : 'auto-refresh'}
    </span>
  );
}

/** "n of N" while more runs match than are loaded, else "N"; announced when it changes. */
function RunsCount({ shown, total }: { shown: number; total: number }) {
  return (
    <span className="meta" data-testid="runs-count" aria-live="polite">
      {shown < total ? `${shown} of ${total}` : total}
    </span>
  );
}

/** "Load more (n left)" under the table while more runs match, with the error of a failed page. */
function RunsPager({ pages }: { pages: RunsPages }) {
  const { runs } = pages.data;
  if (!runs.pageInfo.hasNextPage && !pages.loadingMore && !pages.loadMoreError) return null;
  return (
    <div style={{ paddingBottom: 12 }}>
      <LoadMore
        loading={pages.loadingMore}
        hasMore={runs.pageInfo.hasNextPage}
        left={Math.max(0, runs.totalCount - runs.nodes.length)}
        onLoadMore={pages.loadMore}
        testId="runs-load-more"
        label="Load more"
      />
      <InlineError message={pages.loadMoreError} data-testid="runs-load-more-error" />
    </div>
  );
}

/** "Compare (n)" for the selected runs (a link from two runs on) and "Clear selection". */
function CompareActions({ selection, onClear }: { selection: string[]; onClear: () => void }) {
  return (
    <>
      {selection.length > 0 ? (
        <Link
          href={`/compare?runs=${selection.map(encodeURIComponent).join(',')}`}
          className="btn btn-primary"
          prefetch={false}
          data-testid="compare-button"
          aria-disabled={selection.length < 2}
        >
          Compare ({selection.length})
        </Link>
      ) : (
        <span className="btn btn-primary disabled" data-testid="compare-button" aria-disabled>
          Compare (0)
        </span>
      )}
      {selection.length > 0 ? (
        <button type="button" className="link-button" onClick={onClear}>
          Clear selection
        </button>
      ) : null}
    </>
  );
}

// The columns remembered in this browser, read as an external store (the same tab is told by
// STORAGE_EVENT, other tabs by the storage event).
const STORAGE_EVENT = 'convscope:runs-columns';
function subscribeStorage(onChange: () => void): () => void {
  window.addEventListener('storage', onChange);
  window.addEventListener(STORAGE_EVENT, onChange);
  return () => {
    window.removeEventListener('storage', onChange);
    window.removeEventListener(STORAGE_EVENT, onChange);
  };
}
function readStorage(key: string): string | null {
  try {
    return window.localStorage.getItem(key);
  } catch {
    return null;
  }
}

/** What {@link useViewControls} returns. */
interface ViewControls {
  /** The chosen columns, undefined for the defaults. */
  chosen: string[] | undefined;
  /** The columns shown (chosen or default). */
  shown: string[];
  groupBy: string | null;
  groupStat: string | null;
  /** The saved view picked (`?view=`). */
  viewName: string | null;
  /** The view as "Save view as…" stores it. */
  current: RunsViewState;
  setParam(name: string, value: string | null): void;
  setColumns(keys: string[]): void;
  resetColumns(): void;
}

/**
 * The table's view controls: chosen columns (URL `?cols=` first, else the browser's memory for
 * this project, else the defaults), grouping, and the view as a saved view would store it.
 * Columns and grouping change the URL in place (history.replaceState, which Next.js's
 * useSearchParams follows) without fetching the runs again.
 */
function useViewControls(project: string | null, showProject: boolean): ViewControls {
  const searchParams = useSearchParams();
  const pathname = usePathname();
  const storageKey = columnsStorageKey(project);
  const storedText = useSyncExternalStore(
    subscribeStorage,
    () => readStorage(storageKey),
    () => null,
  );
  const storedKeys = parseColumns(storedText);
  const stored = storedKeys.length > 0 ? storedKeys : null;
  const { param, setParam } = useUrlParams(pathname);
  const urlColumns = parseColumns(param('cols'));
  const chosen = urlColumns.length > 0 ? urlColumns : (stored ?? undefined);
  const shown = chosen ?? defaultColumns({ showProject });

  const remember = (keys: string[] | null) => {
    try {
      if (keys) window.localStorage.setItem(storageKey, serializeColumns(keys));
      else window.localStorage.removeItem(storageKey);
    } catch {
      // Storage unavailable (privacy mode): the URL still carries the choice.
    }
    window.dispatchEvent(new Event(STORAGE_EVENT));
  };
  return {
    chosen,
    shown,
    groupBy: param('group') || null,
    groupStat: param('gstat') || null,
    viewName: searchParams.get('view') || null,
    current: {
      ...viewFromParams(searchParams),
      columns: chosen ?? [],
      groupBy: param('group') || null,
    },
    setParam,
    setColumns: (keys: string[]) => {
      remember(keys);
      setParam('cols', serializeColumns(keys));
    },
    resetColumns: () => {
      remember(null);
      setParam('cols', null);
    },
  };
}

/**
 * URL parameters the table writes in place, read back at once: Next.js updates useSearchParams
 * after a history.replaceState in a transition, so until it catches up the value written last is
 * what the controls show. A URL value this hook did not write (a saved view picked) wins.
 */
function useUrlParams(pathname: string) {
  const searchParams = useSearchParams();
  const [written, setWritten] = useState<Record<string, { value: string | null; seen: string[] }>>(
    {},
  );
  // Once the URL shows what was written last, only that is ours: a later URL change (a saved
  // view picked) then wins even if it brings back a value written before.
  const caughtUp = Object.entries(written).filter(
    ([name, w]) => w.seen.length > 1 && (searchParams.get(name) ?? '') === (w.value ?? ''),
  );
  if (caughtUp.length > 0)
    setWritten((w) => {
      const next = { ...w };
      for (const [name, v] of caughtUp) next[name] = { value: v.value, seen: [v.value ?? ''] };
      return next;
    });
  const param = (name: string): string | null => {
    const url = searchParams.get(name);
    const mine = written[name];
    return mine && mine.seen.includes(url ?? '') ? mine.value : url;
  };
  const setParam = (name: string, value: string | null) => {
    // From the address bar, not searchParams: an earlier write may not have reached it yet.
    const params = new URLSearchParams(window.location.search);
    const before = params.get(name) ?? '';
    if (value) params.set(name, value);
    else params.delete(name);
    setWritten((w) => ({
      ...w,
      [name]: { value, seen: [...(w[name]?.seen ?? []), before, value ?? ''].slice(-20) },
    }));
    const qs = params.toString();
    // null state: Next.js syncs useSearchParams only for history calls that are not its own.
    window.history.replaceState(null, '', qs ? `${pathname}?${qs}` : pathname);
  };
  return { param, setParam };
}

/** Runs `handlers[key]` for a key pressed outside any field (no modifier but Shift). */
function useGlobalKeys(handlers: Record<string, () => void>) {
  const latest = useRef(handlers);
  useEffect(() => {
    latest.current = handlers;
  });
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.defaultPrevented || e.ctrlKey || e.metaKey || e.altKey || isTypingTarget(e.target))
        return;
      const handler = latest.current[e.key];
      if (!handler) return;
      e.preventDefault();
      handler();
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, []);
}

const SHORTCUTS: [string, string][] = [
  ['/', 'focus the query box'],
  ['j / k', 'move the row highlight down / up'],
  ['Enter', 'open the highlighted run'],
  ['Esc', 'clear the highlight'],
  ['?', 'show or hide this help'],
];

/** The "?" button listing the keyboard shortcuts (also opened with the "?" key). */
function KeyboardHelp({ open, onToggle }: { open: boolean; onToggle: (open: boolean) => void }) {
  return (
    <details
      className="menu kbd-help"
      open={open}
      onToggle={(e) => onToggle((e.target as HTMLDetailsElement).open)}
      data-testid="keyboard-help"
    >
      <summary
        className="btn"
        aria-label="Keyboard shortcuts"
        title={SHORTCUTS.map(([k, what]) => `${k}: ${what}`).join('\n')}
      >
        ?
      </summary>
      <dl className="menu-panel kbd-list">
        {SHORTCUTS.map(([k, what]) => (
          <div key={k}>
            <dt>
              <kbd>{k}</kbd>
            </dt>
            <dd>{what}</dd>
          </div>
        ))}
      </dl>
    </details>
  );
}

/** The runs table's row action: Cancel on live runs of the projects the caller may change. */
function cancelAction(writable: readonly string[]) {
  if (writable.length === 0) return undefined;
  const can = new Set(writable);
  // The table refreshes every few seconds while a run is live: the cancel shows there by itself.
  return (run: RunListItem) =>
    isActive(run.status) && can.has(run.project.name) ? (
      <CancelRunButton run={run} compact />
    ) : null;
}
