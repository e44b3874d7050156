// @vitest-environment jsdom
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { gqlRequest } from '../lib/graphql';
import { navigation } from '../test/next-navigation';
import { AddRunsByQuery } from './AddRunsByQuery';

vi.mock('next/navigation', () => import('../test/next-navigation'));
vi.mock('../lib/graphql', async (importOriginal) => ({
  ...(await importOriginal<typeof import('../lib/graphql')>()),
  gqlRequest: vi.fn(),
}));
const request = vi.mocked(gqlRequest);

const found = (...ids: string[]) => ({ runs: { nodes: ids.map((id) => ({ id })) } });

beforeEach(() => {
  navigation.reset();
  request.mockReset();
});
afterEach(cleanup);

function submit(text: string) {
  const input = screen.getByTestId<HTMLInputElement>('compare-add-query');
  fireEvent.change(input, { target: { value: text } });
  fireEvent.submit(input);
  return input;
}

describe('AddRunsByQuery', () => {
  it('adds the matching runs that are not compared yet to the URL', async () => {
    request.mockResolvedValue(found('a', 'c', 'd'));
    render(<AddRunsByQuery ids={['a', 'b']} />);
    submit('  best.val_accuracy >= 0.8 ');
    await waitFor(() => expect(navigation.pushed).toEqual(['/compare?runs=a,b,c,d']));
    expect(request.mock.calls[0]?.[1]).toEqual({
      filter: { query: 'best.val_accuracy >= 0.8' },
      first: 10,
      orderBy: { by: { field: 'CREATED_AT' }, direction: 'DESC' },
    });
  });

  it('says so when no further run matches', async () => {
    request.mockResolvedValue(found('a'));
    render(<AddRunsByQuery ids={['a']} />);
    submit('name = "a"');
    expect(await screen.findByText('No further runs match this query.')).toBeTruthy();
    expect(navigation.pushed).toEqual([]);
  });

  it('shows the query error and marks the input invalid', async () => {
    request.mockRejectedValue(new Error('Unknown key "bset"'));
    render(<AddRunsByQuery ids={['a']} />);
    const input = submit('bset > 1');
    expect((await screen.findByTestId('compare-add-error')).textContent).toBe('Unknown key "bset"');
    expect(screen.getByRole('alert')).toBeTruthy();
    expect(input.className).toBe('query-input invalid');
    // The input is usable again once the request is over.
    expect(input.disabled).toBe(false);
  });

  it('sends nothing for an empty query', () => {
    render(<AddRunsByQuery ids={['a']} />);
    submit('   ');
    expect(request).not.toHaveBeenCalled();
  });
});
