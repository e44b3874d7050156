import { describe, expect, it } from 'vitest';
import { canTransition, isFinished, RunStatus, toRunStatus } from './run-status';

describe('run status transitions', () => {
  it('allows only the lifecycle edges', () => {
    const allowed = Object.values(RunStatus).flatMap((from) =>
      Object.values(RunStatus)
        .filter((to) => canTransition(from, to))
        .map((to) => `${from}->${to}`),
    );
    expect(allowed.sort()).toEqual([
      'QUEUED->CANCELLED',
      'QUEUED->FAILED',
      'QUEUED->RUNNING',
      'RUNNING->CANCELLED',
      'RUNNING->COMPLETED',
      'RUNNING->FAILED',
    ]);
  });

  it('counts CANCELLED as finished', () => {
    expect(isFinished(RunStatus.CANCELLED)).toBe(true);
    expect(isFinished(RunStatus.RUNNING)).toBe(false);
  });

  it('reads unknown stored values as FAILED', () => {
    expect(toRunStatus('RUNNING')).toBe(RunStatus.RUNNING);
    expect(toRunStatus('garbage')).toBe(RunStatus.FAILED);
  });
});
