import { describe, expect, it } from 'vitest';
import { canTransition, RunStatus, toRunStatus } from './run-status';

describe('run status transitions', () => {
  it('allows only the lifecycle edges', () => {
    const allowed = Object.values(RunStatus).flatMap((from) =>
      Object.values(RunStatus)
        .filter((to) => canTransition(from, to))
        .map((to) => `${from}->${to}`),
    );
    expect(allowed.sort()).toEqual([
      'QUEUED->FAILED',
      'QUEUED->RUNNING',
      'RUNNING->COMPLETED',
      'RUNNING->FAILED',
    ]);
  });

  it('reads unknown stored values as FAILED', () => {
    expect(toRunStatus('RUNNING')).toBe(RunStatus.RUNNING);
    expect(toRunStatus('garbage')).toBe(RunStatus.FAILED);
  });
});
