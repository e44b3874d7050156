// Run states and the transitions allowed between them. Decorator-free so services can use it.

/** Lifecycle state of a run. */
export enum RunStatus {
  QUEUED = 'QUEUED',
  RUNNING = 'RUNNING',
  COMPLETED = 'COMPLETED',
  FAILED = 'FAILED',
  /** Stopped on request (cancelRun): from QUEUED at once, from RUNNING once its worker stopped. */
  CANCELLED = 'CANCELLED',
}

/** The states finishRun may set. */
export enum FinalRunStatus {
  COMPLETED = 'COMPLETED',
  FAILED = 'FAILED',
}

/**
 * Allowed transitions. A run never leaves COMPLETED/FAILED/CANCELLED; a queued run may fail or
 * be cancelled but cannot complete without having started. (The queue's retry of a job whose
 * worker died puts its RUNNING run back to QUEUED itself, in one guarded update.)
 */
const transitions: Record<RunStatus, readonly RunStatus[]> = {
  [RunStatus.QUEUED]: [RunStatus.RUNNING, RunStatus.FAILED, RunStatus.CANCELLED],
  [RunStatus.RUNNING]: [RunStatus.COMPLETED, RunStatus.FAILED, RunStatus.CANCELLED],
  [RunStatus.COMPLETED]: [],
  [RunStatus.FAILED]: [],
  [RunStatus.CANCELLED]: [],
};

/** True if a run in state `from` may move to `to`. */
export function canTransition(from: RunStatus, to: RunStatus): boolean {
  return transitions[from].includes(to);
}

/**
 * True once a run is COMPLETED, FAILED or CANCELLED: its training record (metric points, heartbeats,
 * existing artifacts) no longer changes; notes, tags and post-hoc results may still be added.
 */
export function isFinished(status: RunStatus | string): boolean {
  return (
    status === RunStatus.COMPLETED || status === RunStatus.FAILED || status === RunStatus.CANCELLED
  );
}

/** Parses a stored status string (SQLite has no enums). */
export function toRunStatus(value: string): RunStatus {
  return (Object.values(RunStatus) as string[]).includes(value)
    ? (value as RunStatus)
    : RunStatus.FAILED;
}
