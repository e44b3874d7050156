// GraphQL inputs of the run module.
import { Field, ID, InputType, registerEnumType } from 'type-graphql';
import { RunStatus } from './run-status.js';
import { JSONScalar } from '../common/json-scalar.js';

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
  @Field(() => [String], { nullable: true, description: 'Project names.' })
  projects?: string[] | null;

  @Field(() => [RunStatus], { nullable: true })
  statuses?: RunStatus[] | null;

  @Field(() => [ID], { nullable: true })
  ids?: string[] | null;

  @Field(() => String, {
    nullable: true,
    description:
      'Query language, ANDed with the other fields, e.g. `hp.lr < 0.01 and (best.val_accuracy >= 0.9 or tag = "baseline")`. ' +
      'AND/OR/NOT (also &&, ||, !; NOT > AND > OR), parentheses, = != < <= > >= and ~ (case-insensitive substring) on ' +
      'hp.<name>, best.<metric> (min for names containing "loss" or "error", else max), final.<metric> (value at the last step), ' +
      'tag, status, project, name, created/started/ended (ISO dates; a date-only literal is its whole UTC day) and duration (seconds). ' +
      'Literals: numbers, "double-quoted strings", true/false. Errors: QUERY_SYNTAX_ERROR with line, column and offset.',
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
      'Runs without a value come last in both directions.',
  })
  key?: string | null;

  @Field(() => SortDirection)
  direction!: SortDirection;
}

/** Input of createRun. */
@InputType()
export class CreateRunInput {
  @Field(() => String, { description: 'Project name; created if missing.' })
  project!: string;

  @Field(() => String, { nullable: true, description: 'Default: generated.' })
  name?: string | null;

  @Field(() => JSONScalar, { nullable: true, description: 'A JSON object.' })
  hyperparameters?: unknown;

  @Field(() => [String], { nullable: true })
  tags?: string[] | null;

  @Field(() => String, { nullable: true })
  notes?: string | null;

  @Field(() => JSONScalar, { nullable: true })
  modelSummary?: unknown;

  @Field(() => JSONScalar, { nullable: true })
  datasetInfo?: unknown;

  @Field(() => String, { nullable: true })
  backend?: string | null;

  @Field(() => String, { nullable: true })
  backendReason?: string | null;

  @Field(() => RunStatus, { nullable: true, description: 'QUEUED (default) or RUNNING.' })
  status?: RunStatus | null;

  @Field(() => String, {
    nullable: true,
    description: 'Idempotency key: a retried createRun returns the same run.',
  })
  clientRequestId?: string | null;
}
