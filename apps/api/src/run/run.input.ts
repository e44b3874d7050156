// GraphQL inputs of the run module.
import { Field, ID, InputType, registerEnumType } from 'type-graphql';
import { RunStatus } from './run-status';
import { JSONScalar } from '../common/json-scalar';

/** Sortable run fields. */
export enum RunOrderField {
  CREATED_AT = 'CREATED_AT',
  NAME = 'NAME',
  STATUS = 'STATUS',
}

/** Sort direction. */
export enum SortDirection {
  ASC = 'ASC',
  DESC = 'DESC',
}

registerEnumType(RunOrderField, { name: 'RunOrderField' });
registerEnumType(SortDirection, { name: 'SortDirection' });

/** Filter of the runs query (all conditions combined with AND). */
@InputType()
export class RunFilter {
  @Field(() => [String], { nullable: true, description: 'Project names (at most 100).' })
  projects?: string[] | null;

  @Field(() => [RunStatus], { nullable: true, description: 'At most 10.' })
  statuses?: RunStatus[] | null;

  @Field(() => [ID], { nullable: true, description: 'Run ids (at most 500).' })
  ids?: string[] | null;

  @Field(() => String, {
    nullable: true,
    description:
      'Query language, ANDed with the other fields, e.g. `hp.lr < 0.01 and (best.val_accuracy >= 0.9 or tag = "baseline")`. ' +
      'AND/OR/NOT (also &&, ||, !; NOT > AND > OR), parentheses, = != < <= > >= and ~ (case-insensitive substring) on ' +
      'hp.<name>, best.<metric> (min for names containing "loss" or "error", else max), final.<metric> (value at the last step), ' +
      'tag, status, project, name, created/started/ended (ISO dates; a date-only literal is its whole UTC day) and duration (seconds). ' +
      'Literals: numbers, "double-quoted strings", true/false. Errors: QUERY_SYNTAX_ERROR with line, column and offset. ' +
      'Limits: 10,000 characters, 32 levels of parentheses and NOT, 256 comparisons, 32 different metrics.',
  })
  query?: string | null;
}

/** Sort of the runs query: either `field` or `key`. */
@InputType({ description: 'Sort of the runs query: set either field or key.' })
export class RunOrder {
  @Field(() => RunOrderField, { nullable: true })
  field?: RunOrderField | null;

  @Field(() => String, {
    nullable: true,
    description:
      'Sort by any query-language field: best.<metric>, final.<metric>, hp.<name>, created, started, ended, name, status, project, duration. ' +
      'Runs without a value come last in both directions. At most 10,000 characters.',
  })
  key?: string | null;

  @Field(() => SortDirection)
  direction!: SortDirection;
}

/** Input of createRun. */
@InputType()
export class CreateRunInput {
  @Field(() => String, {
    description:
      'Project name; created if missing. Names (project, run, tag, backend): trimmed, 1-200 characters (tags 100), ' +
      'no control, bidirectional-control or invisible characters.',
  })
  project!: string;

  @Field(() => String, {
    nullable: true,
    description: 'Default: generated. At most 200 characters.',
  })
  name?: string | null;

  @Field(() => JSONScalar, {
    nullable: true,
    description: 'A JSON object: at most 64 KiB serialised and 32 levels deep.',
  })
  hyperparameters?: unknown;

  @Field(() => [String], {
    nullable: true,
    description: 'At most 100 tags of at most 100 characters.',
  })
  tags?: string[] | null;

  @Field(() => String, { nullable: true, description: 'At most 64 KiB (UTF-8); no NUL.' })
  notes?: string | null;

  @Field(() => JSONScalar, {
    nullable: true,
    description: 'At most 2 MiB serialised, 32 levels deep.',
  })
  modelSummary?: unknown;

  @Field(() => JSONScalar, {
    nullable: true,
    description: 'At most 256 KiB serialised, 32 levels deep.',
  })
  datasetInfo?: unknown;

  @Field(() => String, { nullable: true, description: 'At most 200 characters.' })
  backend?: string | null;

  @Field(() => String, { nullable: true, description: 'At most 16 KiB; no NUL.' })
  backendReason?: string | null;

  @Field(() => RunStatus, { nullable: true, description: 'QUEUED (default) or RUNNING.' })
  status?: RunStatus | null;

  @Field(() => String, {
    nullable: true,
    description:
      'Idempotency key (1-200 characters, unique per project): a retried createRun returns the same run.',
  })
  clientRequestId?: string | null;
}
