// Thin GraphQL layer of queued work: queueRun, cancelRun, presets, workers and the worker
// protocol (registerWorker, claimJob, heartbeatWorker, startQueuedRun, completeJob, failJob,
// acknowledgeCancel). Each asks the AccessGuard, then delegates to RunQueueService / WorkerService.
import DataLoader from 'dataloader';
import { PRESET_INFO } from '@convscope/schemas';
import {
  Arg,
  Args,
  Ctx,
  FieldResolver,
  ID,
  Int,
  Mutation,
  Query,
  Resolver,
  Root,
} from 'type-graphql';
import { forbidden } from '../common/errors';
import {
  ConnectionArgs,
  encodeKeyset,
  pageRequest,
  toConnection,
  type ConnectionPage,
} from '../common/connection';
import type { ApiContext } from '../common/context';
import type { RunModel } from '../run/run.model';
import { Run } from '../run/run.type';
import { checkQueueRun } from './queue.checks';
import { QueueRunInput, RegisterWorkerInput } from './queue.input';
import {
  ClaimedJob,
  JobKindEnum,
  PresetInfo,
  Worker,
  WorkerConnection,
  WorkerHeartbeat,
} from './queue.type';
import type { ClaimedJobModel, WorkerModel } from './worker.service';

const WORKER_PAGES = { kind: 'worker:lastSeenAt', defaultSize: 50, maxSize: 100 };

const workerLoaders = new WeakMap<ApiContext, DataLoader<string, WorkerModel | null>>();
const currentRunLoaders = new WeakMap<ApiContext, DataLoader<string, RunModel[]>>();

function workerLoader(ctx: ApiContext): DataLoader<string, WorkerModel | null> {
  let loader = workerLoaders.get(ctx);
  if (!loader) {
    loader = new DataLoader((ids) => ctx.services.workers.byIds(ids));
    workerLoaders.set(ctx, loader);
  }
  return loader;
}

/** Runs of the jobs each worker holds, only those the caller may read. */
function currentRunLoader(ctx: ApiContext): DataLoader<string, RunModel[]> {
  let loader = currentRunLoaders.get(ctx);
  if (!loader) {
    loader = new DataLoader(async (workerIds) => {
      const jobs = await ctx.services.workers.activeJobs(workerIds);
      const readable = await ctx.guard.readableProjectIds();
      const allowed = (projectId: string) => readable === null || readable.includes(projectId);
      const runIds = [...jobs.values()].flat().filter((j) => j.runId && allowed(j.projectId));
      const runs = await Promise.all(runIds.map((j) => ctx.services.run.find(j.runId ?? '')));
      const byId = new Map(runs.filter((r): r is RunModel => r !== null).map((r) => [r.id, r]));
      return workerIds.map((id) =>
        (jobs.get(id) ?? []).flatMap((j) => {
          const run = j.runId ? byId.get(j.runId) : undefined;
          return run ? [run] : [];
        }),
      );
    });
    currentRunLoaders.set(ctx, loader);
  }
  return loader;
}

/** Queue mutations, the preset list, workers and the worker protocol. */
@Resolver()
export class QueueResolver {
  @Mutation(() => Run, {
    description:
      'Queues a training run (editor role on the project): returns the run QUEUED; a worker trains it. Bad config or overrides fail with BAD_USER_INPUT naming the field (nothing is stored).',
  })
  async queueRun(
    @Arg('input', () => QueueRunInput, { description: 'The run to queue.' }) input: QueueRunInput,
    @Ctx() ctx: ApiContext,
  ): Promise<RunModel> {
    const checked = checkQueueRun(input); // refuses a client's sweepId too
    return ctx.services.queue.queueChecked(ctx.guard, checked);
  }

  @Mutation(() => Run, {
    description:
      'Cancels a run (editor role): QUEUED -> CANCELLED at once; RUNNING -> cancelRequested, its worker stops at its next heartbeat and the run ends CANCELLED. A finished run fails with INVALID_STATE.',
  })
  cancelRun(
    @Arg('id', () => ID, { description: 'The run id.' }) id: string,
    @Ctx() ctx: ApiContext,
  ): Promise<RunModel> {
    return ctx.services.queue.cancelRun(ctx.guard, id);
  }

  @Query(() => [PresetInfo], { description: 'The model presets a run may be queued with.' })
  presets(@Ctx() ctx: ApiContext): PresetInfo[] {
    ctx.guard.allowAnyone();
    return PRESET_INFO.map((p) => ({ ...p, inputShape: [...p.inputShape] }));
  }

  @Query(() => WorkerConnection, {
    description:
      'Workers, newest contact first (Relay connection; first/last 0-100, default 50). Any signed-in user with a role in some project; server admins see all.',
  })
  async workers(
    @Args(() => ConnectionArgs) args: ConnectionArgs,
    @Ctx() ctx: ApiContext,
  ): Promise<ConnectionPage<WorkerModel>> {
    const user = ctx.guard.requireUser();
    if (!user.isAdmin) {
      const ids = await ctx.guard.projectIdsWith('viewer');
      if (ids !== null && ids.length === 0)
        throw forbidden('Workers are shown to members of a project');
    }
    const request = pageRequest(args, WORKER_PAGES);
    const [at, id] = request.key ?? [];
    const after =
      typeof at === 'number' && typeof id === 'string' ? { lastSeenAt: new Date(at), id } : null;
    const { rows, active } = await ctx.services.workers.page(
      request.direction,
      request.size,
      after,
    );
    const models = rows.map((r) => ctx.services.workers.toModel(r, active.get(r.id)?.length ?? 0));
    return toConnection(models, request, (w) =>
      encodeKeyset(WORKER_PAGES.kind, [w.lastSeenAt.getTime(), w.id]),
    );
  }

  @Mutation(() => Worker, {
    description:
      "Registers a worker for the calling API key's user (`npm run worker`); it claims jobs of the projects where that user is at least editor.",
  })
  registerWorker(
    @Arg('input', () => RegisterWorkerInput, { description: 'The worker.' })
    input: RegisterWorkerInput,
    @Ctx() ctx: ApiContext,
  ): Promise<WorkerModel> {
    return ctx.services.workers.register(ctx.guard, input);
  }

  @Mutation(() => ClaimedJob, {
    nullable: true,
    description:
      'Hands the best job this worker may run to it (higher priority first, then oldest; its capabilities and projects decide), with a lease; null when nothing fits. With waitSeconds, waits for a job to be queued (on any API instance) up to that long: null at the deadline, when the worker sends a newer waiting claim, or when the server closes.',
  })
  claimJob(
    @Arg('workerId', () => ID, { description: 'The worker (registered by the caller).' })
    workerId: string,
    @Arg('kinds', () => [JobKindEnum], {
      nullable: true,
      description: "Only these kinds (default: the worker's).",
    })
    kinds: JobKindEnum[] | null | undefined,
    @Arg('waitSeconds', () => Int, {
      nullable: true,
      description:
        'Long-poll: seconds (0-25, default 0) to wait for a fitting job when none is queued now; out of range: BAD_USER_INPUT. One waiting claim per worker (a newer one ends the older with null).',
    })
    waitSeconds: number | null | undefined,
    @Ctx() ctx: ApiContext,
  ): Promise<ClaimedJobModel | null> {
    return ctx.services.workers.claim(ctx.guard, workerId, kinds ?? null, {
      waitSeconds,
      signal: ctx.signal,
    });
  }

  @Mutation(() => WorkerHeartbeat, {
    description:
      'Extends the leases of the jobs this worker holds and names those to stop. A job it no longer holds (lease taken over) fails the call with INVALID_STATE, extensions.reason LEASE_LOST, naming it.',
  })
  heartbeatWorker(
    @Arg('workerId', () => ID, { description: 'The worker.' }) workerId: string,
    @Arg('jobIds', () => [ID], { description: 'The jobs it is running (at most 256).' })
    jobIds: string[],
    @Ctx() ctx: ApiContext,
  ): Promise<{ cancelJobIds: string[]; leaseExpiresAt: Date }> {
    return ctx.services.workers.heartbeat(ctx.guard, workerId, jobIds);
  }

  @Mutation(() => Run, {
    description:
      'QUEUED -> RUNNING for the run of a TRAIN job this worker holds (a retry takes over the run of a lost worker); then log metrics and artifacts with the usual mutations.',
  })
  startQueuedRun(
    @Arg('runId', () => ID, { description: 'The run of the claimed job.' }) runId: string,
    @Arg('workerId', () => ID, { description: 'The worker holding its job.' }) workerId: string,
    @Arg('backend', () => String, {
      nullable: true,
      description: "Compute backend (default: the worker's).",
    })
    backend: string | null | undefined,
    @Arg('backendReason', () => String, { nullable: true, description: 'Why that backend.' })
    backendReason: string | null | undefined,
    @Ctx() ctx: ApiContext,
    @Arg('attempt', () => Int, {
      nullable: true,
      description:
        "The job attempt claimJob answered: unless the run's job is ACTIVE for this worker in that attempt, INVALID_STATE with reason LEASE_LOST and the run is left to its holder. " +
        'Omitted: the attempt holding the job now.',
    })
    attempt?: number | null,
  ): Promise<RunModel> {
    return ctx.services.workers.startQueuedRun(ctx.guard, {
      runId,
      workerId,
      backend,
      backendReason,
      attempt,
    });
  }

  @Mutation(() => Boolean, {
    description:
      'The job is done; its run ends COMPLETED unless finishRun already ended it. LEASE_LOST when no longer held.',
  })
  completeJob(
    @Arg('workerId', () => ID, { description: 'The worker.' }) workerId: string,
    @Arg('jobId', () => ID, { description: 'The job.' }) jobId: string,
    @Ctx() ctx: ApiContext,
  ): Promise<boolean> {
    return ctx.services.workers.complete(ctx.guard, workerId, jobId);
  }

  @Mutation(() => Boolean, {
    description:
      'The attempt failed: with retryable (default false) and attempts left the job is retried on a worker, else its run ends FAILED with the error.',
  })
  failJob(
    @Arg('workerId', () => ID, { description: 'The worker.' }) workerId: string,
    @Arg('jobId', () => ID, { description: 'The job.' }) jobId: string,
    @Arg('error', () => String, { description: 'What went wrong (at most 64 KiB).' }) error: string,
    @Arg('retryable', () => Boolean, {
      nullable: true,
      description: 'Whether another worker may try again.',
    })
    retryable: boolean | null | undefined,
    @Ctx() ctx: ApiContext,
  ): Promise<boolean> {
    return ctx.services.workers.fail(ctx.guard, workerId, jobId, error, retryable);
  }

  @Mutation(() => Boolean, {
    description:
      'The worker stopped a job named in cancelJobIds: the job and its run end CANCELLED.',
  })
  acknowledgeCancel(
    @Arg('workerId', () => ID, { description: 'The worker.' }) workerId: string,
    @Arg('jobId', () => ID, { description: 'The job.' }) jobId: string,
    @Ctx() ctx: ApiContext,
  ): Promise<boolean> {
    return ctx.services.workers.acknowledgeCancel(ctx.guard, workerId, jobId);
  }
}

/** Run.worker. */
@Resolver(() => Run)
export class RunWorkerFieldResolver {
  @FieldResolver(() => Worker, {
    nullable: true,
    description:
      'The worker holding the run (RUNNING) or that last held it; null for runs started by hand.',
  })
  worker(@Root() run: RunModel, @Ctx() ctx: ApiContext): Promise<WorkerModel | null> | null {
    return run.workerId ? workerLoader(ctx).load(run.workerId) : null;
  }
}

/** Worker.currentRuns. */
@Resolver(() => Worker)
export class WorkerFieldsResolver {
  @FieldResolver(() => [Run], {
    description: 'Runs of the jobs it holds now that the caller may read.',
  })
  currentRuns(@Root() worker: WorkerModel, @Ctx() ctx: ApiContext): Promise<RunModel[]> {
    return currentRunLoader(ctx).load(worker.id);
  }
}
