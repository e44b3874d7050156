/**
 * The embedding projector as the dashboard reads it: the artifact's URL, the links a point opens,
 * and the requestProjection mutation with the job it polls. The documents are written by hand as
 * TypedDocumentStrings (like `rocQuery`) and checked against apps/api/schema.graphql by
 * projector.test.ts.
 */
import { TypedDocumentString } from './gql/graphql';

/** Name of the artifact libs/ml's projector stores. */
export const PROJECTOR_ARTIFACT = 'projector.json';

/** True when a run's artifact list holds the projector (asked before fetching: no 404 in the console). */
export function hasProjector(artifacts: readonly { name: string }[]): boolean {
  return artifacts.some((a) => a.name === PROJECTOR_ARTIFACT);
}

/** Same-origin URL of a run's projector artifact. */
export function projectorArtifactUrl(runId: string): string {
  return `/runs/${encodeURIComponent(runId)}/artifacts/${PROJECTOR_ARTIFACT}`;
}

/** The run's projector page. */
export function projectorPageHref(runId: string): string {
  return `/runs/${encodeURIComponent(runId)}/projector`;
}

/** The explanations of one test sample of a run. */
export function sampleExplainHref(runId: string, sample: number): string {
  return `/runs/${encodeURIComponent(runId)}/explain?sample=${sample}`;
}

/** The side-by-side projector of two runs. */
export function compareProjectorHref(a: string, b: string): string {
  return `/compare/projector?a=${encodeURIComponent(a)}&b=${encodeURIComponent(b)}`;
}

/** An explanation job as the projector polls it. */
export interface ProjectionJob {
  id: string;
  status: 'QUEUED' | 'RUNNING' | 'DONE' | 'FAILED';
  error?: string | null;
}

/** Queues the run's projector for an explain worker (or returns the job already queued). */
export const REQUEST_PROJECTION_MUTATION = new TypedDocumentString<
  { requestProjection: ProjectionJob },
  { runId: string; force: boolean }
>(`
  mutation RequestProjection($runId: ID!, $force: Boolean!) {
    requestProjection(runId: $runId, force: $force) {
      id
      status
      error
    }
  }
`);

/** One poll of a projection job. */
export const PROJECTION_JOB_QUERY = new TypedDocumentString<
  { explanationJob: ProjectionJob | null },
  { id: string }
>(`
  query ProjectionJob($id: ID!) {
    explanationJob(id: $id) {
      id
      status
      error
    }
  }
`);
