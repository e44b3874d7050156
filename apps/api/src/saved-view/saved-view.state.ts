// The shape and limits of a saved view's state: one zod schema, decorator-free so the service
// (loaded by common/context.ts, see schema-loader.ts) can import it.
import { z } from 'zod';

/** Most views one project may hold (saveView of a new name beyond it: BAD_USER_INPUT). */
export const MAX_VIEWS_PER_PROJECT = 100;
/** Most bytes of a view's state, serialised as JSON. */
export const MAX_VIEW_STATE_BYTES = 16 * 1024;
/** Longest view name, in characters (after trimming). */
export const MAX_VIEW_NAME = 100;

/** A runs-table column key: `hp.<name>`, `best.<metric>`, `last.<metric>` or a built-in key. */
const columnKey = z.string().min(1).max(300);

/** The saved state of a runs-table view; unknown keys are refused (a typo would be lost silently). */
export const savedViewStateSchema = z
  .object({
    /** Query-language text, as typed in the query box. */
    query: z.string().max(4000).nullable().optional(),
    /** Status filter. */
    status: z.enum(['QUEUED', 'RUNNING', 'COMPLETED', 'FAILED', 'CANCELLED']).nullable().optional(),
    /** Column keys in display order. */
    columns: z.array(columnKey).max(200).optional(),
    /** Sort: a column key or query-language key, and its direction. */
    sort: z
      .object({ key: columnKey, dir: z.enum(['asc', 'desc']) })
      .strict()
      .nullable()
      .optional(),
    /** Hyperparameter name the rows are grouped by. */
    groupBy: z.string().min(1).max(300).nullable().optional(),
  })
  .strict();

/** A validated view state. */
export type SavedViewState = z.infer<typeof savedViewStateSchema>;
