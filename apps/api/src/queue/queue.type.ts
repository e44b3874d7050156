// GraphQL types of queued work: workers, claimed jobs, heartbeats and the preset list.
import { Field, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { DateTimeResolver } from 'graphql-scalars';
import { connectionOf } from '../common/connection';
import { JSONScalar } from '../common/json-scalar';
import { Run } from '../run/run.type';

/** Job kinds as a GraphQL enum (values equal the JobKind strings). */
export enum JobKindEnum {
  TRAIN = 'TRAIN',
  EXPLAIN = 'EXPLAIN',
}
registerEnumType(JobKindEnum, {
  name: 'JobKind',
  description: 'What a queued job asks a worker to do.',
  valuesConfig: {
    TRAIN: { description: 'Train a queued run (queueRun).' },
    EXPLAIN: { description: 'Compute an explanation of a run.' },
  },
});

/** How a worker looks from its last contact and held jobs. */
export enum WorkerStatus {
  IDLE = 'IDLE',
  BUSY = 'BUSY',
  OFFLINE = 'OFFLINE',
}
registerEnumType(WorkerStatus, {
  name: 'WorkerStatus',
  description: 'State of a worker.',
  valuesConfig: {
    IDLE: { description: 'In contact, holding no job.' },
    BUSY: { description: 'In contact, holding at least one job.' },
    OFFLINE: { description: 'No contact for longer than a job lease.' },
  },
});

@ObjectType({ description: 'A process that executes queued jobs (`npm run worker`).' })
export class Worker {
  @Field(() => ID, { description: 'Unique, stable id (given by registerWorker).' })
  id!: string;

  @Field(() => String, { description: 'Display name.' })
  name!: string;

  @Field(() => String, { description: 'Host name of its machine.' })
  host!: string;

  @Field(() => String, { description: 'Compute backend it trains on.' })
  backend!: string;

  @Field(() => Boolean, { description: 'Whether it has a GPU.' })
  gpu!: boolean;

  @Field(() => Int, { description: 'Memory it may use, in MiB.' })
  memoryMb!: number;

  @Field(() => Int, { description: 'Jobs it runs at once.' })
  concurrency!: number;

  @Field(() => [JobKindEnum], { description: 'Job kinds it runs.' })
  kinds!: JobKindEnum[];

  @Field(() => WorkerStatus, {
    description: 'IDLE or BUSY while in contact; OFFLINE after no contact for longer than a lease.',
  })
  status!: WorkerStatus;

  @Field(() => [Run], {
    description:
      'Runs of the jobs it holds now that the caller may read (the others are left out).',
  })
  currentRuns?: Run[];

  @Field(() => DateTimeResolver, { description: 'Its last contact (claim or heartbeat).' })
  lastSeenAt!: Date;

  @Field(() => DateTimeResolver, { description: 'When it registered.' })
  startedAt!: Date;
}

/** A page of workers. */
@ObjectType({ description: 'A page of workers (Relay connection), newest contact first.' })
export class WorkerConnection extends connectionOf(Worker, 'Worker') {}

@ObjectType({
  description: 'A job handed to a worker by claimJob; the worker holds it while its lease lasts.',
})
export class ClaimedJob {
  @Field(() => ID, {
    description: 'The job id (heartbeatWorker, completeJob, failJob, acknowledgeCancel).',
  })
  id!: string;

  @Field(() => JobKindEnum, { description: 'What to do.' })
  kind!: JobKindEnum;

  @Field(() => ID, { nullable: true, description: 'The run it trains into (TRAIN).' })
  runId!: string | null;

  @Field(() => Int, {
    description: 'Which claim this is (1 = first; a retry after a lost worker is 2, ...).',
  })
  attempt!: number;

  @Field(() => DateTimeResolver, {
    description:
      'The lease ends then unless heartbeatWorker extends it; then the job is retried elsewhere.',
  })
  leaseExpiresAt!: Date;

  @Field(() => JSONScalar, {
    description:
      "TRAIN: { projectId, runId, runName, config (experiment file, overrides applied), hyperparameters (the overrides), resumeFromArtifactId (the run's newest checkpoint artifact, or null) }.",
  })
  payload!: unknown;
}

@ObjectType({ description: 'Answer to a worker heartbeat.' })
export class WorkerHeartbeat {
  @Field(() => [ID], { description: 'Jobs to stop now (cancelRun): stop, then acknowledgeCancel.' })
  cancelJobIds!: string[];

  @Field(() => DateTimeResolver, { description: 'The leases of the named jobs now end then.' })
  leaseExpiresAt!: Date;
}

@ObjectType({ description: 'A model preset a run may be queued with.' })
export class PresetInfo {
  @Field(() => String, { description: 'Identifier (config.preset).' })
  name!: string;

  @Field(() => String, { description: 'One line for people.' })
  description!: string;

  @Field(() => [Int], { description: 'Input image shape [height, width, channels].' })
  inputShape!: number[];

  @Field(() => Int, { description: 'Classes the model tells apart.' })
  classes!: number;

  @Field(() => Int, { description: 'Default epochs.' })
  epochs!: number;

  @Field(() => Int, { description: 'Default batch size.' })
  batchSize!: number;
}
