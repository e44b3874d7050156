// GraphQL types of runs and run pages.
import { Field, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { DateTimeResolver } from 'graphql-scalars';
import { Project } from '../project/project.type';
import { FinalRunStatus, RunStatus } from './run-status';
import { JSONScalar } from '../common/json-scalar';
import { connectionOf } from '../common/connection';

registerEnumType(RunStatus, {
  name: 'RunStatus',
  description:
    'Lifecycle state of a run: QUEUED -> RUNNING -> COMPLETED, FAILED or CANCELLED (a QUEUED run may also fail or be cancelled).',
  valuesConfig: {
    QUEUED: { description: 'Created, training not started.' },
    RUNNING: { description: 'Training; its worker sends heartbeats.' },
    COMPLETED: {
      description: 'Finished successfully; its training record no longer changes.',
    },
    FAILED: {
      description:
        'Failed, or its worker was lost (no heartbeat within the timeout, or no retry left); see error.',
    },
    CANCELLED: {
      description:
        'Cancelled with cancelRun: at once while QUEUED; once its worker stopped while RUNNING.',
    },
  },
});
registerEnumType(FinalRunStatus, {
  name: 'FinalRunStatus',
  description: 'The states finishRun may set.',
  valuesConfig: {
    COMPLETED: { description: 'Training finished successfully (the run must be RUNNING).' },
    FAILED: { description: 'Training failed or was cancelled.' },
  },
});

/** One training run. Metric, summary and artifact fields are resolved in their modules. */
@ObjectType({ description: 'One training run.' })
export class Run {
  @Field(() => ID, { description: 'Unique, stable id.' })
  id!: string;

  /** Not exposed: used by the Run.project field resolver. */
  projectId!: string;

  @Field(() => String, { description: 'Name (1-200 characters; not unique).' })
  name!: string;

  @Field(() => RunStatus, { description: 'Lifecycle state.' })
  status!: RunStatus;

  @Field(() => Project, { description: 'The project the run belongs to.' })
  project?: Project;

  @Field(() => JSONScalar, {
    description: 'The JSON object given at creation ({} when none).',
  })
  hyperparameters!: Record<string, unknown>;

  @Field(() => [String], { description: 'Tags (at most 100), editable with updateRun.' })
  tags!: string[];

  @Field(() => String, {
    nullable: true,
    description: 'Free text (at most 64 KiB), editable with updateRun.',
  })
  notes!: string | null;

  @Field(() => JSONScalar, {
    nullable: true,
    description: 'Model architecture summary as sent at creation; null when none.',
  })
  modelSummary!: unknown;

  @Field(() => JSONScalar, {
    nullable: true,
    description: 'Dataset description as sent at creation; null when none.',
  })
  datasetInfo!: unknown;

  @Field(() => String, {
    nullable: true,
    description: 'Compute backend the worker trains on (e.g. tensorflow, wasm); null until known.',
  })
  backend!: string | null;

  @Field(() => String, {
    nullable: true,
    description: 'Why that backend was chosen (e.g. no GPU found); null when not given.',
  })
  backendReason!: string | null;

  @Field(() => String, {
    nullable: true,
    description: 'Why the run FAILED (as given to finishRun, or set by the heartbeat reaper).',
  })
  error!: string | null;

  @Field(() => DateTimeResolver, { description: 'When the run was created.' })
  createdAt!: Date;

  @Field(() => DateTimeResolver, {
    nullable: true,
    description: 'When it became RUNNING; null while QUEUED.',
  })
  startedAt!: Date | null;

  @Field(() => DateTimeResolver, {
    nullable: true,
    description: 'When it became COMPLETED or FAILED; null before.',
  })
  endedAt!: Date | null;

  @Field(() => DateTimeResolver, {
    nullable: true,
    description: 'Last sign of life of its worker (any write for the run counts); null before.',
  })
  heartbeatAt!: Date | null;

  @Field(() => Int, {
    description: 'Queue priority: higher runs first, then oldest first (0 by default).',
  })
  priority!: number;

  @Field(() => Int, {
    description:
      'Times a worker claimed its training job (a claim by a worker that died counts too).',
  })
  attempts!: number;

  @Field(() => Boolean, {
    description:
      'True once cancelRun was asked while RUNNING: its worker is told at its next heartbeat and the run ends CANCELLED.',
  })
  cancelRequested!: boolean;

  @Field(() => JSONScalar, {
    nullable: true,
    description:
      'The experiment file the run was queued with (queueRun); null for runs started by hand. Drives "Run again with changes".',
  })
  queuedConfig!: unknown;

  /** Not exposed: read by the Run.worker field resolver. */
  workerId!: string | null;

  @Field(() => ID, {
    nullable: true,
    description: 'The run this one was copied from ("Run again with changes"); null otherwise.',
  })
  sourceRunId!: string | null;

  @Field(() => ID, {
    nullable: true,
    description: 'The sweep that queued this run; null otherwise.',
  })
  sweepId!: string | null;
}

/** A page of runs. */
@ObjectType({ description: 'A page of runs (Relay connection) and the number of runs matching.' })
export class RunConnection extends connectionOf(Run, 'Run') {
  @Field(() => Int, { description: 'Runs matching the filter, over all pages.' })
  totalCount!: number;
}
