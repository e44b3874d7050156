// GraphQL inputs of the run module.
import { isInputObjectType, type GraphQLSchema } from 'graphql';
import { Field, ID, InputType, registerEnumType } from 'type-graphql';
import { RunStatus } from './run-status';
import { JSONScalar } from '../common/json-scalar';
import { RunArchivedFilter } from './run-management.input';
import { ReproducibilityInput } from './reproducibility.input';

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

registerEnumType(RunOrderField, {
  name: 'RunOrderField',
  description: 'A run column the runs query sorts on (ties break on the run id).',
  valuesConfig: {
    CREATED_AT: { description: 'When the run was created.' },
    NAME: {
      description: 'The run name (code-point order on SQLite, collation order on PostgreSQL).',
    },
    STATUS: { description: 'The status name (COMPLETED < FAILED < QUEUED < RUNNING).' },
  },
});
registerEnumType(SortDirection, {
  name: 'SortDirection',
  description: 'Sort direction.',
  valuesConfig: {
    ASC: { description: 'Smallest first.' },
    DESC: { description: 'Largest first.' },
  },
});

/** Filter of the runs query (all conditions combined with AND). */
@InputType({ description: 'Filter of the runs query: every field given must hold (AND).' })
export class RunFilter {
  @Field(() => [String], {
    nullable: true,
    description:
      'Runs of these projects (names; at most 100). A name the caller cannot read matches nothing.',
  })
  projects?: string[] | null;

  @Field(() => [RunStatus], {
    nullable: true,
    description: 'Runs in one of these states (at most 10).',
  })
  statuses?: RunStatus[] | null;

  @Field(() => [ID], {
    nullable: true,
    description:
      'These runs (at most 500 ids). An id naming no run the caller may read fails the query with NOT_FOUND naming it.',
  })
  ids?: string[] | null;

  @Field(() => String, {
    nullable: true,
    description:
      'Query language, ANDed with the other fields, e.g. `hp.lr < 0.01 and (best.val_accuracy >= 0.9 or tag = "baseline")`. ' +
      'AND/OR/NOT (also &&, ||, !; NOT > AND > OR), parentheses, = != < <= > >= and ~ (case-insensitive substring) on ' +
      'hp.<name>, best.<metric> (min for names containing "loss" or "error", else max), final.<metric> (value at the last step), ' +
      'repro.<field> (Run.reproducibility: git.commit, git.dirty, git.branch, host, os.platform, os.release, os.arch, node, tfjs, backend, dataset.sha256, config.path, config.sha256; ' +
      'git.<x> is short for repro.git.<x>; git.commit = "abc1234" matches a commit starting with those 7+ hex digits), ' +
      'tag, status, project, name, created/started/ended (ISO dates; a date-only literal is its whole UTC day) and duration (seconds). ' +
      'Literals: numbers, "double-quoted strings", true/false. Errors: QUERY_SYNTAX_ERROR with line, column and offset. ' +
      'Limits: 10,000 characters, 32 levels of parentheses and NOT, 256 comparisons, 32 different metrics.',
  })
  query?: string | null;

  @Field(() => RunArchivedFilter, {
    nullable: true,
    description:
      'Archived runs (archiveRun): ACTIVE (the default, even when ids are given), ARCHIVED or ALL. run(id) finds archived runs whatever this says.',
  })
  archived?: RunArchivedFilter | null;
}

/** What the runs query sorts on: exactly one of `field` and `key` (a one-of input). */
@InputType({
  description:
    'What the runs query sorts on: exactly one of field and key (@oneOf; giving both or neither fails validation).',
})
export class RunSortKey {
  @Field(() => RunOrderField, { nullable: true, description: 'A run column.' })
  field?: RunOrderField | null;

  @Field(() => String, {
    nullable: true,
    description:
      'Any query-language field: best.<metric>, final.<metric>, hp.<name>, created, started, ended, name, status, project, duration ' +
      '(not tag). Runs without a value come last in both directions; numbers sort before text; text compares on its first 256 characters. ' +
      'At most 10,000 characters.',
  })
  key?: string | null;
}

/** Sort of the runs query. */
@InputType({ description: 'Sort of the runs query. Default: CREATED_AT DESC.' })
export class RunOrder {
  @Field(() => RunSortKey, { description: 'What to sort on.' })
  by!: RunSortKey;

  @Field(() => SortDirection, {
    description: 'ASC or DESC; the run id breaks ties in the same direction.',
  })
  direction!: SortDirection;
}

/** Input of createRun. */
@InputType({ description: 'A new run (createRun).' })
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

  @Field(() => ReproducibilityInput, {
    nullable: true,
    description:
      'How the run was made (config, git state, command line, host, versions, dataset fingerprint); at most 512 KiB serialised. Read back as Run.reproducibility.',
  })
  reproducibility?: ReproducibilityInput | null;
}

/** The schema's one-of inputs (type-graphql cannot declare @oneOf): RunSortKey here, EvaluationProbabilitiesInput of evaluation.input.ts. */
const ONE_OF_INPUTS = ['RunSortKey', 'EvaluationProbabilitiesInput'];

/**
 * Marks the one-of input types of a built schema (`@oneOf`: exactly one field, not null), so
 * GraphQL validation itself refuses `{ field, key }` together or neither, before any resolver.
 */
export function markOneOfInputs(schema: GraphQLSchema): GraphQLSchema {
  for (const name of ONE_OF_INPUTS) {
    const type = schema.getType(name);
    if (!isInputObjectType(type)) throw new Error(`one-of input ${name} is not in the schema`);
    type.isOneOf = true;
  }
  return schema;
}
