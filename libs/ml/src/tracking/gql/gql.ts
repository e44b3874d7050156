/* eslint-disable */
import * as types from './graphql';



/**
 * Map of all GraphQL operations in the project.
 *
 * This map has several performance disadvantages:
 * 1. It is not tree-shakeable, so it will include all operations in the project.
 * 2. It is not minifiable, so the string of a GraphQL query will be multiple times inside the bundle.
 * 3. It does not support dead code elimination, so it will add unused operations.
 *
 * Therefore it is highly recommended to use the babel or swc plugin for production.
 * Learn more about it here: https://the-guild.dev/graphql/codegen/plugins/presets/preset-client#reducing-bundle-size
 */
type Documents = {
    "\n  query RunForEvaluation($id: ID!) {\n    run(id: $id) {\n      id\n      status\n      datasetInfo\n      modelJson: artifact(name: \"model.json\") {\n        url\n      }\n      testSamples: artifact(name: \"test-samples.bin\") {\n        name\n      }\n    }\n  }\n": typeof types.RunForEvaluationDocument,
    "\n  query StoredRun($id: ID!) {\n    run(id: $id) {\n      id\n      status\n      datasetInfo\n      modelJson: artifact(name: \"model.json\") {\n        url\n      }\n      # The value of EXPLANATION_INDEX_NAME: a typed document cannot interpolate a constant.\n      packIndex: artifact(name: \"explain.index.json\") {\n        name\n      }\n    }\n  }\n": typeof types.StoredRunDocument,
    "\n  mutation Beat($id: ID!) {\n    heartbeat(id: $id) {\n      id\n    }\n  }\n": typeof types.BeatDocument,
    "\n  mutation CreateRun($input: CreateRunInput!) {\n    createRun(input: $input) {\n      id\n      name\n      status\n    }\n  }\n": typeof types.CreateRunDocument,
    "\n  mutation StartQueuedRun($id: ID!, $backend: String, $backendReason: String) {\n    startRun(id: $id, backend: $backend, backendReason: $backendReason) {\n      id\n      name\n      status\n    }\n  }\n": typeof types.StartQueuedRunDocument,
    "\n  mutation StartWorkerRun(\n    $runId: ID!\n    $workerId: ID!\n    $backend: String\n    $backendReason: String\n    $attempt: Int\n  ) {\n    startQueuedRun(\n      runId: $runId\n      workerId: $workerId\n      backend: $backend\n      backendReason: $backendReason\n      attempt: $attempt\n    ) {\n      id\n      name\n      status\n      attempts\n    }\n  }\n": typeof types.StartWorkerRunDocument,
    "\n  query TrackedRun($id: ID!) {\n    run(id: $id) {\n      id\n      name\n    }\n  }\n": typeof types.TrackedRunDocument,
    "\n  mutation LogMetrics($runId: ID!, $points: [MetricPointInput!]!, $attempt: Int) {\n    logMetrics(runId: $runId, points: $points, attempt: $attempt) {\n      accepted\n      duplicates\n    }\n  }\n": typeof types.LogMetricsDocument,
    "\n  mutation LogMetricSeries($runId: ID!, $series: [MetricSeriesInput!]!, $attempt: Int) {\n    logMetricSeries(runId: $runId, series: $series, attempt: $attempt) {\n      accepted\n      duplicates\n    }\n  }\n": typeof types.LogMetricSeriesDocument,
    "\n  mutation LogEvaluation($runId: ID!, $input: EvaluationInput!) {\n    logEvaluation(runId: $runId, input: $input) {\n      id\n      accuracy\n      numSamples\n    }\n  }\n": typeof types.LogEvaluationDocument,
    "\n  mutation LogUncertainty($runId: ID!, $input: UncertaintyInput!) {\n    logUncertainty(runId: $runId, input: $input) {\n      id\n      accuracy\n      numSamples\n      meanEntropy\n      meanMutualInformation\n    }\n  }\n": typeof types.LogUncertaintyDocument,
    "\n  mutation FinishRun($id: ID!, $status: FinalRunStatus!, $error: String) {\n    finishRun(id: $id, status: $status, error: $error) {\n      id\n      status\n    }\n  }\n": typeof types.FinishRunDocument,
    "\n  mutation ClaimJob($w: String!, $kinds: [ExplanationJobKind!]) {\n    claimExplanationJob(workerId: $w, kinds: $kinds) {\n      id\n      runId\n      kind\n      params\n      claimToken\n    }\n  }\n": typeof types.ClaimJobDocument,
    "\n  mutation CompleteJob($id: ID!, $t: String!, $r: JSON!) {\n    completeExplanationJob(id: $id, claimToken: $t, result: $r) {\n      id\n    }\n  }\n": typeof types.CompleteJobDocument,
    "\n  mutation FailJob($id: ID!, $t: String!, $e: String!) {\n    failExplanationJob(id: $id, claimToken: $t, error: $e) {\n      id\n    }\n  }\n": typeof types.FailJobDocument,
    "\n  query ExplainedRun($id: ID!) {\n    run(id: $id) {\n      id\n      datasetInfo\n      evaluation {\n        classNames\n      }\n      modelJson: artifact(name: \"model.json\") {\n        sha256\n        url\n      }\n      weights: artifact(name: \"weights.bin\") {\n        sha256\n      }\n    }\n  }\n": typeof types.ExplainedRunDocument,
    "\n  mutation RegisterQueueWorker($input: RegisterWorkerInput!) {\n    registerWorker(input: $input) {\n      id\n    }\n  }\n": typeof types.RegisterQueueWorkerDocument,
    "\n  mutation ClaimQueueJob($workerId: ID!, $kinds: [JobKind!], $waitSeconds: Int) {\n    claimJob(workerId: $workerId, kinds: $kinds, waitSeconds: $waitSeconds) {\n      id\n      kind\n      runId\n      attempt\n      leaseExpiresAt\n      payload\n    }\n  }\n": typeof types.ClaimQueueJobDocument,
    "\n  mutation HeartbeatQueueWorker($workerId: ID!, $jobIds: [ID!]!) {\n    heartbeatWorker(workerId: $workerId, jobIds: $jobIds) {\n      cancelJobIds\n      leaseExpiresAt\n    }\n  }\n": typeof types.HeartbeatQueueWorkerDocument,
    "\n  mutation CompleteQueueJob($workerId: ID!, $jobId: ID!) {\n    completeJob(workerId: $workerId, jobId: $jobId)\n  }\n": typeof types.CompleteQueueJobDocument,
    "\n  mutation FailQueueJob($workerId: ID!, $jobId: ID!, $error: String!, $retryable: Boolean) {\n    failJob(workerId: $workerId, jobId: $jobId, error: $error, retryable: $retryable)\n  }\n": typeof types.FailQueueJobDocument,
    "\n  mutation AcknowledgeQueueCancel($workerId: ID!, $jobId: ID!) {\n    acknowledgeCancel(workerId: $workerId, jobId: $jobId)\n  }\n": typeof types.AcknowledgeQueueCancelDocument,
};
const documents: Documents = {
    "\n  query RunForEvaluation($id: ID!) {\n    run(id: $id) {\n      id\n      status\n      datasetInfo\n      modelJson: artifact(name: \"model.json\") {\n        url\n      }\n      testSamples: artifact(name: \"test-samples.bin\") {\n        name\n      }\n    }\n  }\n": types.RunForEvaluationDocument,
    "\n  query StoredRun($id: ID!) {\n    run(id: $id) {\n      id\n      status\n      datasetInfo\n      modelJson: artifact(name: \"model.json\") {\n        url\n      }\n      # The value of EXPLANATION_INDEX_NAME: a typed document cannot interpolate a constant.\n      packIndex: artifact(name: \"explain.index.json\") {\n        name\n      }\n    }\n  }\n": types.StoredRunDocument,
    "\n  mutation Beat($id: ID!) {\n    heartbeat(id: $id) {\n      id\n    }\n  }\n": types.BeatDocument,
    "\n  mutation CreateRun($input: CreateRunInput!) {\n    createRun(input: $input) {\n      id\n      name\n      status\n    }\n  }\n": types.CreateRunDocument,
    "\n  mutation StartQueuedRun($id: ID!, $backend: String, $backendReason: String) {\n    startRun(id: $id, backend: $backend, backendReason: $backendReason) {\n      id\n      name\n      status\n    }\n  }\n": types.StartQueuedRunDocument,
    "\n  mutation StartWorkerRun(\n    $runId: ID!\n    $workerId: ID!\n    $backend: String\n    $backendReason: String\n    $attempt: Int\n  ) {\n    startQueuedRun(\n      runId: $runId\n      workerId: $workerId\n      backend: $backend\n      backendReason: $backendReason\n      attempt: $attempt\n    ) {\n      id\n      name\n      status\n      attempts\n    }\n  }\n": types.StartWorkerRunDocument,
    "\n  query TrackedRun($id: ID!) {\n    run(id: $id) {\n      id\n      name\n    }\n  }\n": types.TrackedRunDocument,
    "\n  mutation LogMetrics($runId: ID!, $points: [MetricPointInput!]!, $attempt: Int) {\n    logMetrics(runId: $runId, points: $points, attempt: $attempt) {\n      accepted\n      duplicates\n    }\n  }\n": types.LogMetricsDocument,
    "\n  mutation LogMetricSeries($runId: ID!, $series: [MetricSeriesInput!]!, $attempt: Int) {\n    logMetricSeries(runId: $runId, series: $series, attempt: $attempt) {\n      accepted\n      duplicates\n    }\n  }\n": types.LogMetricSeriesDocument,
    "\n  mutation LogEvaluation($runId: ID!, $input: EvaluationInput!) {\n    logEvaluation(runId: $runId, input: $input) {\n      id\n      accuracy\n      numSamples\n    }\n  }\n": types.LogEvaluationDocument,
    "\n  mutation LogUncertainty($runId: ID!, $input: UncertaintyInput!) {\n    logUncertainty(runId: $runId, input: $input) {\n      id\n      accuracy\n      numSamples\n      meanEntropy\n      meanMutualInformation\n    }\n  }\n": types.LogUncertaintyDocument,
    "\n  mutation FinishRun($id: ID!, $status: FinalRunStatus!, $error: String) {\n    finishRun(id: $id, status: $status, error: $error) {\n      id\n      status\n    }\n  }\n": types.FinishRunDocument,
    "\n  mutation ClaimJob($w: String!, $kinds: [ExplanationJobKind!]) {\n    claimExplanationJob(workerId: $w, kinds: $kinds) {\n      id\n      runId\n      kind\n      params\n      claimToken\n    }\n  }\n": types.ClaimJobDocument,
    "\n  mutation CompleteJob($id: ID!, $t: String!, $r: JSON!) {\n    completeExplanationJob(id: $id, claimToken: $t, result: $r) {\n      id\n    }\n  }\n": types.CompleteJobDocument,
    "\n  mutation FailJob($id: ID!, $t: String!, $e: String!) {\n    failExplanationJob(id: $id, claimToken: $t, error: $e) {\n      id\n    }\n  }\n": types.FailJobDocument,
    "\n  query ExplainedRun($id: ID!) {\n    run(id: $id) {\n      id\n      datasetInfo\n      evaluation {\n        classNames\n      }\n      modelJson: artifact(name: \"model.json\") {\n        sha256\n        url\n      }\n      weights: artifact(name: \"weights.bin\") {\n        sha256\n      }\n    }\n  }\n": types.ExplainedRunDocument,
    "\n  mutation RegisterQueueWorker($input: RegisterWorkerInput!) {\n    registerWorker(input: $input) {\n      id\n    }\n  }\n": types.RegisterQueueWorkerDocument,
    "\n  mutation ClaimQueueJob($workerId: ID!, $kinds: [JobKind!], $waitSeconds: Int) {\n    claimJob(workerId: $workerId, kinds: $kinds, waitSeconds: $waitSeconds) {\n      id\n      kind\n      runId\n      attempt\n      leaseExpiresAt\n      payload\n    }\n  }\n": types.ClaimQueueJobDocument,
    "\n  mutation HeartbeatQueueWorker($workerId: ID!, $jobIds: [ID!]!) {\n    heartbeatWorker(workerId: $workerId, jobIds: $jobIds) {\n      cancelJobIds\n      leaseExpiresAt\n    }\n  }\n": types.HeartbeatQueueWorkerDocument,
    "\n  mutation CompleteQueueJob($workerId: ID!, $jobId: ID!) {\n    completeJob(workerId: $workerId, jobId: $jobId)\n  }\n": types.CompleteQueueJobDocument,
    "\n  mutation FailQueueJob($workerId: ID!, $jobId: ID!, $error: String!, $retryable: Boolean) {\n    failJob(workerId: $workerId, jobId: $jobId, error: $error, retryable: $retryable)\n  }\n": types.FailQueueJobDocument,
    "\n  mutation AcknowledgeQueueCancel($workerId: ID!, $jobId: ID!) {\n    acknowledgeCancel(workerId: $workerId, jobId: $jobId)\n  }\n": types.AcknowledgeQueueCancelDocument,
};

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query RunForEvaluation($id: ID!) {\n    run(id: $id) {\n      id\n      status\n      datasetInfo\n      modelJson: artifact(name: \"model.json\") {\n        url\n      }\n      testSamples: artifact(name: \"test-samples.bin\") {\n        name\n      }\n    }\n  }\n"): typeof import('./graphql').RunForEvaluationDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query StoredRun($id: ID!) {\n    run(id: $id) {\n      id\n      status\n      datasetInfo\n      modelJson: artifact(name: \"model.json\") {\n        url\n      }\n      # The value of EXPLANATION_INDEX_NAME: a typed document cannot interpolate a constant.\n      packIndex: artifact(name: \"explain.index.json\") {\n        name\n      }\n    }\n  }\n"): typeof import('./graphql').StoredRunDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation Beat($id: ID!) {\n    heartbeat(id: $id) {\n      id\n    }\n  }\n"): typeof import('./graphql').BeatDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation CreateRun($input: CreateRunInput!) {\n    createRun(input: $input) {\n      id\n      name\n      status\n    }\n  }\n"): typeof import('./graphql').CreateRunDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation StartQueuedRun($id: ID!, $backend: String, $backendReason: String) {\n    startRun(id: $id, backend: $backend, backendReason: $backendReason) {\n      id\n      name\n      status\n    }\n  }\n"): typeof import('./graphql').StartQueuedRunDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation StartWorkerRun(\n    $runId: ID!\n    $workerId: ID!\n    $backend: String\n    $backendReason: String\n    $attempt: Int\n  ) {\n    startQueuedRun(\n      runId: $runId\n      workerId: $workerId\n      backend: $backend\n      backendReason: $backendReason\n      attempt: $attempt\n    ) {\n      id\n      name\n      status\n      attempts\n    }\n  }\n"): typeof import('./graphql').StartWorkerRunDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query TrackedRun($id: ID!) {\n    run(id: $id) {\n      id\n      name\n    }\n  }\n"): typeof import('./graphql').TrackedRunDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation LogMetrics($runId: ID!, $points: [MetricPointInput!]!, $attempt: Int) {\n    logMetrics(runId: $runId, points: $points, attempt: $attempt) {\n      accepted\n      duplicates\n    }\n  }\n"): typeof import('./graphql').LogMetricsDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation LogMetricSeries($runId: ID!, $series: [MetricSeriesInput!]!, $attempt: Int) {\n    logMetricSeries(runId: $runId, series: $series, attempt: $attempt) {\n      accepted\n      duplicates\n    }\n  }\n"): typeof import('./graphql').LogMetricSeriesDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation LogEvaluation($runId: ID!, $input: EvaluationInput!) {\n    logEvaluation(runId: $runId, input: $input) {\n      id\n      accuracy\n      numSamples\n    }\n  }\n"): typeof import('./graphql').LogEvaluationDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation LogUncertainty($runId: ID!, $input: UncertaintyInput!) {\n    logUncertainty(runId: $runId, input: $input) {\n      id\n      accuracy\n      numSamples\n      meanEntropy\n      meanMutualInformation\n    }\n  }\n"): typeof import('./graphql').LogUncertaintyDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation FinishRun($id: ID!, $status: FinalRunStatus!, $error: String) {\n    finishRun(id: $id, status: $status, error: $error) {\n      id\n      status\n    }\n  }\n"): typeof import('./graphql').FinishRunDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ClaimJob($w: String!, $kinds: [ExplanationJobKind!]) {\n    claimExplanationJob(workerId: $w, kinds: $kinds) {\n      id\n      runId\n      kind\n      params\n      claimToken\n    }\n  }\n"): typeof import('./graphql').ClaimJobDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation CompleteJob($id: ID!, $t: String!, $r: JSON!) {\n    completeExplanationJob(id: $id, claimToken: $t, result: $r) {\n      id\n    }\n  }\n"): typeof import('./graphql').CompleteJobDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation FailJob($id: ID!, $t: String!, $e: String!) {\n    failExplanationJob(id: $id, claimToken: $t, error: $e) {\n      id\n    }\n  }\n"): typeof import('./graphql').FailJobDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ExplainedRun($id: ID!) {\n    run(id: $id) {\n      id\n      datasetInfo\n      evaluation {\n        classNames\n      }\n      modelJson: artifact(name: \"model.json\") {\n        sha256\n        url\n      }\n      weights: artifact(name: \"weights.bin\") {\n        sha256\n      }\n    }\n  }\n"): typeof import('./graphql').ExplainedRunDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation RegisterQueueWorker($input: RegisterWorkerInput!) {\n    registerWorker(input: $input) {\n      id\n    }\n  }\n"): typeof import('./graphql').RegisterQueueWorkerDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ClaimQueueJob($workerId: ID!, $kinds: [JobKind!], $waitSeconds: Int) {\n    claimJob(workerId: $workerId, kinds: $kinds, waitSeconds: $waitSeconds) {\n      id\n      kind\n      runId\n      attempt\n      leaseExpiresAt\n      payload\n    }\n  }\n"): typeof import('./graphql').ClaimQueueJobDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation HeartbeatQueueWorker($workerId: ID!, $jobIds: [ID!]!) {\n    heartbeatWorker(workerId: $workerId, jobIds: $jobIds) {\n      cancelJobIds\n      leaseExpiresAt\n    }\n  }\n"): typeof import('./graphql').HeartbeatQueueWorkerDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation CompleteQueueJob($workerId: ID!, $jobId: ID!) {\n    completeJob(workerId: $workerId, jobId: $jobId)\n  }\n"): typeof import('./graphql').CompleteQueueJobDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation FailQueueJob($workerId: ID!, $jobId: ID!, $error: String!, $retryable: Boolean) {\n    failJob(workerId: $workerId, jobId: $jobId, error: $error, retryable: $retryable)\n  }\n"): typeof import('./graphql').FailQueueJobDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation AcknowledgeQueueCancel($workerId: ID!, $jobId: ID!) {\n    acknowledgeCancel(workerId: $workerId, jobId: $jobId)\n  }\n"): typeof import('./graphql').AcknowledgeQueueCancelDocument;


export function graphql(source: string) {
  return (documents as any)[source] ?? {};
}
