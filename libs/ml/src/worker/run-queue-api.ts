/**
 * The worker side of the job queue's GraphQL protocol (registerWorker, claimJob,
 * heartbeatWorker, completeJob, failJob, acknowledgeCancel; see docs/queue.md): one typed call
 * per mutation, behind {@link WorkerQueueApi} so the worker loop is tested with a fake client.
 */
import { createGraphqlClient, type GraphqlClient } from '../tracking/graphql-client';
import { graphql } from '../tracking/gql';

/** What a job asks a worker to do. */
export type QueueJobKind = 'TRAIN' | 'EXPLAIN';

/** What a worker tells the API about itself when it starts. */
export interface WorkerRegistration {
  /** Display name (default `<host>-<pid>`). */
  name: string;
  host: string;
  /** The TF.js backend it trains on (selectBackend). */
  backend: string;
  gpu: boolean;
  memoryMb: number;
  /** Jobs it runs at once. */
  concurrency: number;
  kinds: QueueJobKind[];
}

/** A job delivered to this worker alone, with its lease. */
export interface ClaimedQueueJob {
  id: string;
  kind: QueueJobKind;
  /** The queued run a TRAIN job trains into. */
  runId?: string | null;
  /** 1 for the first delivery; higher when a dead or failed attempt is retried. */
  attempt: number;
  /** ISO time the lease ends unless a heartbeat extends it. */
  leaseExpiresAt: string;
  /** TRAIN: `{ projectId, runId, runName, config, hyperparameters, resumeFromArtifactId }`. */
  payload: unknown;
}

/** What a worker heartbeat answers: the jobs to stop and the extended lease. */
export interface WorkerBeat {
  cancelJobIds: string[];
  leaseExpiresAt: string;
}

/** How a claim waits for a job (claimJob's long-poll). */
export interface ClaimWaitOptions {
  /** Seconds the API waits for a fitting job when none is queued (0-25; 0: answer at once). */
  waitSeconds?: number;
  /** Ends the claim early (the API stops waiting when the request closes). */
  signal?: AbortSignal;
}

/** The protocol's calls, as the worker loop uses them. */
export interface WorkerQueueApi {
  /** Registers the worker; returns its id. */
  register(input: WorkerRegistration): Promise<string>;
  /** One job that fits the worker, or null (after waiting up to `options.waitSeconds`). */
  claim(
    workerId: string,
    kinds: readonly QueueJobKind[],
    options?: ClaimWaitOptions,
  ): Promise<ClaimedQueueJob | null>;
  /** Extends the leases of `jobIds`; says which of them were cancelled. */
  heartbeat(workerId: string, jobIds: readonly string[]): Promise<WorkerBeat>;
  complete(workerId: string, jobId: string): Promise<void>;
  /** `retryable` false: the job can never succeed (bad config); the run fails at once. */
  fail(workerId: string, jobId: string, error: string, retryable: boolean): Promise<void>;
  /** The job stopped after a cancel: the run ends CANCELLED. */
  acknowledgeCancel(workerId: string, jobId: string): Promise<void>;
}

const REGISTER = graphql(`
  mutation RegisterQueueWorker($input: RegisterWorkerInput!) {
    registerWorker(input: $input) {
      id
    }
  }
`);

const CLAIM = graphql(`
  mutation ClaimQueueJob($workerId: ID!, $kinds: [JobKind!], $waitSeconds: Int) {
    claimJob(workerId: $workerId, kinds: $kinds, waitSeconds: $waitSeconds) {
      id
      kind
      runId
      attempt
      leaseExpiresAt
      payload
    }
  }
`);

const HEARTBEAT = graphql(`
  mutation HeartbeatQueueWorker($workerId: ID!, $jobIds: [ID!]!) {
    heartbeatWorker(workerId: $workerId, jobIds: $jobIds) {
      cancelJobIds
      leaseExpiresAt
    }
  }
`);

const COMPLETE = graphql(`
  mutation CompleteQueueJob($workerId: ID!, $jobId: ID!) {
    completeJob(workerId: $workerId, jobId: $jobId)
  }
`);

const FAIL = graphql(`
  mutation FailQueueJob($workerId: ID!, $jobId: ID!, $error: String!, $retryable: Boolean) {
    failJob(workerId: $workerId, jobId: $jobId, error: $error, retryable: $retryable)
  }
`);

const ACK_CANCEL = graphql(`
  mutation AcknowledgeQueueCancel($workerId: ID!, $jobId: ID!) {
    acknowledgeCancel(workerId: $workerId, jobId: $jobId)
  }
`);

/** Longest error text sent with failJob (the rest is cut; the worker's log has it whole). */
const MAX_ERROR_CHARS = 4000;

/** Margin of a waiting claim's HTTP timeout over its wait (a loaded API answers late). */
const CLAIM_TIMEOUT_MARGIN_MS = 15_000;

/**
 * The client of one waiting claim: the same API, key and retries, a timeout above the wait and
 * the claim's own abort signal (the shared client's signal, if any, is not carried over).
 */
function claimClient(client: GraphqlClient, options: ClaimWaitOptions): GraphqlClient {
  const waitMs = (options.waitSeconds ?? 0) * 1000;
  if (waitMs === 0 && !options.signal) return client;
  return createGraphqlClient({
    apiUrl: client.baseUrl,
    credentials: client.credentials,
    retry: client.retry,
    timeoutMs: Math.max(client.timeoutMs, waitMs + CLAIM_TIMEOUT_MARGIN_MS),
    signal: options.signal,
  });
}

/** The protocol over a GraphQL client (its retries ride out short API outages). */
export function graphqlQueueApi(client: GraphqlClient): WorkerQueueApi {
  return {
    async register(input) {
      const data = await client.request(REGISTER, { input });
      return data.registerWorker.id;
    },
    async claim(workerId, kinds, options = {}) {
      const data = await claimClient(client, options).request(CLAIM, {
        workerId,
        kinds: [...kinds],
        ...(options.waitSeconds ? { waitSeconds: options.waitSeconds } : {}),
      });
      return data.claimJob ?? null;
    },
    async heartbeat(workerId, jobIds) {
      const data = await client.request(HEARTBEAT, { workerId, jobIds: [...jobIds] });
      return data.heartbeatWorker;
    },
    async complete(workerId, jobId) {
      await client.request(COMPLETE, { workerId, jobId });
    },
    async fail(workerId, jobId, error, retryable) {
      await client.request(FAIL, {
        workerId,
        jobId,
        error: error.slice(0, MAX_ERROR_CHARS),
        retryable,
      });
    },
    async acknowledgeCancel(workerId, jobId) {
      await client.request(ACK_CANCEL, { workerId, jobId });
    },
  };
}
