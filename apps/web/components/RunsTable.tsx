'use client';

import {
  bestFromSummary,
  columnLabel,
  columnValue,
  formatDuration,
  formatNumber,
  formatPercent,
  groupRows,
  metricGoal,
  parseColumnKey,
  sortRows,
  type RowGroup,
  type SortDirection,
  type SortValue,
} from '@convscope/viz';
import Link from 'next/link';
import { usePathname, useRouter, useSearchParams } from 'next/navigation';
import { useEffect, useRef, useState, type ReactNode, type RefObject } from 'react';
import { keyHyperparameters, type KeyHyperparameter } from '../lib/hyperparameters';
import { formatTimestamp, runDurationMs } from '../lib/time';
import type { RunListItem } from '../lib/queries';
import { defaultColumns } from '../lib/runs-view';
import { Sparkline } from './Sparkline';
import { StatusBadge } from './StatusBadge';

interface Row {
  run: RunListItem;
  hp: Map<string, KeyHyperparameter>;
  bestValAccuracy: number | null;
  durationMs: number | null;
}

/** A column of the runs table: a built-in one or a hyperparameter, metric or tags column. */
export interface Column {
  key: string;
  label: string;
  numeric?: boolean;
  /** Direction of the first click: metrics read best-first. */
  firstDirection?: SortDirection;
  /** False for columns neither the API nor the table sorts by (trend, tags). */
  sortable?: boolean;
  /** Shown on phones too (the others are hidden below 640 px unless chosen explicitly). */
  essential?: boolean;
  sortValue: (row: Row) => SortValue;
  render: (row: Row) => ReactNode;
}

const STATUS_ORDER = { RUNNING: 0, QUEUED: 1, FAILED: 2, CANCELLED: 3, COMPLETED: 4 } as const;

const hpValue = (label: string) => (row: Row) =>
  row.hp.get(label)?.numeric ?? row.hp.get(label)?.value ?? null;
const hpCell = (label: string) => (row: Row) =>
  row.hp.get(label)?.value ?? <span className="faint">—</span>;
const MISSING_CELL = <span className="faint">—</span>;

/** The built-in columns by key (the project column only across projects). */
export function builtinColumns(showProject: boolean): Column[] {
  return [...runColumns(showProject), ...hyperparameterColumns(), ...resultColumns()];
}

/** Status, run name (a link to the run) and, unless fixed, the project. */
function runColumns(showProject: boolean): Column[] {
  return [
    {
      key: 'status',
      label: 'Status',
      essential: true,
      sortValue: (r) => STATUS_ORDER[r.run.status],
      render: (r) => <StatusBadge status={r.run.status} cancelling={r.run.cancelRequested} />,
    },
    {
      key: 'name',
      label: 'Run',
      essential: true,
      sortValue: (r) => r.run.name,
      render: (r) => (
        <Link
          href={`/runs/${encodeURIComponent(r.run.id)}`}
          className="run-name"
          data-testid="run-link"
        >
          {r.run.name}
        </Link>
      ),
    },
    ...(showProject
      ? [
          {
            key: 'project',
            label: 'Project',
            sortValue: (r: Row) => r.run.project.name,
            render: (r: Row) => (
              <Link href={`/projects/${encodeURIComponent(r.run.project.name)}`}>
                {r.run.project.name}
              </Link>
            ),
          },
        ]
      : []),
  ];
}

/** The key hyperparameters: preset, learning rate, batch size and epochs. */
function hyperparameterColumns(): Column[] {
  return [
    { key: 'preset', label: 'Preset', sortValue: hpValue('preset'), render: hpCell('preset') },
    { key: 'lr', label: 'LR', numeric: true, sortValue: hpValue('lr'), render: hpCell('lr') },
    {
      key: 'batch',
      label: 'Batch',
      numeric: true,
      sortValue: hpValue('batch'),
      render: hpCell('batch'),
    },
    {
      key: 'epochs',
      label: 'Epochs',
      numeric: true,
      sortValue: hpValue('epochs'),
      render: hpCell('epochs'),
    },
  ];
}

/** Validation-accuracy trend and best, duration and creation time. */
function resultColumns(): Column[] {
  return [
    {
      key: 'trend',
      label: 'Val acc',
      sortable: false,
      sortValue: () => null,
      render: (r) => (
        <Sparkline points={r.run.trend[0]?.points ?? []} label={`val_accuracy of ${r.run.name}`} />
      ),
    },
    {
      key: 'best',
      label: 'Best val acc',
      numeric: true,
      essential: true,
      firstDirection: 'desc',
      sortValue: (r) => r.bestValAccuracy,
      render: (r) => <strong>{formatPercent(r.bestValAccuracy, 2)}</strong>,
    },
    {
      key: 'duration',
      label: 'Duration',
      numeric: true,
      firstDirection: 'desc',
      sortValue: (r) => r.durationMs,
      render: (r) => formatDuration(r.durationMs),
    },
    {
      key: 'created',
      label: 'Created',
      firstDirection: 'desc',
      sortValue: (r) => r.run.createdAt,
      render: (r) => <span className="muted">{formatTimestamp(r.run.createdAt)}</span>,
    },
  ];
}

/** A run's value in a hyperparameter, metric or tags column (see @convscope/viz columns). */
function dynamicValue(run: RunListItem, key: string) {
  return columnValue(run, key, metricGoal);
}

/** The column of a hyperparameter (`hp.`), metric (`best.`, `final.`) or `tags` key. */
export function dynamicColumn(key: string): Column | null {
  const parsed = parseColumnKey(key);
  if (parsed.kind === 'builtin') return null;
  const metric = parsed.kind === 'best' || parsed.kind === 'final';
  return {
    key,
    label: columnLabel(key),
    numeric: metric,
    // The API sorts by the key as a query-language field; a name needing quotes (`val/acc`)
    // would not parse there, so such columns are not sortable (tags are not a sort key at all).
    sortable: parsed.kind !== 'tags' && /^[A-Za-z_][\w.]*$/.test(parsed.name),
    firstDirection: metric && metricGoal(parsed.name) === 'max' ? 'desc' : 'asc',
    sortValue: (r) => {
      const v = dynamicValue(r.run, key);
      return typeof v === 'boolean' ? String(v) : v;
    },
    render: (r) => {
      if (parsed.kind === 'tags')
        return r.run.tags.length > 0 ? (
          <span className="tag-list">
            {r.run.tags.map((t) => (
              <span key={t} className="tag-chip">
                {t}
              </span>
            ))}
          </span>
        ) : (
          MISSING_CELL
        );
      const v = dynamicValue(r.run, key);
      if (v === null || v === undefined) return MISSING_CELL;
      return typeof v === 'number' ? formatNumber(v, 4) : String(v);
    },
  };
}

/** The columns for `keys`, in order, skipping unknown keys; the run name is always shown. */
export function resolveColumns(keys: readonly string[], showProject: boolean): Column[] {
  const builtins = new Map(builtinColumns(showProject).map((c) => [c.key, c]));
  const out: Column[] = [];
  for (const key of keys.includes('name') ? keys : ['name', ...keys]) {
    const col = builtins.get(key) ?? dynamicColumn(key);
    if (col && !out.some((c) => c.key === col.key)) out.push(col);
  }
  return out;
}

/** Props of {@link RunsTable}. */
export interface RunsTableProps {
  runs: RunListItem[];
  showProject: boolean;
  now: number;
  /** Ids of the selected runs (checkboxes); omit for no selection column. */
  selected?: ReadonlySet<string>;
  onToggle?: (id: string, checked: boolean) => void;
  /** Column keys in display order (default: {@link defaultColumns}); the run name is always shown. */
  columns?: readonly string[];
  /** Column key (e.g. `hp.optimizer`) to group the rows by; null: no groups. */
  groupBy?: string | null;
  /** Metric key (`best.<m>`, `final.<m>`) the group headers summarise when the sort is not a metric. */
  groupMetric?: string;
  /** Whether j/k move a row highlight and Enter opens the highlighted run. */
  keyboard?: boolean;
  /**
   * A row's actions (e.g. Cancel on a live run), in a last column shown while some row has one
   * (null: none); omit for none.
   */
  rowAction?: (run: RunListItem) => ReactNode;
}

/** The row-action renderer while some run has an action: an empty column widens a phone's table. */
function actionsInUse(
  runs: readonly RunListItem[],
  rowAction: RunsTableProps['rowAction'],
): RunsTableProps['rowAction'] {
  return rowAction && runs.some((r) => rowAction(r) != null) ? rowAction : undefined;
}

/** Whether a key event comes from a place where the user types. */
export function isTypingTarget(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  return (
    target.isContentEditable ||
    ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName) ||
    target.closest('[contenteditable="true"]') !== null
  );
}

/**
 * Sortable runs table with chosen columns and optional groups. Sorting is kept in the URL
 * (`?sort=best&dir=desc`) and done by the API (`orderBy: { key }`; built-in column keys map to
 * query-language keys such as `best.val_accuracy`, and hyperparameter and metric columns are
 * keyed by theirs); the loaded rows are also ordered client-side for an immediate response. A
 * `?sort=` that is not a shown column (e.g. `final.loss`) keeps the API's order. Grouped, each
 * group (ordered by value, rows in sort order inside) has a header row with its count and the
 * mean/min/max of the sorted metric (or `groupMetric`).
 */
export function RunsTable({
  runs,
  showProject,
  now,
  selected,
  onToggle,
  columns: columnKeys,
  groupBy = null,
  groupMetric = 'best.val_accuracy',
  keyboard = false,
  rowAction: anyRowAction,
}: RunsTableProps) {
  const rowAction = actionsInUse(runs, anyRowAction);
  const cols = resolveColumns(columnKeys ?? defaultColumns({ showProject }), showProject);
  const { sortKey, direction, byApiOnly, sortBy } = useSort(cols);
  const rows = runs.map((run) => toRow(run, now));
  const column = cols.find((c) => c.key === sortKey);
  const sorted = byApiOnly || !column ? rows : sortRows(rows, column.sortValue, direction);
  const statKey = metricOfSort(sortKey) ?? groupMetric;
  const groups = groupBy ? groupsOf(sorted, groupBy, statKey) : null;
  const visible = groups ? groups.flatMap((g) => g.rows) : sorted;
  const ids = visible.map((r) => r.run.id);
  const { highlighted, rowRef } = useRowKeys(ids, keyboard);
  const span = cols.length + (onToggle ? 1 : 0) + (rowAction ? 1 : 0);
  const chosen = columnKeys !== undefined;
  const renderRow = (row: Row) => (
    <RunRow
      key={row.run.id}
      row={row}
      cols={cols}
      chosen={chosen}
      selected={selected?.has(row.run.id) ?? false}
      highlighted={row.run.id === highlighted}
      rowRef={rowRef}
      onToggle={onToggle}
      rowAction={rowAction}
    />
  );

  return (
    <div className="table-wrap runs-table-wrap" data-testid="runs-table-wrap">
      <table className="data runs-table" data-testid="runs-table">
        <thead>
          <tr>
            {onToggle ? <th className="select-col" aria-label="Select" /> : null}
            {cols.map((c) => (
              <SortHeader
                key={c.key}
                column={c}
                className={cellClass(c, chosen)}
                active={c.key === sortKey}
                direction={direction}
                onSort={() => sortBy(c)}
              />
            ))}
            {rowAction ? (
              <th className="actions-col">
                <span className="visually-hidden">Actions</span>
              </th>
            ) : null}
          </tr>
        </thead>
        {groups ? (
          groups.map((g) => (
            <tbody key={g.key} data-testid="run-group" data-group={g.key}>
              <tr className="group-header">
                <th colSpan={span} scope="rowgroup">
                  <GroupHeader group={g} groupBy={groupBy!} statKey={statKey} />
                </th>
              </tr>
              {g.rows.map(renderRow)}
            </tbody>
          ))
        ) : (
          <tbody>{sorted.map(renderRow)}</tbody>
        )}
      </table>
    </div>
  );
}

/** One run's row: the selection checkbox (with `onToggle`) and a cell per column. */
function RunRow({
  row,
  cols,
  chosen,
  selected,
  highlighted,
  rowRef,
  onToggle,
  rowAction,
}: {
  row: Row;
  cols: Column[];
  chosen: boolean;
  selected: boolean;
  highlighted: boolean;
  rowRef: RefObject<HTMLTableRowElement | null>;
  onToggle?: (id: string, checked: boolean) => void;
  rowAction?: (run: RunListItem) => ReactNode;
}) {
  const { run } = row;
  return (
    <tr
      data-run-id={run.id}
      ref={highlighted ? rowRef : undefined}
      aria-current={highlighted ? 'true' : undefined}
      className={
        [selected ? 'selected' : '', highlighted ? 'highlighted' : ''].filter(Boolean).join(' ') ||
        undefined
      }
    >
      {onToggle ? (
        <td className="select-col">
          <input
            type="checkbox"
            data-testid="run-select"
            aria-label={`Select ${run.name}`}
            checked={selected}
            onChange={(e) => onToggle(run.id, e.target.checked)}
          />
        </td>
      ) : null}
      {cols.map((c) => (
        <td
          key={c.key}
          className={cellClass(c, chosen)}
          data-col={c.key}
          suppressHydrationWarning={c.key === 'duration'}
        >
          {c.render(row)}
        </td>
      ))}
      {rowAction ? <td className="actions-col">{rowAction(run)}</td> : null}
    </tr>
  );
}

function toRow(run: RunListItem, now: number): Row {
  return {
    run,
    hp: new Map(keyHyperparameters(run.hyperparameters).map((h) => [h.label, h])),
    bestValAccuracy: bestFromSummary(run.summary, 'val_accuracy'),
    durationMs: runDurationMs(run, now),
  };
}

function groupsOf(rows: Row[], groupBy: string, statKey: string): RowGroup<Row>[] {
  return groupRows(
    rows,
    (r) => groupValue(r.run, groupBy),
    (r) => metricOf(r.run, statKey),
  );
}

// Built-in columns a phone drops unless the user chose the columns (then all they chose show).
function cellClass(c: Column, chosen: boolean): string | undefined {
  const classes = [c.numeric ? 'num' : '', !c.essential && !chosen ? 'hide-narrow' : ''];
  if (c.key === 'name') classes.push('name-col');
  return classes.filter(Boolean).join(' ') || undefined;
}

/** The metric key a sort column stands for (`best` is `best.val_accuracy`), or null. */
function metricOfSort(sortKey: string): string | null {
  if (sortKey === 'best') return 'best.val_accuracy';
  const parsed = parseColumnKey(sortKey);
  return parsed.kind === 'best' || parsed.kind === 'final' ? sortKey : null;
}

function metricOf(run: RunListItem, key: string): number | null {
  const v = dynamicValue(run, key);
  return typeof v === 'number' ? v : null;
}

function groupValue(run: RunListItem, key: string): string | number | boolean | null {
  const v = dynamicValue(run, key);
  if (v !== undefined) return v;
  // A built-in key groups by what its column shows.
  if (key === 'status') return run.status;
  if (key === 'project') return run.project.name;
  const hp = keyHyperparameters(run.hyperparameters).find((h) => h.label === key);
  return hp ? (hp.numeric ?? hp.value) : null;
}

/** "optimizer = adam · 3 runs · best val_accuracy mean 0.85 (min 0.8, max 0.9)". */
function GroupHeader({
  group,
  groupBy,
  statKey,
}: {
  group: RowGroup<Row>;
  groupBy: string;
  statKey: string;
}) {
  const { stats } = group;
  const value =
    group.value === null
      ? 'not set'
      : typeof group.value === 'number'
        ? formatNumber(group.value, 4)
        : String(group.value);
  const fmt = (v: number | null) => formatNumber(v, 4);
  return (
    <span className="group-summary" data-testid="group-header">
      <span className="group-value">
        {columnLabel(groupBy)} = <strong>{value}</strong>
      </span>
      <span className="group-count" data-testid="group-count">
        {group.rows.length} {group.rows.length === 1 ? 'run' : 'runs'}
      </span>
      <span className="group-stats" data-testid="group-stats">
        {columnLabel(statKey)}:{' '}
        {stats.n === 0 ? (
          'no values'
        ) : (
          <>
            mean <strong>{fmt(stats.mean)}</strong> · min {fmt(stats.min)} · max {fmt(stats.max)}
          </>
        )}
      </span>
    </span>
  );
}

/**
 * j/k move a highlight over the visible rows (top to bottom, groups included), Enter opens the
 * highlighted run, Escape clears it; ignored while typing in a field or with a modifier key.
 */
function useRowKeys(ids: readonly string[], enabled: boolean) {
  const router = useRouter();
  const [highlighted, setHighlighted] = useState<string | null>(null);
  const rowRef = useRef<HTMLTableRowElement | null>(null);
  const idsKey = ids.join('\n');
  useEffect(() => {
    if (!enabled) return;
    const list = idsKey ? idsKey.split('\n') : [];
    const onKey = (e: KeyboardEvent) => {
      if (e.defaultPrevented || e.ctrlKey || e.metaKey || e.altKey || isTypingTarget(e.target))
        return;
      if (e.key === 'j' || e.key === 'k') {
        if (list.length === 0) return;
        e.preventDefault();
        setHighlighted((cur) => {
          const i = cur === null ? -1 : list.indexOf(cur);
          if (i < 0) return e.key === 'j' ? list[0]! : list[list.length - 1]!;
          const next = e.key === 'j' ? Math.min(list.length - 1, i + 1) : Math.max(0, i - 1);
          return list[next]!;
        });
      } else if (
        e.key === 'Enter' &&
        highlighted &&
        list.includes(highlighted) &&
        // Enter on a link, button or menu activates that, not the highlighted run.
        !(e.target instanceof HTMLElement && e.target.closest('a, button, summary'))
      ) {
        e.preventDefault();
        router.push(`/runs/${encodeURIComponent(highlighted)}`);
      } else if (e.key === 'Escape') {
        setHighlighted(null);
      }
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, [enabled, idsKey, highlighted, router]);
  useEffect(() => {
    rowRef.current?.scrollIntoView?.({ block: 'nearest' });
  }, [highlighted]);
  return { highlighted, rowRef };
}

/**
 * The sort in the URL (`?sort=&dir=`): the column key (default "created", newest first), its
 * direction, whether the key is one only the API sorts by, and `sortBy` to navigate to a
 * column's sort (a second click flips the direction).
 */
function useSort(cols: Column[]) {
  const pathname = usePathname();
  const router = useRouter();
  const searchParams = useSearchParams();
  const rawSort = searchParams.get('sort');
  const byApiOnly = Boolean(rawSort) && !cols.some((c) => c.key === rawSort);
  const sortKey = rawSort && !byApiOnly ? rawSort : 'created';
  const direction: SortDirection =
    searchParams.get('dir') === 'asc'
      ? 'asc'
      : searchParams.get('dir') === 'desc'
        ? 'desc'
        : sortKey === 'created'
          ? 'desc'
          : 'asc';

  function sortBy(col: Column) {
    const params = new URLSearchParams(searchParams.toString());
    const next: SortDirection =
      col.key === sortKey ? (direction === 'asc' ? 'desc' : 'asc') : (col.firstDirection ?? 'asc');
    params.set('sort', col.key);
    params.set('dir', next);
    params.delete('view');
    // The API sorts (orderBy key): navigate so the server component fetches in the new order.
    router.push(`${pathname}?${params.toString()}`, { scroll: false });
  }

  return { sortKey, direction, byApiOnly, sortBy };
}

/** A column header: a sort button (with ▲/▼ on the active column), plain text when unsortable. */
function SortHeader({
  column: c,
  className,
  active,
  direction,
  onSort,
}: {
  column: Column;
  className: string | undefined;
  active: boolean;
  direction: SortDirection;
  onSort: () => void;
}) {
  return (
    <th
      className={className}
      data-col={c.key}
      aria-sort={active ? (direction === 'asc' ? 'ascending' : 'descending') : undefined}
    >
      {c.sortable !== false ? (
        <button type="button" className="sort-button" onClick={onSort} data-sort-key={c.key}>
          {c.label}
          {active ? (
            <span className="sort-indicator">{direction === 'asc' ? '▲' : '▼'}</span>
          ) : null}
        </button>
      ) : (
        c.label
      )}
    </th>
  );
}
