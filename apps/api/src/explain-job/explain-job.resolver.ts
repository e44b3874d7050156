// Thin GraphQL layer of explanation jobs: the job query, Run.explanationJobs (batched per
// request) and the mutations an explain worker uses (claim, complete, fail).
import DataLoader from 'dataloader';
import { JSONScalar } from '../common/json-scalar';
import { Arg, Ctx, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import { badInput } from '../common/errors';
import { readable } from '../auth/readable';
import type { ApiContext } from '../common/context';
import { Run } from '../run/run.type';
import type { RunModel } from '../run/run.model';
import { ClaimedExplanationJob, ExplanationJob } from './explain-job.type';
import type { ClaimedExplanationJobModel, ExplanationJobModel } from './explain-job.service';

/** Most jobs Run.explanationJobs returns. */
const MAX_JOBS = 100;

// One loader per request and page size, kept beside the request's loaders (a WeakMap, so it
// goes with the request).
const loaders = new WeakMap<object, Map<number, DataLoader<string, ExplanationJobModel[]>>>();
function jobsLoader(ctx: ApiContext, first: number): DataLoader<string, ExplanationJobModel[]> {
  let byFirst = loaders.get(ctx.loaders);
  if (!byFirst) loaders.set(ctx.loaders, (byFirst = new Map()));
  let loader = byFirst.get(first);
  if (!loader) {
    loader = new DataLoader((ids: readonly string[]) =>
      ctx.services.explainJob.byRunIds(ids, first),
    );
    byFirst.set(first, loader);
  }
  return loader;
}

/** Queries and mutations of explanation jobs. */
@Resolver(() => Run)
export class ExplainJobResolver {
  @Query(() => ExplanationJob, { nullable: true, description: 'An explanation job by id.' })
  async explanationJob(
    @Arg('id', () => ID) id: string,
    @Ctx() ctx: ApiContext,
  ): Promise<ExplanationJobModel | null> {
    if (!(await readable(() => ctx.guard.requireExplanationJob(id, 'viewer')))) return null;
    return ctx.services.explainJob.find(id);
  }

  @FieldResolver(() => [ExplanationJob], {
    description: 'Explanations of uploaded images (POST /runs/{id}/explain), newest first.',
  })
  explanationJobs(
    @Root() run: RunModel,
    @Arg('first', () => Int, { defaultValue: 20 }) first: number,
    @Ctx() ctx: ApiContext,
  ): Promise<ExplanationJobModel[]> {
    if (!Number.isInteger(first) || first < 1 || first > MAX_JOBS)
      throw badInput(`first must be from 1 to ${MAX_JOBS}`, { field: 'first' });
    return jobsLoader(ctx, first).load(run.id);
  }

  @Mutation(() => ClaimedExplanationJob, {
    nullable: true,
    description:
      'For explain workers: hands the oldest QUEUED job to workerId (RUNNING) with a fresh claimToken; null when none ' +
      'is queued. Atomic: concurrent claims never return the same job. Jobs RUNNING longer than EXPLAIN_JOB_TIMEOUT_S ' +
      'are queued again first (their token dies; FAILED after EXPLAIN_MAX_ATTEMPTS claims). workerId: 1-200 characters.',
  })
  async claimExplanationJob(
    @Arg('workerId', () => String) workerId: string,
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
      'another claim (reason CLAIM_TOKEN_MISMATCH) or is not RUNNING (queued again, done or failed).',
  })
  async completeExplanationJob(
    @Arg('id', () => ID) id: string,
    @Arg('claimToken', () => String, { description: 'The token claimExplanationJob returned.' })
    claimToken: string,
    @Arg('result', () => JSONScalar) result: unknown,
    @Ctx() ctx: ApiContext,
  ): Promise<ExplanationJobModel> {
    await ctx.guard.requireExplanationJob(id, 'editor');
    return ctx.services.explainJob.complete(id, claimToken, result);
  }

  @Mutation(() => ExplanationJob, {
    description:
      'For explain workers: marks a job RUNNING under claimToken FAILED with the error (cut to 10,000 characters). ' +
      'Idempotent with the same token on the FAILED job; INVALID_STATE otherwise, like completeExplanationJob.',
  })
  async failExplanationJob(
    @Arg('id', () => ID) id: string,
    @Arg('claimToken', () => String, { description: 'The token claimExplanationJob returned.' })
    claimToken: string,
    @Arg('error', () => String) error: string,
    @Ctx() ctx: ApiContext,
  ): Promise<ExplanationJobModel> {
    await ctx.guard.requireExplanationJob(id, 'editor');
    return ctx.services.explainJob.fail(id, claimToken, error);
  }
}
