// GraphQL inputs of queued work (checked in queue.checks.ts, decorator-free so services can use it).
import { Field, ID, InputType, Int } from 'type-graphql';
import { JSONScalar } from '../common/json-scalar';
import type { JobKind } from './job-queue';
import { JobKindEnum } from './queue.type';

@InputType({ description: 'Where a queued run may go: only workers meeting every field given.' })
export class WorkerRequirementsInput {
  @Field(() => String, {
    nullable: true,
    description: 'Compute backend the worker must run (e.g. onednn, tensorflow); any when null.',
  })
  backend?: string | null;

  @Field(() => Boolean, {
    nullable: true,
    description: 'Needs a worker with a GPU (default false).',
  })
  gpu?: boolean | null;

  @Field(() => Int, {
    nullable: true,
    description: 'Least memory of the worker in MiB (default 0).',
  })
  minMemoryMb?: number | null;
}

@InputType({ description: 'A training run to queue (queueRun).' })
export class QueueRunInput {
  @Field(() => ID, { description: 'The project (editor role).' })
  projectId!: string;

  @Field(() => String, {
    nullable: true,
    description: 'Run name (1-200 characters); default "<preset>-<short id>".',
  })
  name?: string | null;

  @Field(() => JSONScalar, {
    description:
      'An experiment file as `npm run train -- --config` reads it: { preset?, model?, training?, data?, transfer? } (preset or model required).',
  })
  config!: unknown;

  @Field(() => JSONScalar, {
    nullable: true,
    description:
      'Flat overrides of config.training (epochs, batchSize, learningRate, seed, patience, validationSplit, trainLimit, testLimit) and optimizer (adam, rmsprop, sgd).',
  })
  hyperparameters?: unknown;

  @Field(() => [String], { nullable: true, description: 'Tags (at most 100).' })
  tags?: string[] | null;

  @Field(() => String, { nullable: true, description: 'Free text (at most 64 KiB).' })
  notes?: string | null;

  @Field(() => Int, {
    nullable: true,
    description: 'Queue priority, -1000..1000 (default 0); higher runs first, then oldest first.',
  })
  priority?: number | null;

  @Field(() => WorkerRequirementsInput, {
    nullable: true,
    description: 'Which workers may run it (default: any).',
  })
  requirements?: WorkerRequirementsInput | null;

  @Field(() => ID, {
    nullable: true,
    description: 'The run this one was copied from ("Run again with changes"; viewer role on it).',
  })
  sourceRunId?: string | null;

  @Field(() => ID, {
    nullable: true,
    description: 'Set by the sweep service only; a client that sends it gets BAD_USER_INPUT.',
  })
  sweepId?: string | null;
}

@InputType({ description: 'A worker announcing itself (registerWorker).' })
export class RegisterWorkerInput {
  @Field(() => String, { description: 'Display name (1-200 characters).' })
  name!: string;

  @Field(() => String, { description: 'Host name of its machine (1-200 characters).' })
  host!: string;

  @Field(() => String, { description: 'Compute backend it trains on (e.g. onednn, tensorflow).' })
  backend!: string;

  @Field(() => Boolean, { description: 'Whether it has a GPU.' })
  gpu!: boolean;

  @Field(() => Int, { description: 'Memory it may use, in MiB (0 or more).' })
  memoryMb!: number;

  @Field(() => Int, { description: 'Jobs it runs at once (1-64).' })
  concurrency!: number;

  @Field(() => [JobKindEnum], {
    nullable: true,
    description: 'Job kinds it runs (default: TRAIN).',
  })
  kinds?: JobKind[] | null;
}
