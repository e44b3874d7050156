// Thin GraphQL layer of explanation jobs: the job query, Run.explanationJobs (batched per
// request) and the mutations an explain worker uses (claim, complete, fail).
import DataLoader from 'dataloader';
import { JSONScalar } from '../common/json-scalar';
import { Arg, Args, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import { ConnectionArgs, type ConnectionPage } from '../common/connection';
import { readable } from '../auth/readable';
import type { ApiContext } from '../common/context';
import { Run } from '../run/run.type';
import type { RunModel } from '../run/run.model';
import {
  ClaimedExplanationJob,
  ExplainSampleResult,
  ExplanationJob,
  ExplanationJobConnection,
} from './explain-job.type';
import { ExplainSampleInput } from './explain-job.input';
import { parseExplainParams } from './explain-image';
import {
  ExplanationJobKind,
  type ClaimedExplanationJobModel,
  type ExplanationJobModel,
  type SubmitResult,
} from './explain-job.service';
import type { ExplanationJobRow, JobPageRequest } from './explain-job.repository';

// One loader per request and page request, kept beside the request's loaders (a WeakMap, so it
// goes with the request).
const loaders = new WeakMap<object, Map<string, DataLoader<string, ExplanationJobRow[]>>>();
function jobsLoader(
  ctx: ApiContext,
  page: JobPageRequest,
): DataLoader<string, ExplanationJobRow[]> {
  let byPage = loaders.get(ctx.loaders);
  if (!byPage) loaders.set(ctx.loaders, (byPage = new Map()));
  const key = JSON.stringify(page);
  let loader = byPage.get(key);
  if (!loader) {
    loader = new DataLoader((ids: readonly string[]) => ctx.services.explainJob.pagesOf(ids, page));
    byPage.set(key, loader);
  }
  return loader;
}

/** Queries and mutations of explanation jobs. */
@Resolver(() => Run)
export class ExplainJobResolver {
  @Query(() => ExplanationJob, {
    nullable: true,
    description:
      'An explanation job by id; null when the id names no job the caller may read (unknown, or of a run in a ' +
      'project the caller cannot read: the two answers are the same).',
  })
  async explanationJob(
    @Arg('id', () => ID, { description: 'The job id.' }) id: string,
    @Ctx() ctx: ApiContext,
  ): Promise<ExplanationJobModel | null> {
    if (!(await readable(() => ctx.guard.requireExplanationJob(id, 'viewer')))) return null;
    return ctx.services.explainJob.find(id);
  }

  @FieldResolver(() => ExplanationJobConnection, {
    description:
      'Explanations of uploaded images (POST /runs/{id}/explain), newest first (createdAt, then id, descending). ' +
      'Relay cursor pagination: first/after forward, last/before backward, 0-100 per page, default 20.',
  })
  async explanationJobs(
    @Root() run: RunModel,
    @Args(() => ConnectionArgs) args: ConnectionArgs,
    @Ctx() ctx: ApiContext,
  ): Promise<ConnectionPage<ExplanationJobModel>> {
    const { request, page } = ctx.services.explainJob.pageRequest(args);
    const rows = await jobsLoader(ctx, page).load(run.id);
    return ctx.services.explainJob.toPage(rows, request);
  }

  @Mutation(() => ClaimedExplanationJob, {
    nullable: true,
    description:
      'For explain scripts without a registered worker (queue workers use claimJob): hands the next queued ' +
      'explanation (the job queue, kind EXPLAIN) to workerId (RUNNING) with a fresh claimToken; null when none is ' +
      'queued. Atomic: concurrent claims never return the same job. A claim holds its job for EXPLAIN_JOB_TIMEOUT_S ' +
      '(no heartbeats); without a result by then the reaper queues it again (its token dies; FAILED after ' +
      'JOB_MAX_ATTEMPTS claims). Only jobs of projects where the caller has the editor role.',
  })
  async claimExplanationJob(
    @Arg('workerId', () => String, {
      description:
        'Name of the worker claiming (1-200 characters), shown as ExplanationJob.workerId.',
    })
    workerId: string,
    @Arg('kinds', () => [ExplanationJobKind], {
      nullable: true,
      description: 'Only jobs of these kinds (the ones the worker handles); null: every kind.',
    })
    kinds: ExplanationJobKind[] | null | undefined,
    @Ctx() ctx: ApiContext,
  ): Promise<ClaimedExplanationJobModel | null> {
    ctx.guard.requireUser();
    // A worker only receives jobs of projects its key may write.
    const projectIds = await ctx.guard.projectIdsWith('editor');
    return ctx.services.explainJob.claim(workerId, projectIds, kinds ?? null);
  }

  @Mutation(() => ExplainSampleResult, {
    description:
      "Explains a stored sample (image `index` of the run's `split` samples) with the run's stored model: queues an " +
      'IMAGE job for an explain worker (or answers from the cache: same image, parameters and sample) and returns ' +
      'at once; poll explanationJob(id). Editor role, like POST /runs/{runId}/explain. Errors: NOT_FOUND (run), ' +
      'INVALID_STATE (no stored model: reason MODEL_NOT_FOUND; no stored samples of the split: reason ' +
      "SAMPLES_NOT_FOUND), BAD_USER_INPUT (index out of range naming the split's count, unknown layer, class out " +
      'of range, more than 4 methods).',
  })
  async explainSample(
    @Arg('runId', () => ID, { description: 'The run whose model and samples are used.' })
    runId: string,
    @Arg('input', () => ExplainSampleInput, {
      description: 'Which sample, methods, class and layer.',
    })
    input: ExplainSampleInput,
    @Ctx() ctx: ApiContext,
  ): Promise<SubmitResult> {
    // Explaining spends a worker's time: editors of the run's project (as the upload route).
    await ctx.guard.requireRun(runId, 'editor');
    const params = parseExplainParams({
      methods: input.methods ?? undefined,
      classIndex: input.classIndex,
      layer: input.layer,
      activationsLayer: input.activationsLayer,
      topK: input.topK,
    });
    return ctx.services.explainJob.submitSample(
      runId,
      { split: input.split ?? 'test', index: input.index },
      params,
    );
  }

  @Mutation(() => ExplanationJob, {
    description:
      "Queues the run's embedding projector (a PROJECTION job) for an explain worker, which stores its files as " +
      'run artifacts. One job per run: while it is queued, running or done, the same job is returned; a FAILED ' +
      'one is queued again, and force: true queues a DONE one again too. Editor role. Errors: NOT_FOUND (run), ' +
      'INVALID_STATE (no stored model: reason MODEL_NOT_FOUND).',
  })
  async requestProjection(
    @Arg('runId', () => ID, { description: 'The run to project.' }) runId: string,
    @Arg('force', () => Boolean, {
      defaultValue: false,
      description: 'Compute it again even when a result is stored (default false).',
    })
    force: boolean,
    @Ctx() ctx: ApiContext,
  ): Promise<ExplanationJobModel> {
    await ctx.guard.requireRun(runId, 'editor');
    return ctx.services.explainJob.requestProjection(runId, { force });
  }

  @Mutation(() => ExplanationJob, {
    description:
      'For explain workers: stores the result (a JSON object, at most 48 MiB and 32 levels deep) of a job RUNNING ' +
      'under claimToken (DONE). Idempotent with the same token on the DONE job; INVALID_STATE when the job runs under ' +
      'another claim (reason CLAIM_TOKEN_MISMATCH) or is not RUNNING (queued again, done or failed). An unknown job, ' +
      'or one the caller may not read: NOT_FOUND naming the id.',
  })
  async completeExplanationJob(
    @Arg('id', () => ID, { description: 'The job id.' }) id: string,
    @Arg('claimToken', () => String, { description: 'The token claimExplanationJob returned.' })
    claimToken: string,
    @Arg('result', () => JSONScalar, { description: 'The explanation (JSON object).' })
    result: unknown,
    @Ctx() ctx: ApiContext,
  ): Promise<ExplanationJobModel> {
    await ctx.guard.requireExplanationJob(id, 'editor');
    return ctx.services.explainJob.complete(id, claimToken, result);
  }

  @Mutation(() => ExplanationJob, {
    description:
      'For explain workers: marks a job RUNNING under claimToken FAILED with the error (cut to 10,000 characters). ' +
      'Idempotent with the same token on the FAILED job; INVALID_STATE otherwise, like completeExplanationJob. ' +
      'An unknown job, or one the caller may not read: NOT_FOUND naming the id.',
  })
  async failExplanationJob(
    @Arg('id', () => ID, { description: 'The job id.' }) id: string,
    @Arg('claimToken', () => String, { description: 'The token claimExplanationJob returned.' })
    claimToken: string,
    @Arg('error', () => String, { description: 'Why it failed (cut to 10,000 characters).' })
    error: string,
    @Ctx() ctx: ApiContext,
  ): Promise<ExplanationJobModel> {
    await ctx.guard.requireExplanationJob(id, 'editor');
    return ctx.services.explainJob.fail(id, claimToken, error);
  }
}
