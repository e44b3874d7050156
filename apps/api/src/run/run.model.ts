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
  };
}
