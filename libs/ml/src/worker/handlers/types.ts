/** What a job handler of the explain worker gets and gives (one handler per job kind). */
import type * as tf from '@tensorflow/tfjs';
import type { GraphqlClient } from '../../tracking/graphql-client';
import type { ClaimJobMutation } from '../../tracking/gql/graphql';

/** A job as claimed (`params` still unchecked JSON). */
export type ClaimedJob = NonNullable<ClaimJobMutation['claimExplanationJob']>;

/** Kinds of job (the schema's ExplanationJobKind). */
export type JobKind = ClaimedJob['kind'];

/** A run's stored model as the worker holds it. */
export interface LoadedModel {
  /** model.json and weights hashes: a new upload makes a new key. */
  key: string;
  model: tf.LayersModel;
  /** Display names by class index (may be shorter than the output). */
  classNames: string[];
}

/** What the worker lends a handler. */
export interface JobContext {
  /** The worker's API client (GraphQL and HTTP with its key). */
  client: GraphqlClient;
  /** The run's stored model, loaded once and kept by the worker (do not dispose it). */
  model(runId: string): Promise<LoadedModel>;
  /** Progress lines. */
  log(line: string): void;
}

/** What a handler returns: the job's result (a JSON object) and a few words for the log. */
export interface HandlerOutput {
  result: Record<string, unknown>;
  summary: string;
}

/** Computes the jobs of one kind. */
export interface JobHandler {
  kind: JobKind;
  /**
   * Computes the job's result; throwing fails the job with the error's message (say what is
   * wrong and what to do). Must dispose every tensor it creates.
   */
  handle(job: ClaimedJob, context: JobContext): Promise<HandlerOutput>;
}
