// Run management use cases: edit (name, tags, notes), archive/unarchive, delete (with the
// artifact store's garbage collection) and move to another project. Permission checks are the
// resolver's (editor role on the run's project; for a move, on the target too).
import type { ArtifactService } from '../artifact/artifact.service';
import { apiError, ErrorCode, isUniqueViolation, notFound } from '../common/errors';
import { systemClock, type Clock } from '../common/clock';
import type { ProjectRepository, ProjectRow } from '../project/project.repository';
import type { RunEdit } from './run-management.input';
import { toRunModel, type RunModel } from './run.model';
import type { RunRepository } from './run.repository';
import type { RunService } from './run.service';
import { RunStatus } from './run-status';

/** What {@link RunManagementService.delete} removed. */
export interface DeletedRunModel {
  id: string;
  projectName: string;
  artifactsDeleted: number;
  blobsRemoved: number;
}

/**
 * Statuses deleteRun refuses: a RUNNING run still has a worker writing to it (its writes would
 * fail with NOT_FOUND mid-training). A lost worker's run is failed by the heartbeat reaper after
 * RUN_HEARTBEAT_TIMEOUT_S and can then be deleted.
 */
export const UNDELETABLE_STATUSES: readonly RunStatus[] = [RunStatus.RUNNING];

/** Run management business logic. */
export class RunManagementService {
  private readonly clock: Clock;

  constructor(
    private readonly runs: RunRepository,
    private readonly runService: RunService,
    private readonly projects: ProjectRepository,
    private readonly artifacts: ArtifactService,
    options: { clock?: Clock } = {},
  ) {
    this.clock = options.clock ?? systemClock;
  }

  /** Writes a checked edit (name, tags, notes); an empty edit returns the run unchanged. */
  async update(id: string, edit: RunEdit): Promise<RunModel> {
    const run = await this.runService.get(id);
    if (Object.keys(edit).length === 0) return run;
    return toRunModel(await this.runs.update(run.id, edit));
  }

  /** Archives the run (hidden from run lists by default); archiving again keeps the first time. */
  async archive(id: string): Promise<RunModel> {
    const run = await this.runService.get(id);
    await this.runs.setArchived(run.id, new Date(this.clock.now()));
    return this.runService.get(id);
  }

  /** Makes an archived run active again (a no-op for an active run). */
  async unarchive(id: string): Promise<RunModel> {
    const run = await this.runService.get(id);
    await this.runs.setArchived(run.id, null);
    return this.runService.get(id);
  }

  /**
   * Deletes the run and everything of it, then removes from the artifact store the blobs no
   * other artifact or explanation job references (content-addressed: a file another run also
   * stored stays). A blob added to the run between the listing and the delete stays on disk
   * unreferenced (never a missing file; only bytes).
   * @throws NOT_FOUND; INVALID_STATE for a RUNNING run
   */
  async delete(id: string): Promise<DeletedRunModel> {
    const run = await this.runService.get(id);
    if (UNDELETABLE_STATUSES.includes(run.status)) throw this.running(run);
    const project = await this.projectOf(run.projectId);
    const blobs = await this.artifacts.blobsOfRun(run.id);
    if (!(await this.runs.deleteUnlessStatus(run.id, UNDELETABLE_STATUSES))) {
      const now = await this.runService.find(run.id);
      if (!now) throw notFound('Run', id); // deleted by a concurrent request
      throw this.running(now);
    }
    const blobsRemoved = await this.artifacts.collectGarbage(blobs.sha256s);
    return {
      id: run.id,
      projectName: project.name,
      artifactsDeleted: blobs.artifacts,
      blobsRemoved,
    };
  }

  /**
   * Moves the run to `target` (already checked by the resolver). Its idempotency key moves with
   * it unless the target holds a run with the same key (then it is dropped: keys are unique
   * per project). Moving to its own project is a no-op.
   */
  async move(id: string, target: ProjectRow): Promise<RunModel> {
    const run = await this.runService.get(id);
    if (run.projectId === target.id) return run;
    try {
      return toRunModel(
        await this.runs.moveToProject(run.id, target.id, { clearClientRequestId: false }),
      );
    } catch (err) {
      if (!isUniqueViolation(err)) throw err;
      return toRunModel(
        await this.runs.moveToProject(run.id, target.id, { clearClientRequestId: true }),
      );
    }
  }

  private async projectOf(projectId: string): Promise<ProjectRow> {
    const [project] = await this.projects.findByIds([projectId]);
    if (!project) throw notFound('Project', projectId);
    return project;
  }

  private running(run: RunModel) {
    return apiError(
      ErrorCode.INVALID_STATE,
      `Run ${run.id} is ${run.status}: a running run cannot be deleted. Finish it (finishRun) first; ` +
        'a run whose worker is lost is failed by the heartbeat reaper (RUN_HEARTBEAT_TIMEOUT_S) and can then be deleted.',
      { id: run.id, status: run.status },
    );
  }
}
