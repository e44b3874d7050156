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
  ExplanationJob,
  ExplanationJobConnection,
} from './explain-job.type';
import type { ClaimedExplanationJobModel, ExplanationJobModel } from './explain-job.service';
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
      'For explain workers: hands the oldest QUEUED job to workerId (RUNNING) with a fresh claimToken; null when none ' +
      'is queued. Atomic: concurrent claims never return the same job. Jobs RUNNING longer than EXPLAIN_JOB_TIMEOUT_S ' +
      'are queued again first (their token dies; FAILED after EXPLAIN_MAX_ATTEMPTS claims). Only jobs of projects ' +
      'where the caller has the editor role.',
  })
  async claimExplanationJob(
    @Arg('workerId', () => String, {
      description:
        'Name of the worker claiming (1-200 characters), shown as ExplanationJob.workerId.',
    })
    workerId: string,
    @Ctx() ctx: ApiContext,
  ): Promise<ClaimedExplanationJobModel | null> {
    ctx.guard.requireUser();
    // A worker only receives jobs of projects its key may write.
    const projectIds = await ctx.guard.projectIdsWith('editor');
    return ctx.services.explainJob.claim(workerId, projectIds);
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
