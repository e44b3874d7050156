/**
 * PROJECTION jobs (requestProjection): the run's embedding projector, computed on demand and
 * stored as run artifacts. Placeholder until the projector's handler lands: it fails the job
 * with a message that says so.
 */
import type { JobHandler } from './types';

/** The PROJECTION handler. */
export const projectionHandler: JobHandler = {
  kind: 'PROJECTION',
  handle(job) {
    return Promise.reject(
      new Error(
        `PROJECTION jobs are not implemented yet in this explain worker (job ${job.id}, run ${job.runId})`,
      ),
    );
  },
};
