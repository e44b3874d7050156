// @vitest-environment jsdom
import { cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import { seriesColor } from '@convscope/viz';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { comparisonFixture } from '../../test/compare-fixture';
import { installResizeObserver } from '../../test/resize-observer';
import { navigation } from '../../test/next-navigation';
import { CompareView } from './CompareView';

vi.mock('next/link', () => import('../../test/next-link'));
vi.mock('next/navigation', () => import('../../test/next-navigation'));

beforeAll(installResizeObserver);
afterEach(cleanup);

describe('CompareView', () => {
  it('heads each run with its colour, project, status and a remove link', () => {
    render(<CompareView comparison={comparisonFixture()} />);
    const cards = [...screen.getByTestId('compare-runs').querySelectorAll('.compare-run')];
    expect(cards.map((c) => c.getAttribute('data-run-id'))).toEqual(['r1', 'r2', 'r3']);
    expect(within(cards[0] as HTMLElement).getByTestId('baseline-badge').textContent).toBe(
      'baseline',
    );
    expect(within(cards[1] as HTMLElement).queryByTestId('baseline-badge')).toBeNull();
    expect((cards[1] as HTMLElement).style.borderTopColor).not.toBe('');
    expect(screen.getByLabelText('Remove wider').getAttribute('href')).toBe('/compare?runs=r1,r3');
    expect(
      within(cards[2] as HTMLElement)
        .getByText('fmnist')
        .getAttribute('href'),
    ).toBe('/projects/fmnist');
  });

  it('has no remove link for a single run, and no sections without their data', () => {
    const one = {
      ...comparisonFixture(),
      runs: comparisonFixture().runs.slice(0, 1),
      metrics: [],
      perClass: [],
      topK: [],
      hyperparameters: [],
    };
    render(<CompareView comparison={one} />);
    expect(screen.queryByLabelText(/^Remove/)).toBeNull();
    for (const id of ['compare-curves', 'compare-topk', 'compare-class-tiles'])
      expect(screen.queryByTestId(id)).toBeNull();
    expect(within(screen.getByTestId('hp-diff')).getByTestId('empty-state').textContent).toBe(
      'No differencesEvery hyperparameter is the same in these runs.',
    );
  });

  it('charts loss with its validation pair, not single-point metrics', () => {
    render(<CompareView comparison={comparisonFixture()} />);
    const curves = screen.getByTestId('compare-curves');
    expect([...curves.querySelectorAll('section')].map((s) => s.dataset.testid)).toEqual([
      'compare-curve-loss',
    ]);
    expect(within(curves).getByRole('heading').textContent).toBe('Loss');
    expect(curves.querySelector('.run-legend')?.textContent).toBe(
      'baselinewidertiny training  validation',
    );
  });

  it("writes each run's top-1 accuracy and leaves out runs without an evaluation", () => {
    render(<CompareView comparison={comparisonFixture()} />);
    const topK = screen.getByTestId('compare-topk');
    expect(topK.querySelector('.meta')?.textContent).toBe(
      'baseline: top-1 81.0% · tiny: top-1 50.0%',
    );
    expect([...topK.querySelectorAll('.run-legend-item')].map((e) => e.textContent)).toEqual([
      'baseline',
      'tiny',
    ]);
  });

  it('shows per-class values with deltas against the baseline, toned', () => {
    render(<CompareView comparison={comparisonFixture()} />);
    const tiles = screen.getAllByTestId('class-tile');
    expect(tiles.map((t) => t.dataset.runId)).toEqual(['r1', 'r2', 'r3']);
    const cells = (tile: HTMLElement) =>
      [...tile.querySelectorAll('td.class-cell')].map((td) => td.textContent);
    // The baseline has no deltas but keeps their line height.
    expect(cells(tiles[0]!)).toEqual(['0.900\u00a0', '0.800\u00a0', '0.850\u00a0']);
    expect(within(tiles[0]!).queryByTestId('class-delta')).toBeNull();
    const deltas = within(tiles[2]!).getAllByTestId('class-delta');
    expect(deltas.map((d) => [d.dataset.delta, d.className])).toEqual([
      ['-0.2', 'delta worse'],
      ['-0.25', 'delta worse'],
    ]);
    expect(cells(tiles[2]!)[1]).toBe('—\u00a0');
    const better = within(tiles[1]!).getAllByTestId('class-delta');
    expect(better[0]?.className).toBe('delta better');
    expect((tiles[1]!.querySelector('.swatch') as HTMLElement).style.background).toBe(
      hexToRgb(seriesColor(1)),
    );
  });

  it('measures deltas against the baseline chosen in the selector, and puts it in the URL', () => {
    window.history.replaceState(null, '', '/compare?runs=r1,r2,r3');
    render(<CompareView comparison={comparisonFixture()} />);
    const select = screen.getByTestId<HTMLSelectElement>('baseline-select');
    expect(select.value).toBe('r1');
    expect([...select.options].map((o) => o.textContent)).toEqual(['baseline', 'wider', 'tiny']);
    fireEvent.change(select, { target: { value: 'r2' } });

    expect(window.location.search).toBe('?runs=r1,r2,r3&baseline=r2');
    const cards = [...screen.getByTestId('compare-runs').querySelectorAll('.compare-run')];
    expect(cards.map((c) => c.getAttribute('data-baseline'))).toEqual(['false', 'true', 'false']);
    expect(screen.getByTestId('class-tiles-baseline').textContent).toBe('wider');
    const tiles = screen.getAllByTestId('class-tile');
    expect(within(tiles[1]!).queryByTestId('class-delta')).toBeNull();
    // r1 against r2: precision 0.90 − 0.95, recall equal, F1 0.85 − 0.87.
    const deltas = within(tiles[0]!).getAllByTestId('class-delta');
    expect(deltas.map((d) => [d.dataset.delta, d.textContent, d.className])).toEqual([
      ['-0.05', '−0.050', 'delta worse'],
      ['0', '±0.000', 'delta same'],
      ['-0.02', '−0.020', 'delta worse'],
    ]);
    // Hyperparameter values are marked against r2 now: r1's learning rate differs, its batch size not.
    const diff = screen.getByTestId('hp-diff');
    const marks = (key: string) =>
      [...(diff.querySelector(`tr[data-key="${key}"]`)?.querySelectorAll('td.hp-value') ?? [])].map(
        (td) => td.getAttribute('data-vs-baseline'),
      );
    expect(marks('learningRate')).toEqual(['differs', null, 'differs']);
    expect(marks('batchSize')).toEqual([null, null, 'differs']);
    // Removing another run keeps the baseline; removing the baseline drops it.
    expect(screen.getByLabelText('Remove tiny').getAttribute('href')).toBe(
      '/compare?runs=r1,r2&baseline=r2',
    );
    expect(screen.getByLabelText('Remove wider').getAttribute('href')).toBe('/compare?runs=r1,r3');
    window.history.replaceState(null, '', '/');
  });

  it('starts from the baseline in the URL', () => {
    navigation.search = new URLSearchParams('runs=r1,r2,r3&baseline=r3');
    render(<CompareView comparison={comparisonFixture()} />);
    expect(screen.getByTestId<HTMLSelectElement>('baseline-select').value).toBe('r3');
    expect(screen.getByTestId('compare').dataset.baseline).toBe('r3');
    navigation.reset();
  });

  it('shows the hyperparameters that differ, all of them on request', () => {
    render(<CompareView comparison={comparisonFixture()} />);
    const diff = screen.getByTestId('hp-diff');
    const keys = () =>
      [...diff.querySelectorAll('tbody tr')].map((r) => r.getAttribute('data-key'));
    expect(keys()).toEqual(['batchSize', 'learningRate', 'optimizer', 'notes']);
    expect(within(diff).getByText(/Show all \(1 equal\)/)).toBeTruthy();
    const notes = diff.querySelector('tr[data-key="notes"]');
    expect([...(notes?.querySelectorAll('td') ?? [])].map((td) => td.textContent)).toEqual([
      'notes',
      'x',
      '—',
      '—',
    ]);
    fireEvent.click(screen.getByTestId('hp-show-all'));
    expect(keys()).toEqual(['batchSize', 'learningRate', 'optimizer', 'seed', 'notes']);
    expect(diff.querySelector('tr[data-key="seed"]')?.className).toBe('');
  });

  it('plots hyperparameters against the chosen metric', () => {
    render(<CompareView comparison={comparisonFixture()} />);
    const select = screen.getByTestId<HTMLSelectElement>('pc-metric');
    expect(select.value).toBe('best.val_accuracy');
    const options = [...select.options].map((o) => o.value);
    expect(options).toContain('best.val_loss');
    fireEvent.change(select, { target: { value: 'best.val_loss' } });
    expect(select.value).toBe('best.val_loss');
  });
});

/** The `rgb(r, g, b)` jsdom reports for a `#rrggbb` style. */
function hexToRgb(hex: string): string {
  const n = parseInt(hex.slice(1), 16);
  return `rgb(${n >> 16}, ${(n >> 8) & 255}, ${n & 255})`;
}
