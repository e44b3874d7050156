'use client';

import {
  bestFromSummary,
  formatDuration,
  formatPercent,
  sortRows,
  type SortDirection,
  type SortValue,
} from '@convscope/viz';
import Link from 'next/link';
import { usePathname, useRouter, useSearchParams } from 'next/navigation';
import type { ReactNode } from 'react';
import { keyHyperparameters, type KeyHyperparameter } from '../lib/hyperparameters';
import { formatTimestamp, runDurationMs } from '../lib/time';
import type { RunListItem } from '../lib/queries';
import { Sparkline } from './Sparkline';
import { StatusBadge } from './StatusBadge';

interface Row {
  run: RunListItem;
  hp: Map<string, KeyHyperparameter>;
  bestValAccuracy: number | null;
  durationMs: number | null;
}

interface Column {
  key: string;
  label: string;
  numeric?: boolean;
  /** Direction of the first click: metrics read best-first. */
  firstDirection?: SortDirection;
  sortValue: (row: Row) => SortValue;
  render: (row: Row) => ReactNode;
}

const STATUS_ORDER = { RUNNING: 0, QUEUED: 1, FAILED: 2, COMPLETED: 3 } as const;

const hpValue = (label: string) => (row: Row) =>
  row.hp.get(label)?.numeric ?? row.hp.get(label)?.value ?? null;
const hpCell = (label: string) => (row: Row) =>
  row.hp.get(label)?.value ?? <span className="faint">—</span>;

function columns(showProject: boolean): Column[] {
  return [...runColumns(showProject), ...hyperparameterColumns(), ...resultColumns()];
}

/** Status, run name (a link to the run) and, unless fixed, the project. */
function runColumns(showProject: boolean): Column[] {
  return [
    {
      key: 'status',
      label: 'Status',
      sortValue: (r) => STATUS_ORDER[r.run.status],
      render: (r) => <StatusBadge status={r.run.status} />,
    },
    {
      key: 'name',
      label: 'Run',
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
      sortValue: () => null,
      render: (r) => (
        <Sparkline points={r.run.trend[0]?.points ?? []} label={`val_accuracy of ${r.run.name}`} />
      ),
    },
    {
      key: 'best',
      label: 'Best val acc',
      numeric: true,
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

/** Props of {@link RunsTable}. */
export interface RunsTableProps {
  runs: RunListItem[];
  showProject: boolean;
  now: number;
  /** Ids of the selected runs (checkboxes); omit for no selection column. */
  selected?: ReadonlySet<string>;
  onToggle?: (id: string, checked: boolean) => void;
}

/**
 * Sortable runs table. Sorting is kept in the URL (`?sort=best&dir=desc`) and done by the API
 * (`orderBy: { key }`, column keys map to query-language keys such as `best.val_accuracy`);
 * the loaded rows are also ordered client-side by the column for an immediate response. A
 * `?sort=` that is not a column (e.g. `final.loss`) keeps the API's order.
 */
export function RunsTable({ runs, showProject, now, selected, onToggle }: RunsTableProps) {
  const cols = columns(showProject);
  const { sortKey, direction, byApiOnly, sortBy } = useSort(cols);
  const rows: Row[] = runs.map((run) => ({
    run,
    hp: new Map(keyHyperparameters(run.hyperparameters).map((h) => [h.label, h])),
    bestValAccuracy: bestFromSummary(run.summary, 'val_accuracy'),
    durationMs: runDurationMs(run, now),
  }));
  const column = cols.find((c) => c.key === sortKey)!;
  const sorted = byApiOnly ? rows : sortRows(rows, column.sortValue, direction);

  return (
    <div className="table-wrap">
      <table className="data" data-testid="runs-table">
        <thead>
          <tr>
            {onToggle ? <th className="select-col" aria-label="Select" /> : null}
            {cols.map((c) => (
              <SortHeader
                key={c.key}
                column={c}
                active={c.key === sortKey}
                direction={direction}
                onSort={() => sortBy(c)}
              />
            ))}
          </tr>
        </thead>
        <tbody>
          {sorted.map((row) => (
            <tr
              key={row.run.id}
              data-run-id={row.run.id}
              className={selected?.has(row.run.id) ? 'selected' : undefined}
            >
              {onToggle ? (
                <td className="select-col">
                  <input
                    type="checkbox"
                    data-testid="run-select"
                    aria-label={`Select ${row.run.name}`}
                    checked={selected?.has(row.run.id) ?? false}
                    onChange={(e) => onToggle(row.run.id, e.target.checked)}
                  />
                </td>
              ) : null}
              {cols.map((c) => (
                <td
                  key={c.key}
                  className={c.numeric ? 'num' : undefined}
                  suppressHydrationWarning={c.key === 'duration'}
                >
                  {c.render(row)}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
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
  const sortKey = cols.some((c) => c.key === rawSort) ? rawSort! : 'created';
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
    // The API sorts (orderBy key): navigate so the server component fetches in the new order.
    router.push(`${pathname}?${params.toString()}`, { scroll: false });
  }

  return { sortKey, direction, byApiOnly, sortBy };
}

/** A column header: a sort button (with ▲/▼ on the active column), plain text for the trend. */
function SortHeader({
  column: c,
  active,
  direction,
  onSort,
}: {
  column: Column;
  active: boolean;
  direction: SortDirection;
  onSort: () => void;
}) {
  const sortable = c.key !== 'trend';
  return (
    <th
      className={c.numeric ? 'num' : undefined}
      aria-sort={active ? (direction === 'asc' ? 'ascending' : 'descending') : undefined}
    >
      {sortable ? (
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
