// The run as the service layer hands it to resolvers: JSON columns parsed, status typed.
import { parseJsonColumn } from '../common/json';
import type { RunRow } from './run.repository';
import { toRunStatus, type RunStatus } from './run-status';

/** A run with parsed JSON fields (projectId kept for the Run.project field resolver). */
export interface RunModel {
  id: string;
  projectId: string;
  name: string;
  status: RunStatus;
  hyperparameters: Record<string, unknown>;
  tags: string[];
  notes: string | null;
  modelSummary: unknown;
  datasetInfo: unknown;
  backend: string | null;
  backendReason: string | null;
  clientRequestId: string | null;
  error: string | null;
  createdAt: Date;
  startedAt: Date | null;
  endedAt: Date | null;
  heartbeatAt: Date | null;
  /** When the run was archived (hidden from run lists by default); null while active. */
  archivedAt: Date | null;
  /** Queue priority (higher first). */
  priority: number;
  /** Claims of its training job so far. */
  attempts: number;
  /** cancelRun was asked while RUNNING; the worker stops at its next heartbeat. */
  cancelRequested: boolean;
  /** The experiment file it was queued with; null for runs started by hand. */
  queuedConfig: unknown;
  /** The worker holding (or that last held) its job. */
  workerId: string | null;
  sourceRunId: string | null;
  sweepId: string | null;
}

/** Maps a stored row to a RunModel. */
export function toRunModel(row: RunRow): RunModel {
  return {
    ...row,
    status: toRunStatus(row.status),
    hyperparameters: parseJsonColumn<Record<string, unknown>>(row.hyperparameters, {}),
    tags: parseJsonColumn<string[]>(row.tags, []),
    modelSummary: parseJsonColumn<unknown>(row.modelSummary, null),
    datasetInfo: parseJsonColumn<unknown>(row.datasetInfo, null),
    queuedConfig: parseJsonColumn<unknown>(row.queuedConfig, null),
  };
}
