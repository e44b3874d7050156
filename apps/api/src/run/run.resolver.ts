// Thin GraphQL layer for runs: delegates to RunService; Run.project is batched per request.
import {
  Arg,
  Args,
  Ctx,
  FieldResolver,
  Float,
  ID,
  Info,
  Mutation,
  Query,
  Resolver,
  Root,
} from 'type-graphql';
import { authorizeProjectWrite, precheckProjectWrite } from '../auth/project-access';
import { readable } from '../auth/readable';
import type { GraphQLResolveInfo } from 'graphql';
import { ConnectionArgs } from '../common/connection';
import { selectsField } from '../common/selection';
import type { ApiContext } from '../common/context';
import { Project } from '../project/project.type';
import { FinalRunStatus, RunStatus } from './run-status';
import { CreateRunInput, RunFilter, RunOrder } from './run.input';
import { parseRunEdit, UpdateRunInput } from './run-management.input';
import { badInput } from '../common/errors';
import { Run, RunConnection } from './run.type';
import type { RunModel } from './run.model';
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE, type RunPage } from './run.service';
import DataLoader from 'dataloader';
import { Reproducibility } from './reproducibility.type';
import type { Reproducibility as ReproducibilityModel } from './reproducibility.schema';

/** Per-request loaders of Run.reproducibility (one query for a page of runs). */
const reproducibilityLoaders = new WeakMap<
  ApiContext,
  DataLoader<string, ReproducibilityModel | null>
>();

function reproducibilityLoader(ctx: ApiContext): DataLoader<string, ReproducibilityModel | null> {
  let loader = reproducibilityLoaders.get(ctx);
  if (!loader) {
    loader = new DataLoader((ids) => ctx.services.run.reproducibilities(ids));
    reproducibilityLoaders.set(ctx, loader);
  }
  return loader;
}

const ID_RULE =
  'An id naming no run the caller may read (unknown, or in a project the caller cannot read) fails with NOT_FOUND naming it.';

/** Queries and mutations on runs. */
@Resolver(() => Run)
export class RunResolver {
  @Query(() => Run, {
    nullable: true,
    description:
      'A run by id; null when the id names no run the caller may read (unknown, or in a project the caller cannot read: the same answer).',
  })
  async run(
    @Arg('id', () => ID, { description: 'The run id.' }) id: string,
    @Ctx() ctx: ApiContext,
  ): Promise<RunModel | null> {
    if (!(await readable(() => ctx.guard.requireRun(id, 'viewer')))) return null;
    return ctx.services.run.find(id);
  }

  @Query(() => RunConnection, {
    description:
      `Runs of the projects the caller may read, filtered and sorted (default: newest first), as a Relay connection with keyset cursors: ` +
      `runs created while a client pages neither shift nor repeat a page. first/last: 0-${MAX_PAGE_SIZE}, default ${DEFAULT_PAGE_SIZE}; ` +
      'first/after pages forward, last/before backward (not both); a cursor is valid only with the orderBy it came from (else BAD_USER_INPUT).',
  })
  async runs(
    @Args(() => ConnectionArgs) page: ConnectionArgs,
    @Arg('filter', () => RunFilter, { nullable: true, description: 'Which runs (default: all).' })
    filter: RunFilter | null | undefined,
    @Arg('orderBy', () => RunOrder, {
      nullable: true,
      description: 'Sort (default: CREATED_AT DESC).',
    })
    orderBy: RunOrder | null | undefined,
    @Ctx() ctx: ApiContext,
    @Info() info: GraphQLResolveInfo,
  ): Promise<RunPage> {
    ctx.services.run.checkFilter(filter);
    // Named runs must all be readable: NOT_FOUND names the others (as for every id argument).
    if (filter?.ids?.length) await ctx.guard.requireRuns(filter.ids, 'viewer');
    // Across projects: only those the caller may read.
    const readableProjectIds = await ctx.guard.readableProjectIds();
    // The count reads every matching run: only when the client asks for it.
    const withTotalCount = selectsField(info, 'totalCount');
    return ctx.services.run.list({ ...page, filter, orderBy, readableProjectIds, withTotalCount });
  }

  @Mutation(() => Run, {
    description:
      'Creates a run (and its project when missing; a new project is owned by the caller, an existing one needs the editor role). ' +
      'Idempotent on input.clientRequestId.',
  })
  async createRun(
    @Arg('input', () => CreateRunInput, { description: 'The run.' }) input: CreateRunInput,
    @Ctx() ctx: ApiContext,
  ): Promise<RunModel> {
    ctx.services.run.prepareCreate(input); // bad input is refused before any lookup
    await precheckProjectWrite(ctx, input.project);
    return ctx.services.run.create(input, {
      authorize: (project, created) => authorizeProjectWrite(ctx, project, created),
    });
  }

  @Mutation(() => Run, {
    description: `QUEUED -> RUNNING (editor role). A retried start of a RUNNING run only refreshes backend and heartbeat; a finished run fails with INVALID_STATE. ${ID_RULE}`,
  })
  async startRun(
    @Arg('id', () => ID, { description: 'The run id.' }) id: string,
    @Arg('backend', () => String, {
      nullable: true,
      description: 'Compute backend (at most 200 characters).',
    })
    backend: string | null | undefined,
    @Arg('backendReason', () => String, {
      nullable: true,
      description: 'Why that backend (at most 16 KiB).',
    })
    backendReason: string | null | undefined,
    @Ctx() ctx: ApiContext,
  ): Promise<RunModel> {
    await ctx.guard.requireRun(id, 'editor');
    return ctx.services.run.start(id, backend, backendReason);
  }

  @Mutation(() => Run, {
    description: `Records a sign of life of a RUNNING run (editor role); INVALID_STATE otherwise (e.g. after the reaper failed it). ${ID_RULE}`,
  })
  async heartbeat(
    @Arg('id', () => ID, { description: 'The run id.' }) id: string,
    @Ctx() ctx: ApiContext,
  ): Promise<RunModel> {
    await ctx.guard.requireRun(id, 'editor');
    return ctx.services.run.heartbeat(id);
  }

  @Mutation(() => Run, {
    description: `RUNNING -> COMPLETED or FAILED, QUEUED -> FAILED (editor role); repeating the same final status is a no-op, another transition fails with INVALID_STATE. ${ID_RULE}`,
  })
  async finishRun(
    @Arg('id', () => ID, { description: 'The run id.' }) id: string,
    @Arg('status', () => FinalRunStatus, { description: 'The final state.' })
    status: FinalRunStatus,
    @Arg('error', () => String, {
      nullable: true,
      description: 'Why it failed (at most 64 KiB).',
    })
    error: string | null | undefined,
    @Ctx() ctx: ApiContext,
  ): Promise<RunModel> {
    await ctx.guard.requireRun(id, 'editor');
    return ctx.services.run.finish(
      id,
      status === FinalRunStatus.COMPLETED ? RunStatus.COMPLETED : RunStatus.FAILED,
      error,
    );
  }

  @Mutation(() => Run, {
    description:
      'Edits the name, tags and/or notes of a run, finished or not (editor role): send `input` (an omitted field is left unchanged). ' +
      `The older notes/tags arguments still work (not together with input). ${ID_RULE}`,
  })
  async updateRun(
    @Arg('id', () => ID, { description: 'The run id.' }) id: string,
    @Arg('input', () => UpdateRunInput, {
      nullable: true,
      description: 'The fields to change (at least one; limits on each field).',
    })
    input: UpdateRunInput | null | undefined,
    @Arg('notes', () => String, {
      nullable: true,
      description: 'New notes (at most 64 KiB; null clears them).',
      deprecationReason: 'Use input.notes (at most 10,000 characters).',
    })
    notes: string | null | undefined,
    @Arg('tags', () => [String], {
      nullable: true,
      description: 'New tags, replacing the old (at most 100 of at most 100 characters).',
      deprecationReason: 'Use input.tags (at most 50 tags of at most 64 characters).',
    })
    tags: string[] | null | undefined,
    @Ctx() ctx: ApiContext,
  ): Promise<RunModel> {
    if (input) {
      // Bad input is refused before any lookup.
      if (notes !== undefined || tags !== undefined)
        throw badInput('Send either input or the deprecated notes/tags arguments, not both', {
          field: 'input',
        });
      const edit = parseRunEdit(input);
      if (Object.keys(edit).length === 0)
        throw badInput('input names no field to change (name, tags or notes)', {
          field: 'input',
        });
      await ctx.guard.requireRun(id, 'editor');
      return ctx.services.runManagement.update(id, edit);
    }
    await ctx.guard.requireRun(id, 'editor');
    return ctx.services.run.update(id, notes, tags);
  }

  @FieldResolver(() => Project, { description: 'The project the run belongs to.' })
  async project(@Root() run: RunModel, @Ctx() ctx: ApiContext): Promise<Project> {
    return ctx.loaders.projectById.load(run.projectId);
  }

  @FieldResolver(() => Reproducibility, {
    nullable: true,
    description:
      'How the run was made (config, git commit/dirty/diff, command line, host, OS, Node and TF.js versions, dataset fingerprint), as sent at createRun; null when none was sent.',
  })
  async reproducibility(
    @Root() run: RunModel,
    @Ctx() ctx: ApiContext,
  ): Promise<ReproducibilityModel | null> {
    // The run itself was read through a permission check (run, runs, compareRuns).
    return reproducibilityLoader(ctx).load(run.id);
  }

  @FieldResolver(() => Float, {
    nullable: true,
    description:
      'Milliseconds from startedAt to endedAt (to now while running); null before it starts.',
  })
  durationMs(@Root() run: RunModel): number | null {
    if (!run.startedAt) return null;
    return (run.endedAt ?? new Date()).getTime() - run.startedAt.getTime();
  }
}
