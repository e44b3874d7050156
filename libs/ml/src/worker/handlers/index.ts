/**
 * The explain worker's handlers, one per job kind. A new kind of on-demand work: a file here
 * exporting a {@link JobHandler}, added to {@link defaultHandlers} (and the kind to the API's
 * ExplanationJobKind). The worker claims only the kinds it has a handler for.
 */
import { imageHandler } from './image';
import { projectionHandler } from './projection';
import type { JobHandler, JobKind } from './types';

export type {
  ClaimedJob,
  HandlerOutput,
  JobContext,
  JobHandler,
  JobKind,
  LoadedModel,
} from './types';

/** The handlers by kind (a later one of the same kind replaces an earlier one). */
export function handlerRegistry(handlers: readonly JobHandler[]): Map<JobKind, JobHandler> {
  return new Map(handlers.map((h) => [h.kind, h]));
}

/** Every handler this worker ships. */
export function defaultHandlers(): JobHandler[] {
  return [imageHandler, projectionHandler];
}
