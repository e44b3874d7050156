// @vitest-environment jsdom
import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  RunActions,
  RunNotesEditor,
  RunTagsEditor,
  RunTitle,
  type RunManagement,
} from './RunActions';

afterEach(cleanup);

/** A management state with spies for every action. */
function state(patch: Partial<RunManagement> = {}): RunManagement {
  return {
    run: { id: 'r1', name: 'baseline-run', tags: ['a', 'b'], notes: null, project: { name: 'p' } },
    canWrite: true,
    archived: false,
    targets: ['other'],
    pending: null,
    errorFor: () => null,
    save: vi.fn(async () => true),
    setArchived: vi.fn(async () => undefined),
    move: vi.fn(async () => undefined),
    remove: vi.fn(async () => undefined),
    ...patch,
  };
}

const notesView = (notes: string) => <p data-testid="run-notes">{notes}</p>;

describe('run management controls', () => {
  it('shows readers the plain title, tags and notes (as text), and no controls', () => {
    const m = state({
      canWrite: false,
      archived: true,
      run: { id: 'r1', name: 'n', tags: ['t'], notes: '<b>bold</b>', project: { name: 'p' } },
    });
    const { container } = render(
      <>
        <RunTitle m={m} />
        <RunTagsEditor m={m} />
        <RunNotesEditor m={m} view={notesView} />
        <RunActions m={m} />
      </>,
    );
    expect(screen.getByTestId('run-name').textContent).toBe('n');
    expect(screen.getByTestId('archived-badge').textContent).toBe('Archived');
    expect(screen.getByTestId('run-notes').textContent).toBe('<b>bold</b>');
    expect(container.querySelector('b')).toBeNull();
    expect(container.querySelectorAll('button, input, textarea, select')).toHaveLength(0);
  });

  it('renames on Enter after a click on the title, and Escape cancels', async () => {
    const m = state();
    render(<RunTitle m={m} />);
    fireEvent.click(screen.getByRole('button', { name: 'baseline-run' }));
    const input = screen.getByTestId<HTMLInputElement>('rename-input');
    expect(input.value).toBe('baseline-run');
    fireEvent.keyDown(input, { key: 'Escape' });
    expect(screen.queryByTestId('rename-input')).toBeNull();
    fireEvent.click(screen.getByTestId('rename-run'));
    fireEvent.change(screen.getByTestId('rename-input'), { target: { value: '  better  ' } });
    fireEvent.submit(screen.getByTestId('rename-input'));
    expect(m.save).toHaveBeenCalledWith('name', { name: 'better' });
  });

  it('adds and removes tags; a tag past the limit is refused before any request', () => {
    const m = state();
    render(<RunTagsEditor m={m} />);
    const input = screen.getByTestId('add-tag-input');
    fireEvent.change(input, { target: { value: ' c ' } });
    fireEvent.submit(input);
    expect(m.save).toHaveBeenLastCalledWith('tags', { tags: ['a', 'b', 'c'] });
    fireEvent.click(screen.getByRole('button', { name: 'Remove tag a' }));
    expect(m.save).toHaveBeenLastCalledWith('tags', { tags: ['b'] });
    fireEvent.change(input, { target: { value: 'x'.repeat(65) } });
    fireEvent.submit(input);
    expect(screen.getByTestId('tags-error').textContent).toMatch(/at most 64 characters/);
    expect(m.save).toHaveBeenCalledTimes(2);
  });

  it('edits notes in a textarea and refuses more than 10,000 characters', () => {
    const m = state();
    render(<RunNotesEditor m={m} view={notesView} />);
    fireEvent.click(screen.getByTestId('edit-notes'));
    const area = screen.getByTestId('notes-input');
    fireEvent.change(area, { target: { value: 'x'.repeat(10_001) } });
    expect(screen.getByTestId<HTMLButtonElement>('save-notes').disabled).toBe(true);
    fireEvent.change(area, { target: { value: '# title' } });
    fireEvent.click(screen.getByTestId('save-notes'));
    expect(m.save).toHaveBeenCalledWith('notes', { notes: '# title' });
  });

  it('moves to a chosen writable project; no move form without targets', () => {
    const m = state({ targets: ['alpha', 'beta'] });
    const { unmount } = render(<RunActions m={m} />);
    const move = screen.getByTestId<HTMLButtonElement>('move-run');
    expect(move.disabled).toBe(true);
    const select = screen.getByTestId<HTMLSelectElement>('move-target');
    expect([...select.options].map((o) => o.value)).toEqual(['', 'alpha', 'beta']);
    fireEvent.change(select, { target: { value: 'beta' } });
    fireEvent.click(move);
    expect(m.move).toHaveBeenCalledWith('beta');
    unmount();
    render(<RunActions m={state({ targets: [] })} />);
    expect(screen.queryByTestId('move-target')).toBeNull();
  });

  it('archives, and deletes only once the run name is typed in the dialog', () => {
    const m = state();
    render(<RunActions m={m} />);
    fireEvent.click(screen.getByTestId('archive-run'));
    expect(m.setArchived).toHaveBeenCalledWith(true);
    fireEvent.click(screen.getByTestId('delete-run'));
    const dialog = screen.getByRole('dialog');
    expect(dialog.textContent).toContain('baseline-run');
    const confirm = screen.getByTestId<HTMLButtonElement>('delete-confirm');
    expect(confirm.disabled).toBe(true);
    fireEvent.change(screen.getByTestId('delete-confirm-input'), {
      target: { value: 'baseline-ru' },
    });
    expect(confirm.disabled).toBe(true);
    fireEvent.submit(confirm);
    expect(m.remove).not.toHaveBeenCalled();
    fireEvent.change(screen.getByTestId('delete-confirm-input'), {
      target: { value: 'baseline-run' },
    });
    expect(confirm.disabled).toBe(false);
    fireEvent.click(confirm);
    expect(m.remove).toHaveBeenCalledTimes(1);
    fireEvent.keyDown(window, { key: 'Escape' });
    expect(screen.queryByRole('dialog')).toBeNull();
  });
});
