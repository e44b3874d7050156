// GraphQL inputs and zod rules of run management (updateRun's input, the archived filter, and
// deleteRun's payload): the limits are declared once here and quoted in the descriptions.
import { Field, ID, InputType, Int, ObjectType, registerEnumType } from 'type-graphql';
import { z } from 'zod';
import { check, nameSchema, textSchema } from '../common/limits';
import { badInput } from '../common/errors';

/** Limits of updateRun's input (stricter than createRun's: they are what the dashboard edits). */
export const RUN_EDIT_LIMITS = {
  /** Characters of a run name, after trimming. */
  name: 200,
  /** Tags per run. */
  tags: 50,
  /** Characters of one tag, after trimming. */
  tag: 64,
  /** Characters (UTF-16 code units) of the notes. */
  notesChars: 10_000,
} as const;

/** Which runs a runs list shows with respect to archiving. */
export enum RunArchivedFilter {
  ACTIVE = 'ACTIVE',
  ARCHIVED = 'ARCHIVED',
  ALL = 'ALL',
}

registerEnumType(RunArchivedFilter, {
  name: 'RunArchivedFilter',
  description: 'Which runs a runs list shows with respect to archiving (archiveRun).',
  valuesConfig: {
    ACTIVE: { description: 'Only runs that are not archived (the default).' },
    ARCHIVED: { description: 'Only archived runs.' },
    ALL: { description: 'Archived and active runs.' },
  },
});

/** A partial edit of a run (updateRun): an omitted field is left unchanged. */
@InputType({
  description:
    'A partial edit of a run (updateRun): an omitted field is left unchanged; at least one field must be given.',
})
export class UpdateRunInput {
  @Field(() => String, {
    nullable: true,
    description: `New name: trimmed, 1-${RUN_EDIT_LIMITS.name} characters, no control, bidirectional-control or invisible characters; null is refused.`,
  })
  name?: string | null;

  @Field(() => [String], {
    nullable: true,
    description: `New tags, replacing the old: at most ${RUN_EDIT_LIMITS.tags} tags of 1-${RUN_EDIT_LIMITS.tag} characters (trimmed; duplicates dropped); [] clears them, null is refused.`,
  })
  tags?: string[] | null;

  @Field(() => String, {
    nullable: true,
    description: `New notes (plain text, markdown allowed; shown as text, never as HTML): at most ${RUN_EDIT_LIMITS.notesChars.toLocaleString('en-US')} characters, no NUL; null or "" clears them.`,
  })
  notes?: string | null;
}

/** updateRun's input once checked: the columns to write. */
export interface RunEdit {
  name?: string;
  /** The tags as stored (JSON text). */
  tags?: string;
  notes?: string | null;
}

/** Notes: at most {@link RUN_EDIT_LIMITS.notesChars} characters (checked first), then no NUL. */
const notesSchema = z.string({ error: 'input.notes must be a string' }).superRefine((s, ctx) => {
  if (s.length > RUN_EDIT_LIMITS.notesChars)
    return ctx.addIssue({
      code: 'custom',
      message: `input.notes is ${s.length.toLocaleString('en-US')} characters long; the limit is ${RUN_EDIT_LIMITS.notesChars.toLocaleString('en-US')}`,
      params: { limit: RUN_EDIT_LIMITS.notesChars, found: s.length },
      input: s,
    });
  const text = textSchema('input.notes', 3 * RUN_EDIT_LIMITS.notesChars).safeParse(s);
  if (!text.success)
    ctx.addIssue({
      code: 'custom',
      message: text.error.issues[0]?.message ?? 'input.notes is invalid',
      params: { found: 'U+0000' },
      input: s,
    });
});

/**
 * Checks updateRun's input against {@link RUN_EDIT_LIMITS}.
 * @returns the columns to write
 * @throws BAD_USER_INPUT naming the field (`input.name`, `input.tags[i]`, `input.notes`)
 */
export function parseRunEdit(input: UpdateRunInput): RunEdit {
  const edit: RunEdit = {};
  if (input.name !== undefined) {
    if (input.name === null) throw badInput('input.name may not be null', { field: 'input.name' });
    edit.name = check(nameSchema('input.name', RUN_EDIT_LIMITS.name), input.name, 'input.name');
  }
  if (input.tags !== undefined) {
    if (input.tags === null)
      throw badInput('input.tags may not be null (send [] to clear them)', {
        field: 'input.tags',
      });
    if (input.tags.length > RUN_EDIT_LIMITS.tags)
      throw badInput(
        `input.tags has ${input.tags.length.toLocaleString('en-US')} items; the limit is ${RUN_EDIT_LIMITS.tags}`,
        { field: 'input.tags', limit: RUN_EDIT_LIMITS.tags, found: input.tags.length },
      );
    const tags = input.tags.map((t, i) =>
      check(nameSchema(`input.tags[${i}]`, RUN_EDIT_LIMITS.tag), t, 'input.tags'),
    );
    edit.tags = JSON.stringify([...new Set(tags)]);
  }
  if (input.notes !== undefined) {
    const notes = input.notes === null ? '' : check(notesSchema, input.notes, 'input.notes');
    edit.notes = notes === '' ? null : notes;
  }
  return edit;
}

/** What deleteRun removed. */
@ObjectType({ description: 'What deleteRun removed.' })
export class DeletedRun {
  @Field(() => ID, { description: 'The id of the deleted run (it names nothing any more).' })
  id!: string;

  @Field(() => String, {
    description: 'Name of the project the run belonged to (where a client goes next).',
  })
  projectName!: string;

  @Field(() => Int, {
    description:
      'Artifact rows deleted with the run (its metrics, evaluations, uncertainty results and explanation jobs went too).',
  })
  artifactsDeleted!: number;

  @Field(() => Int, {
    description:
      'Blobs removed from the artifact store: those of the run no other artifact or explanation job still references (the store is content-addressed, so identical files are shared between runs).',
  })
  blobsRemoved!: number;
}
