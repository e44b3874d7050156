// @vitest-environment jsdom
import { emptyNewRunForm } from '@convscope/schemas';
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { navigation } from '../../test/next-navigation';
import { NewRunForm } from './NewRunForm';

vi.mock('next/navigation', () => import('../../test/next-navigation'));

const PRESETS = [
  { name: 'fmnist-cnn', description: 'Fashion-MNIST CNN', inputShape: [28, 28, 1], classes: 10 },
];
const PROJECTS = [
  { id: 'p1', name: 'alpha' },
  { id: 'p2', name: 'beta' },
];

/** Answers every GraphQL request with a queued run and records the requests. */
function fakeApi() {
  const bodies: { query: string; variables: { input: Record<string, unknown> } }[] = [];
  const fetchMock = vi.fn(async (_url: string, init: RequestInit) => {
    bodies.push(JSON.parse(String(init.body)) as (typeof bodies)[number]);
    return new Response(
      JSON.stringify({ data: { queueRun: { id: 'run-9', name: 'x', status: 'QUEUED' } } }),
      { headers: { 'content-type': 'application/json' } },
    );
  });
  vi.stubGlobal('fetch', fetchMock);
  return { bodies, fetchMock };
}

function renderForm(sourceRunId?: string) {
  return render(
    <NewRunForm
      projects={PROJECTS}
      project="beta"
      presets={PRESETS}
      initial={emptyNewRunForm('fmnist-cnn')}
      sourceRunId={sourceRunId}
    />,
  );
}

const type = (testId: string, value: string) =>
  fireEvent.change(screen.getByTestId(testId), { target: { value } });

beforeEach(() => navigation.reset());
afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

describe('NewRunForm', () => {
  it('shows a wrong field’s error under it, naming it, and sends nothing', () => {
    const { fetchMock } = fakeApi();
    renderForm();
    type('new-run-epochs', '0');
    type('new-run-learning-rate', 'fast');
    fireEvent.submit(screen.getByTestId('new-run-form'));
    expect(screen.getByTestId('error-epochs').textContent).toBe(
      'Epochs: expected an integer from 1 to 10,000, got 0',
    );
    expect(screen.getByTestId('error-learning-rate').textContent).toMatch(/^Learning rate: /);
    expect(screen.getByTestId('new-run-epochs').getAttribute('aria-invalid')).toBe('true');
    expect(fetchMock).not.toHaveBeenCalled();
    // Editing the field clears its complaint.
    type('new-run-epochs', '2');
    expect(screen.queryByTestId('error-epochs')).toBeNull();
  });

  it('reports a YAML syntax error of the config box at the box', () => {
    const { fetchMock } = fakeApi();
    renderForm();
    type('new-run-config', 'training: [1, 2');
    fireEvent.submit(screen.getByTestId('new-run-form'));
    expect(screen.getByTestId('error-configText').textContent).toMatch(
      /^Config: not valid YAML or JSON \(line 1, column \d+\)/,
    );
    expect(fetchMock).not.toHaveBeenCalled();
  });

  it('queues the run in the chosen project and opens its page', async () => {
    const { bodies } = fakeApi();
    renderForm('src-1');
    type('new-run-epochs', '3');
    type('new-run-tags', 'queued, e2e');
    type('new-run-config', 'training:\n  seed: 7\n');
    fireEvent.change(screen.getByTestId('new-run-project'), { target: { value: 'alpha' } });
    fireEvent.submit(screen.getByTestId('new-run-form'));
    await waitFor(() => expect(navigation.pushed).toEqual(['/runs/run-9']));
    expect(bodies).toHaveLength(1);
    expect(bodies[0]?.query).toContain('queueRun');
    expect(bodies[0]?.variables.input).toEqual({
      projectId: 'p1',
      config: {
        preset: 'fmnist-cnn',
        data: { source: 'fashion-mnist' },
        training: { seed: 7, epochs: 3 },
      },
      tags: ['queued', 'e2e'],
      priority: 0,
      sourceRunId: 'src-1',
    });
  });
});
