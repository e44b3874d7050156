// @vitest-environment jsdom
import { cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { RunListItem } from '../lib/queries';
import { navigation } from '../test/next-navigation';
import { RunsTable } from './RunsTable';

vi.mock('next/link', () => import('../test/next-link'));
vi.mock('next/navigation', () => import('../test/next-navigation'));

const NOW = Date.parse('2026-03-01T12:00:00Z');

function run(id: string, best: number, extra: Partial<RunListItem> = {}): RunListItem {
  return {
    id,
    name: `run ${id}`,
    status: 'COMPLETED',
    cancelRequested: false,
    project: { name: 'fmnist' },
    hyperparameters: { lr: 0.001, batchSize: 32, epochs: 5 },
    tags: [],
    createdAt: `2026-03-01T0${id}:00:00Z`,
    startedAt: `2026-03-01T0${id}:00:00Z`,
    endedAt: `2026-03-01T0${id}:10:00Z`,
    durationMs: 600_000,
    summary: [{ name: 'val_accuracy', last: best, lastStep: 4, min: 0.1, max: best, count: 5 }],
    trend: [],
    ...extra,
  };
}

const RUNS = [run('1', 0.8), run('2', 0.9, { status: 'RUNNING' }), run('3', 0.85)];
const names = () => screen.getAllByTestId('run-link').map((a) => a.textContent);

beforeEach(() => {
  navigation.reset();
  navigation.pathname = '/projects/fmnist';
});
afterEach(cleanup);

describe('RunsTable', () => {
  it('lists the runs newest first by default, linking to each run', () => {
    render(<RunsTable runs={RUNS} showProject={false} now={NOW} />);
    expect(names()).toEqual(['run 3', 'run 2', 'run 1']);
    expect(screen.getAllByTestId('run-link')[0]?.getAttribute('href')).toBe('/runs/3');
    const created = screen.getByRole('columnheader', { name: /Created/ });
    expect(created.getAttribute('aria-sort')).toBe('descending');
    // No project column on a project's page; no selection column without onToggle.
    expect(screen.queryByRole('columnheader', { name: /Project/ })).toBeNull();
    expect(screen.queryByTestId('run-select')).toBeNull();
    const row = screen.getAllByRole('row')[2];
    expect(within(row!).getByText('Running').dataset.status).toBe('RUNNING');
    expect(within(row!).getByText('90.00%')).toBeTruthy();
  });

  it('sorts by the column in the URL and pushes the next sort on click', () => {
    navigation.search = new URLSearchParams('sort=best&dir=desc');
    render(<RunsTable runs={RUNS} showProject now={NOW} />);
    expect(names()).toEqual(['run 2', 'run 3', 'run 1']);
    expect(screen.getByRole('columnheader', { name: /Project/ })).toBeTruthy();
    // Clicking the active column flips it; another column starts at its first direction.
    fireEvent.click(screen.getByRole('button', { name: /Best val acc/ }));
    fireEvent.click(screen.getByRole('button', { name: /^Run/ }));
    expect(navigation.pushed).toEqual([
      '/projects/fmnist?sort=best&dir=asc',
      '/projects/fmnist?sort=name&dir=asc',
    ]);
  });

  it("keeps the API's order for a sort key that is not a column", () => {
    navigation.search = new URLSearchParams('sort=final.loss&dir=asc');
    render(<RunsTable runs={RUNS} showProject={false} now={NOW} />);
    expect(names()).toEqual(['run 1', 'run 2', 'run 3']);
  });

  it('marks and reports selected runs', () => {
    const onToggle = vi.fn();
    render(
      <RunsTable
        runs={RUNS}
        showProject={false}
        now={NOW}
        selected={new Set(['2'])}
        onToggle={onToggle}
      />,
    );
    const boxes = screen.getAllByTestId<HTMLInputElement>('run-select');
    expect(boxes.map((b) => b.checked)).toEqual([false, true, false]);
    expect(screen.getAllByRole('row')[2]?.className).toBe('selected');
    fireEvent.click(screen.getByLabelText('Select run 3'));
    expect(onToggle).toHaveBeenCalledWith('3', true);
  });

  it('shows chosen hyperparameter, metric and tags columns, the run name always', () => {
    const runs = [
      run('1', 0.8, { hyperparameters: { optimizer: { name: 'adam' } }, tags: ['base', 'x'] }),
      run('2', 0.9, { hyperparameters: { optimizer: { name: 'sgd' } } }),
    ];
    render(
      <RunsTable
        runs={runs}
        showProject={false}
        now={NOW}
        columns={['hp.optimizer.name', 'final.val_accuracy', 'tags']}
      />,
    );
    const headers = screen.getAllByRole('columnheader').map((h) => h.textContent);
    expect(headers).toEqual(['Run', 'optimizer.name', 'last val_accuracy', 'Tags']);
    const cells = (col: string) =>
      [...document.querySelectorAll(`td[data-col="${col}"]`)].map((c) => c.textContent);
    // No Created column: the rows keep the API's order.
    expect(cells('hp.optimizer.name')).toEqual(['adam', 'sgd']);
    expect(cells('final.val_accuracy')).toEqual(['0.8', '0.9']);
    expect(cells('tags')).toEqual(['basex', '—']);
    // Tags are not a sort key of the API: no sort button.
    expect(screen.queryByRole('button', { name: 'Tags' })).toBeNull();
    expect(screen.getByRole('button', { name: 'optimizer.name' })).toBeTruthy();
  });

  it('offers no sort on a metric whose name the query language needs quoted', () => {
    render(
      <RunsTable
        runs={RUNS}
        showProject={false}
        now={NOW}
        columns={['best.val/acc', 'best.val_accuracy']}
      />,
    );
    expect(screen.queryByRole('button', { name: 'best val/acc' })).toBeNull();
    expect(screen.getByRole('columnheader', { name: 'best val/acc' })).toBeTruthy();
    expect(screen.getByRole('button', { name: 'best val_accuracy' })).toBeTruthy();
  });

  it('groups by a hyperparameter with count and mean/min/max of the sorted metric', () => {
    navigation.search = new URLSearchParams('sort=best&dir=desc');
    const runs = [
      run('1', 0.8, { hyperparameters: { optimizer: 'adam' } }),
      run('2', 0.6, { hyperparameters: { optimizer: 'sgd' } }),
      run('3', 0.9, { hyperparameters: { optimizer: 'adam' } }),
      run('4', 0.5, { hyperparameters: {} }),
    ];
    render(<RunsTable runs={runs} showProject={false} now={NOW} groupBy="hp.optimizer" />);
    const headers = screen.getAllByTestId('group-header').map((h) => h.textContent);
    // adam: 0.9 and 0.8 -> mean 0.85; sgd: 0.6; then the runs without an optimizer.
    expect(headers).toEqual([
      'optimizer = adam2 runsbest val_accuracy: mean 0.85 · min 0.8 · max 0.9',
      'optimizer = sgd1 runbest val_accuracy: mean 0.6 · min 0.6 · max 0.6',
      'optimizer = not set1 runbest val_accuracy: mean 0.5 · min 0.5 · max 0.5',
    ]);
    // Inside a group the rows keep the sort (best first).
    expect(names()).toEqual(['run 3', 'run 1', 'run 2', 'run 4']);
  });

  it('moves a highlight with j/k over the visible rows and opens it with Enter', () => {
    render(<RunsTable runs={RUNS} showProject={false} now={NOW} keyboard />);
    const highlighted = () => document.querySelector('tr.highlighted')?.getAttribute('data-run-id');
    fireEvent.keyDown(document.body, { key: 'j' });
    expect(highlighted()).toBe('3');
    fireEvent.keyDown(document.body, { key: 'j' });
    fireEvent.keyDown(document.body, { key: 'j' });
    fireEvent.keyDown(document.body, { key: 'j' });
    expect(highlighted()).toBe('1');
    fireEvent.keyDown(document.body, { key: 'k' });
    expect(highlighted()).toBe('2');
    fireEvent.keyDown(document.body, { key: 'Enter' });
    expect(navigation.pushed).toEqual(['/runs/2']);
  });

  it('ignores j/k while typing in a field', () => {
    render(
      <>
        <input data-testid="field" />
        <RunsTable runs={RUNS} showProject={false} now={NOW} keyboard />
      </>,
    );
    fireEvent.keyDown(screen.getByTestId('field'), { key: 'j' });
    expect(document.querySelector('tr.highlighted')).toBeNull();
  });

  it('renders an empty body without runs', () => {
    render(<RunsTable runs={[]} showProject={false} now={NOW} />);
    expect(screen.getAllByRole('row')).toHaveLength(1);
  });

  it('shows a cancelled run and a cancel asked, and a row action per run', () => {
    const runs = [
      run('1', 0.8, { status: 'CANCELLED' }),
      run('2', 0.9, { status: 'RUNNING', cancelRequested: true }),
    ];
    render(
      <RunsTable
        runs={runs}
        showProject={false}
        now={NOW}
        rowAction={(r) =>
          r.status === 'RUNNING' ? <button type="button">stop {r.id}</button> : null
        }
      />,
    );
    const status = (id: string) =>
      document.querySelector(`tr[data-run-id="${id}"] [data-col="status"]`)?.textContent;
    expect(status('1')).toBe('Cancelled');
    expect(status('2')).toBe('Cancelling…');
    expect(screen.getByRole('button', { name: 'stop 2' })).toBeTruthy();
    expect(document.querySelectorAll('td.actions-col')).toHaveLength(2);
    expect(screen.getByRole('columnheader', { name: 'Actions' })).toBeTruthy();
  });

  it('leaves the actions column out while no run has an action', () => {
    render(
      <RunsTable
        runs={[run('1', 0.8, { status: 'COMPLETED' })]}
        showProject={false}
        now={NOW}
        rowAction={() => null}
      />,
    );
    expect(document.querySelectorAll('.actions-col')).toHaveLength(0);
  });
});
