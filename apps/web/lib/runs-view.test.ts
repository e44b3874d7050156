import { describe, expect, it } from 'vitest';
import { parseViewState, toSavedState, viewFromParams, viewSearch } from './runs-view';

describe('runs view state', () => {
  it('round-trips through the URL', () => {
    const view = {
      query: 'hp.lr < 0.01',
      status: 'COMPLETED' as const,
      columns: ['status', 'name', 'hp.optimizer.name', 'best.val_accuracy'],
      sort: { key: 'best', dir: 'desc' as const },
      groupBy: 'hp.optimizer.name',
    };
    const search = viewSearch(view, 'sweep');
    const params = new URLSearchParams(search);
    expect(params.get('view')).toBe('sweep');
    expect(viewFromParams(params)).toEqual(view);
  });

  it('reads an empty URL as no view, and sort defaults its direction', () => {
    expect(viewFromParams(new URLSearchParams(''))).toEqual({
      query: null,
      status: null,
      columns: [],
      sort: null,
      groupBy: null,
    });
    expect(viewFromParams(new URLSearchParams('sort=created')).sort).toEqual({
      key: 'created',
      dir: 'desc',
    });
    expect(viewFromParams(new URLSearchParams('sort=lr&status=bogus')).sort?.dir).toBe('asc');
    expect(viewFromParams(new URLSearchParams('status=bogus')).status).toBeNull();
  });

  it('reads saved state tolerantly and writes what the API accepts', () => {
    expect(
      parseViewState({
        query: 'x',
        columns: ['a', 3, ''],
        sort: { key: 'b', dir: 'up' },
        groupBy: '',
      }),
    ).toEqual({ query: 'x', status: null, columns: ['a'], sort: null, groupBy: null });
    expect(parseViewState('nonsense').columns).toEqual([]);
    const state = toSavedState(parseViewState({ sort: { key: 'best', dir: 'desc' } }));
    expect(Object.keys(state).sort()).toEqual(['columns', 'groupBy', 'query', 'sort', 'status']);
    expect(state.sort).toEqual({ key: 'best', dir: 'desc' });
  });
});
