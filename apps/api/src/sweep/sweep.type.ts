// GraphQL types of sweeps: the sweep, its progress, its runs' points and the importance table.
import { Field, Float, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { DateTimeResolver } from 'graphql-scalars';
import { connectionOf } from '../common/connection';
import { JSONScalar } from '../common/json-scalar';
import { RunStatus } from '../run/run-status';
import { SweepStatus } from './sweep.service';

registerEnumType(SweepStatus, {
  name: 'SweepStatus',
  description: 'Lifecycle of a sweep: RUNNING <-> PAUSED, then STOPPED (by a user) or FINISHED.',
  valuesConfig: {
    RUNNING: { description: 'Queues runs as earlier ones end, up to budget.parallel at once.' },
    PAUSED: {
      description: 'Queues no more runs; runs in flight go on (ASHA still stops weak ones).',
    },
    STOPPED: {
      description:
        'Stopped by a user: its queued runs were cancelled and its running ones told to stop.',
    },
    FINISHED: { description: 'Every planned run has ended.' },
  },
});

/** The metric a sweep optimises. */
@ObjectType({ description: 'The metric a sweep optimises.' })
export class SweepMetric {
  @Field(() => String, { description: 'A logged metric name, e.g. val_accuracy.' })
  name!: string;

  @Field(() => String, { description: 'The goal: maximize or minimize.' })
  goal!: string;
}

/** Counts of a sweep's runs and its budget. */
@ObjectType({ description: "Counts of a sweep's runs by status, and its budget." })
export class SweepProgress {
  @Field(() => Int, { description: 'Runs waiting for a worker.' })
  queued!: number;
  @Field(() => Int, { description: 'Runs training now.' })
  running!: number;
  @Field(() => Int, { description: 'Runs that finished successfully.' })
  completed!: number;
  @Field(() => Int, { description: 'Runs that failed.' })
  failed!: number;
  @Field(() => Int, {
    description: 'Runs cancelled (by stopSweep, by hand, or stopped early by ASHA).',
  })
  cancelled!: number;
  @Field(() => Int, {
    description: 'Runs queued so far (including any whose queuing failed, see launchErrors).',
  })
  launched!: number;
  @Field(() => Int, {
    description: 'Runs the sweep queues in all: budget.maxRuns, or the grid size when smaller.',
  })
  planned!: number;
  @Field(() => Int, { description: 'The budget.maxRuns of the config.' })
  maxRuns!: number;
  @Field(() => Int, { description: 'The budget.parallel of the config: runs in flight at once.' })
  parallel!: number;
  @Field(() => Int, { description: 'Runs that could not be queued (see Sweep.lastError).' })
  launchErrors!: number;
}

/** One run of a sweep as the parallel-coordinates chart draws it. */
@ObjectType({ description: 'One run of a sweep: its parameter values and its target metric.' })
export class SweepPoint {
  @Field(() => ID, { description: 'The run id.' })
  runId!: string;
  @Field(() => String, { description: 'The run name.' })
  runName!: string;
  @Field(() => RunStatus, { description: 'The run status.' })
  status!: RunStatus;
  @Field(() => JSONScalar, {
    description: "The run's value of each sweep parameter (null where it has none).",
  })
  parameters!: Record<string, unknown>;
  @Field(() => Float, {
    nullable: true,
    description:
      "The run's best value of the target metric (its max when maximizing, min when minimizing); null before it logged one.",
  })
  value!: number | null;
}

/** One row of a sweep's parameter-importance table. */
@ObjectType({
  description:
    "How much one parameter matters to the sweep's target metric (as W&B's parameter-importance panel).",
})
export class SweepParameterImportance {
  @Field(() => String, { description: 'The parameter name.' })
  name!: string;
  @Field(() => Float, {
    nullable: true,
    description:
      'Pearson correlation of the parameter with the metric over the runs that logged it; null when undefined (a constant or text parameter, or fewer than two runs).',
  })
  correlation!: number | null;
  @Field(() => Float, {
    nullable: true,
    description:
      "Share (0-1, summing to 1 over the parameters) of a random forest's permutation importance when predicting the metric from all parameters; null with fewer than 4 runs with the metric.",
  })
  importance!: number | null;
}

/** A hyperparameter sweep. */
@ObjectType({ description: 'A hyperparameter sweep: a config whose runs are queued as jobs.' })
export class Sweep {
  @Field(() => ID, { description: 'Unique, stable id.' })
  id!: string;

  @Field(() => ID, { description: 'The project the sweep queues runs in.' })
  projectId!: string;

  @Field(() => String, { description: 'Name (1-200 characters; not unique).' })
  name!: string;

  @Field(() => SweepStatus, { description: 'Lifecycle state.' })
  status!: SweepStatus;

  @Field(() => String, { description: 'Search method: grid, random or asha.' })
  method!: string;

  @Field(() => SweepMetric, { description: 'The target metric and its goal.' })
  metric?: SweepMetric;

  @Field(() => JSONScalar, { description: 'The config as validated, defaults filled in.' })
  config!: unknown;

  @Field(() => String, { description: 'The config text as written (YAML or JSON).' })
  configText!: string;

  @Field(() => String, {
    nullable: true,
    description: 'The last error queuing one of its runs; null when none.',
  })
  lastError!: string | null;

  @Field(() => DateTimeResolver, { description: 'When the sweep was created.' })
  createdAt!: Date;

  @Field(() => DateTimeResolver, { description: 'When the sweep last changed.' })
  updatedAt!: Date;

  @Field(() => DateTimeResolver, {
    nullable: true,
    description: 'When it was stopped or finished; null before.',
  })
  endedAt!: Date | null;
}

/** A page of sweeps. */
@ObjectType({ description: "A page of a project's sweeps (Relay connection), newest first." })
export class SweepConnection extends connectionOf(Sweep, 'Sweep') {
  @Field(() => Int, { description: 'Sweeps of the project, over all pages.' })
  totalCount!: number;
}
