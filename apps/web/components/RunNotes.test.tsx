// @vitest-environment jsdom
import { cleanup, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { NOTES_FOLD_CHARS, RunNotes } from './RunNotes';

afterEach(cleanup);

describe('RunNotes', () => {
  it('shows short one-line notes as they are', () => {
    render(<RunNotes notes="Baseline with Adam." />);
    const notes = screen.getByTestId('run-notes');
    expect(notes.tagName).toBe('P');
    expect(notes.textContent).toBe('Baseline with Adam.');
  });

  it('folds long notes behind a closed summary of their first 80 characters', () => {
    const long = `${'a'.repeat(100)} ${'b'.repeat(NOTES_FOLD_CHARS)}`;
    render(<RunNotes notes={long} />);
    const notes = screen.getByTestId<HTMLDetailsElement>('run-notes');
    expect(notes.tagName).toBe('DETAILS');
    expect(notes.open).toBe(false);
    expect(notes.querySelector('summary')?.textContent).toBe(`Notes ${'a'.repeat(80)}…`);
    expect(notes.querySelector('.fold-body')?.textContent).toBe(long);
  });

  it('folds short notes of several lines, teasing the first line', () => {
    render(<RunNotes notes={'Tried cutout.\nWorse on Shirt.'} />);
    const notes = screen.getByTestId<HTMLDetailsElement>('run-notes');
    expect(notes.open).toBe(false);
    expect(notes.querySelector('summary')?.textContent).toBe('Notes Tried cutout. …');
  });

  it('keeps notes of exactly the limit on one line', () => {
    render(<RunNotes notes={'x'.repeat(NOTES_FOLD_CHARS)} />);
    expect(screen.getByTestId('run-notes').tagName).toBe('P');
  });
});
