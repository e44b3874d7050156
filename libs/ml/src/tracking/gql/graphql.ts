/* eslint-disable */
/** Internal type. DO NOT USE DIRECTLY. */
type Exact<T extends { [key: string]: unknown }> = { [K in keyof T]: T[K] };
/** Internal type. DO NOT USE DIRECTLY. */
export type Incremental<T> = T | { [P in keyof T]?: P extends ' $fragmentName' | '__typename' ? T[P] : never };
import type { DocumentTypeDecoration } from '@graphql-typed-document-node/core';
/** Precision, recall and F1 averaged over the classes. */
export type AveragedMetricsInput = {
  /** Averaged F1, in [0, 1]. */
  f1: number;
  /** Averaged precision, in [0, 1]. */
  precision: number;
  /** Averaged recall, in [0, 1]. */
  recall: number;
};

/** One equal-width confidence bin of the reliability diagram. */
export type CalibrationBinInput = {
  /** Fraction correct; null when the bin is empty. */
  accuracy?: number | null | undefined;
  /** Lower edge of the bin. */
  binLower: number;
  /** Upper edge of the bin. */
  binUpper: number;
  /** Mean top-label confidence; null when the bin is empty. */
  confidence?: number | null | undefined;
  /** Samples in the bin. */
  count: number;
};

/** A new run (createRun). */
export type CreateRunInput = {
  /** At most 200 characters. */
  backend?: string | null | undefined;
  /** At most 16 KiB; no NUL. */
  backendReason?: string | null | undefined;
  /** Idempotency key (1-200 characters, unique per project): a retried createRun returns the same run. */
  clientRequestId?: string | null | undefined;
  /** At most 256 KiB serialised, 32 levels deep. */
  datasetInfo?: unknown;
  /** A JSON object: at most 64 KiB serialised and 32 levels deep. */
  hyperparameters?: unknown;
  /** At most 2 MiB serialised, 32 levels deep. */
  modelSummary?: unknown;
  /** Default: generated. At most 200 characters. */
  name?: string | null | undefined;
  /** At most 64 KiB (UTF-8); no NUL. */
  notes?: string | null | undefined;
  /** Project name; created if missing. Names (project, run, tag, backend): trimmed, 1-200 characters (tags 100), no control, bidirectional-control or invisible characters. */
  project: string;
  /** How the run was made (config, git state, command line, host, versions, dataset fingerprint); at most 512 KiB serialised. Read back as Run.reproducibility. */
  reproducibility?: ReproducibilityInput | null | undefined;
  /** QUEUED (default) or RUNNING. */
  status?: RunStatus | null | undefined;
  /** At most 100 tags of at most 100 characters. */
  tags?: Array<string> | null | undefined;
};

/** Input of logEvaluation: the per-sample labels and probabilities (1-1,000,000 samples, at most 20,000,000 probabilities) plus the report computed from them. */
export type EvaluationInput = {
  /** Class names in class-index order (default "0", "1", ...). */
  classNames?: Array<string> | null | undefined;
  /** Idempotency key: a retry with the same key returns the stored evaluation. */
  clientRequestId?: string | null | undefined;
  /** True class index of each sample. */
  labels: Array<number>;
  /** Number of classes; required with probabilities.flat. */
  numClasses?: number | null | undefined;
  /** The class probabilities of each sample: rows, or flat with numClasses. */
  probabilities: EvaluationProbabilitiesInput;
  /** The report computed from these samples. */
  report: EvaluationReportInput;
  /** Split evaluated (default "test"). */
  split?: string | null | undefined;
};

/** The class probabilities of every sample, in exactly one of two layouts (@oneOf: give rows or flat). */
export type EvaluationProbabilitiesInput =
  {   /** Row-major [numSamples, numClasses] probabilities (compact upload); EvaluationInput.numClasses gives the row length. */
  flat: Array<number>; rows?: never; }
  |  { flat?: never;   /** One probability vector per sample, in sample order. */
  rows: Array<Array<number>>; };

/** The report computed by the client from the samples (libs/ml evaluateClassification); checked against them. */
export type EvaluationReportInput = {
  /** Fraction correct; must equal the samples' accuracy. */
  accuracy: number;
  /** Reliability bins (at most 1000). */
  calibration: Array<CalibrationBinInput>;
  /** numClasses x numClasses counts; rows = true class, columns = predicted. */
  confusionMatrix: Array<Array<number>>;
  /** Expected calibration error of the top-label confidence. */
  ece: number;
  /** Mean cross-entropy of the true class (nats). */
  logLoss: number;
  /** Unweighted mean over classes. */
  macro: AveragedMetricsInput;
  /** One entry per class, in class-index order. */
  perClass: Array<PerClassMetricsInput>;
  /** One-vs-rest ROC curve per class in class-index order; null for a class without positives or negatives. */
  roc?: Array<RocCurveInput | null | undefined> | null | undefined;
  /** Top-k accuracies, any set of k. */
  topK: Array<TopKAccuracyInput>;
  /** Mean over classes weighted by support. */
  weighted: AveragedMetricsInput;
};

/** What an explanation job computes. */
export type ExplanationJobKind =
  /** Explanations of one image: uploaded (POST /runs/{runId}/explain) or a stored sample (explainSample). */
  | 'IMAGE'
  /** The run's embedding projector (requestProjection); the worker stores its files as run artifacts. */
  | 'PROJECTION';

/** The states finishRun may set. */
export type FinalRunStatus =
  /** Training finished successfully (the run must be RUNNING). */
  | 'COMPLETED'
  /** Training failed or was cancelled. */
  | 'FAILED';

/** What a queued job asks a worker to do. */
export type JobKind =
  /** Compute an explanation of a run. */
  | 'EXPLAIN'
  /** Train a queued run (queueRun). */
  | 'TRAIN';

/** One point sent to logMetrics. */
export type MetricPointInput = {
  /** Trimmed, 1-200 characters, no control, bidirectional-control or invisible characters; at most 500 different names per batch. */
  name: string;
  /** 0 to 2,147,483,647. */
  step: number;
  /** Default: now. Between 1970-01-01 and 9999-12-31. */
  time?: string | null | undefined;
  /** A finite number (NaN and Infinity are refused). */
  value: number;
};

/** The points of one metric sent to logMetricSeries, as columns (entry i of each list is one point): the same points as MetricPointInput objects, for a fraction of the request parsing. */
export type MetricSeriesInput = {
  /** Trimmed, 1-200 characters, no control, bidirectional-control or invisible characters; at most 500 different names per batch. */
  name: string;
  /** The steps, each 0 to 2,147,483,647. */
  steps: Array<number>;
  /** When each point was measured, as many as steps (null entries, or no list: now). Between 1970-01-01 and 9999-12-31. */
  times?: Array<string | null | undefined> | null | undefined;
  /** The values, as many as steps, each finite: null (what JSON makes of NaN and Infinity) fails with INVALID_METRIC_VALUE. */
  values: Array<number | null | undefined>;
};

/** One-vs-rest metrics of one class, as computed by the client. */
export type PerClassMetricsInput = {
  /** One-vs-rest ROC AUC in [0, 1]; null when undefined. */
  auc?: number | null | undefined;
  /** Harmonic mean of precision and recall. */
  f1: number;
  /** Class name (must match classNames). */
  label: string;
  /** TP / (TP + FP), 0 when undefined. */
  precision: number;
  /** TP / (TP + FN), 0 when undefined. */
  recall: number;
  /** True positive rate (equals recall). */
  sensitivity: number;
  /** True negative rate, TN / (TN + FP). */
  specificity: number;
  /** Samples whose true class is this one. */
  support: number;
};

/** A worker announcing itself (registerWorker). */
export type RegisterWorkerInput = {
  /** Compute backend it trains on (e.g. onednn, tensorflow). */
  backend: string;
  /** Jobs it runs at once (1-64). */
  concurrency: number;
  /** Whether it has a GPU. */
  gpu: boolean;
  /** Host name of its machine (1-200 characters). */
  host: string;
  /** Job kinds it runs (default: TRAIN). */
  kinds?: Array<JobKind> | null | undefined;
  /** Memory it may use, in MiB (0 or more). */
  memoryMb: number;
  /** Display name (1-200 characters). */
  name: string;
};

/** The experiment config file the run was started with. */
export type ReproducibilityConfigFileInput = {
  /** Path as given (1-1,024 characters). */
  path: string;
  /** SHA-256 of the whole file: 64 lowercase hex characters. */
  sha256: string;
  /** The file text, at most 64 KiB (cut longer files and set truncated); no NUL. */
  text: string;
  /** True when text is only the start of the file. */
  truncated: boolean;
};

/** One dataset file the fingerprint covers. */
export type ReproducibilityDatasetFileInput = {
  /** File size in bytes (a non-negative integer). */
  bytes: number;
  /** Path relative to the dataset root (1-1,024 characters). */
  path: string;
  /** SHA-256 of the bytes read: 64 lowercase hex characters. */
  sha256: string;
};

/** SHA-256 fingerprint of the dataset files. */
export type ReproducibilityDatasetInput = {
  /** Bytes hashed (a non-negative integer). */
  bytesRead: number;
  /** Files found under the dataset root (>= 0). */
  fileCount: number;
  /** The files hashed, in path order (at most 200). */
  files: Array<ReproducibilityDatasetFileInput>;
  /** SHA-256 over the files read: 64 lowercase hex characters. */
  sha256: string;
  /** True when hashing stopped at the byte budget. */
  truncated: boolean;
};

/** Git state of the working tree the run was started from. */
export type ReproducibilityGitInput = {
  /** Current branch (1-255 characters); null on a detached HEAD. */
  branch?: string | null | undefined;
  /** HEAD commit: 7-64 lowercase hex characters. */
  commit: string;
  /** `git diff HEAD`, at most 256 KiB (cut and set diffTruncated); no NUL. */
  diff?: string | null | undefined;
  /** Size of the whole diff in bytes (a non-negative integer). */
  diffBytes: number;
  /** True when diff is only the start of the diff. */
  diffTruncated: boolean;
  /** True when the tree differed from HEAD. */
  dirty: boolean;
};

/** How a run was made: config, git state, command line, host, versions, dataset fingerprint. At most 512 KiB serialised; every field is checked (BAD_USER_INPUT names the field and the limit). */
export type ReproducibilityInput = {
  /** TF.js backend (1-255 characters). */
  backend?: string | null | undefined;
  /** The command line (at most 256 arguments of at most 4,096 characters). */
  command: Array<string>;
  /** The config file, when one was used. */
  configFile?: ReproducibilityConfigFileInput | null | undefined;
  /** Fingerprint of the dataset files. */
  dataset?: ReproducibilityDatasetInput | null | undefined;
  /** Git state; null when not a git checkout. */
  git?: ReproducibilityGitInput | null | undefined;
  /** Host name (1-255 characters). */
  host: string;
  /** Node.js version (1-255 characters). */
  node: string;
  /** Operating system. */
  os: ReproducibilityOsInput;
  /** The resolved config: a JSON object of at most 64 KiB, 32 levels deep. */
  resolvedConfig?: unknown;
  /** TF.js version (1-255 characters). */
  tfjs?: string | null | undefined;
};

/** Operating system of the training host. */
export type ReproducibilityOsInput = {
  /** os.arch() (1-255 characters). */
  arch: string;
  /** os.platform() (1-255 characters). */
  platform: string;
  /** os.release() (1-255 characters). */
  release: string;
};

/** One one-vs-rest ROC curve (scikit-learn roc_curve). */
export type RocCurveInput = {
  /** False positive rate of each point. */
  fpr: Array<number>;
  /** Decreasing thresholds, one per point. */
  thresholds: Array<number>;
  /** True positive rate of each point. */
  tpr: Array<number>;
};

/** Lifecycle state of a run: QUEUED -> RUNNING -> COMPLETED, FAILED or CANCELLED (a QUEUED run may also fail or be cancelled). */
export type RunStatus =
  /** Cancelled with cancelRun: at once while QUEUED; once its worker stopped while RUNNING. */
  | 'CANCELLED'
  /** Finished successfully; its training record no longer changes. */
  | 'COMPLETED'
  /** Failed, or its worker was lost (no heartbeat within the timeout, or no retry left); see error. */
  | 'FAILED'
  /** Created, training not started. */
  | 'QUEUED'
  /** Training; its worker sends heartbeats. */
  | 'RUNNING';

/** Top-k accuracy for one k, as computed by the client. */
export type TopKAccuracyInput = {
  /** Fraction of samples whose label is among the top k. */
  accuracy: number;
  /** How many of the most probable classes may hold the label. */
  k: number;
};

/** Input of logUncertainty: per-sample statistics of T stochastic passes as flat row-major arrays (1-1,000,000 samples, 2-10,000 classes, at most 20,000,000 quantiles), plus the scores of the mean prediction. */
export type UncertaintyInput = {
  /** Accuracy of the argmax of the means (checked). */
  accuracy: number;
  /** Macro one-vs-rest ROC AUC. */
  auc?: number | null | undefined;
  /** Class names in class-index order (default "0", "1", ...). */
  classNames?: Array<string> | null | undefined;
  /** Idempotency key: a retry with the same key returns the stored evaluation. */
  clientRequestId?: string | null | undefined;
  /** Predictive entropy per sample (nats). */
  entropy: Array<number>;
  /** True class index of each sample. */
  labels: Array<number>;
  /** Row-major [numSamples, numClasses] mean probabilities. */
  meanProbabilities: Array<number>;
  /** "mc-dropout" or "variational". */
  method: string;
  /** Mutual information per sample (nats). */
  mutualInformation: Array<number>;
  /** Number of classes (default: classNames length). */
  numClasses?: number | null | undefined;
  /** Stochastic forward passes T (1-100,000). */
  passes: number;
  /** One-vs-rest AUC per class; null where undefined. */
  perClassAuc?: Array<number | null | undefined> | null | undefined;
  /** Row-major [numSamples, numClasses, 5]: min, q1, median, q3, max over the passes. */
  quantiles: Array<number>;
  /** Split evaluated (default "test"). */
  split?: string | null | undefined;
  /** Row-major [numSamples, numClasses] standard deviations over the passes. */
  std: Array<number>;
};

export type RunForEvaluationQueryVariables = Exact<{
  id: string | number;
}>;


export type RunForEvaluationQuery = { run: { id: string, status: RunStatus, datasetInfo: unknown, modelJson: { url: string } | null, testSamples: { name: string } | null } | null };

export type StoredRunQueryVariables = Exact<{
  id: string | number;
}>;


export type StoredRunQuery = { run: { id: string, status: RunStatus, datasetInfo: unknown, modelJson: { url: string } | null, packIndex: { name: string } | null } | null };

export type BeatMutationVariables = Exact<{
  id: string | number;
}>;


export type BeatMutation = { heartbeat: { id: string } };

export type CreateRunMutationVariables = Exact<{
  input: CreateRunInput;
}>;


export type CreateRunMutation = { createRun: { id: string, name: string, status: RunStatus } };

export type StartQueuedRunMutationVariables = Exact<{
  id: string | number;
  backend?: string | null | undefined;
  backendReason?: string | null | undefined;
}>;


export type StartQueuedRunMutation = { startRun: { id: string, name: string, status: RunStatus } };

export type StartWorkerRunMutationVariables = Exact<{
  runId: string | number;
  workerId: string | number;
  backend?: string | null | undefined;
  backendReason?: string | null | undefined;
  attempt?: number | null | undefined;
}>;


export type StartWorkerRunMutation = { startQueuedRun: { id: string, name: string, status: RunStatus, attempts: number } };

export type TrackedRunQueryVariables = Exact<{
  id: string | number;
}>;


export type TrackedRunQuery = { run: { id: string, name: string } | null };

export type LogMetricsMutationVariables = Exact<{
  runId: string | number;
  points: Array<MetricPointInput> | MetricPointInput;
  attempt?: number | null | undefined;
}>;


export type LogMetricsMutation = { logMetrics: { accepted: number, duplicates: number } };

export type LogMetricSeriesMutationVariables = Exact<{
  runId: string | number;
  series: Array<MetricSeriesInput> | MetricSeriesInput;
  attempt?: number | null | undefined;
}>;


export type LogMetricSeriesMutation = { logMetricSeries: { accepted: number, duplicates: number } };

export type LogEvaluationMutationVariables = Exact<{
  runId: string | number;
  input: EvaluationInput;
}>;


export type LogEvaluationMutation = { logEvaluation: { id: string, accuracy: number, numSamples: number } };

export type LogUncertaintyMutationVariables = Exact<{
  runId: string | number;
  input: UncertaintyInput;
}>;


export type LogUncertaintyMutation = { logUncertainty: { id: string, accuracy: number, numSamples: number, meanEntropy: number, meanMutualInformation: number } };

export type FinishRunMutationVariables = Exact<{
  id: string | number;
  status: FinalRunStatus;
  error?: string | null | undefined;
}>;


export type FinishRunMutation = { finishRun: { id: string, status: RunStatus } };

export type ClaimJobMutationVariables = Exact<{
  w: string;
  kinds?: Array<ExplanationJobKind> | ExplanationJobKind | null | undefined;
}>;


export type ClaimJobMutation = { claimExplanationJob: { id: string, runId: string, kind: ExplanationJobKind, params: unknown, claimToken: string } | null };

export type CompleteJobMutationVariables = Exact<{
  id: string | number;
  t: string;
  r: unknown;
}>;


export type CompleteJobMutation = { completeExplanationJob: { id: string } };

export type FailJobMutationVariables = Exact<{
  id: string | number;
  t: string;
  e: string;
}>;


export type FailJobMutation = { failExplanationJob: { id: string } };

export type ExplainedRunQueryVariables = Exact<{
  id: string | number;
}>;


export type ExplainedRunQuery = { run: { id: string, datasetInfo: unknown, evaluation: { classNames: Array<string> } | null, modelJson: { sha256: string, url: string } | null, weights: { sha256: string } | null } | null };

export type RegisterQueueWorkerMutationVariables = Exact<{
  input: RegisterWorkerInput;
}>;


export type RegisterQueueWorkerMutation = { registerWorker: { id: string } };

export type ClaimQueueJobMutationVariables = Exact<{
  workerId: string | number;
  kinds?: Array<JobKind> | JobKind | null | undefined;
  waitSeconds?: number | null | undefined;
}>;


export type ClaimQueueJobMutation = { claimJob: { id: string, kind: JobKind, runId: string | null, attempt: number, leaseExpiresAt: string, payload: unknown } | null };

export type HeartbeatQueueWorkerMutationVariables = Exact<{
  workerId: string | number;
  jobIds: Array<string | number> | string | number;
}>;


export type HeartbeatQueueWorkerMutation = { heartbeatWorker: { cancelJobIds: Array<string>, leaseExpiresAt: string } };

export type CompleteQueueJobMutationVariables = Exact<{
  workerId: string | number;
  jobId: string | number;
}>;


export type CompleteQueueJobMutation = { completeJob: boolean };

export type FailQueueJobMutationVariables = Exact<{
  workerId: string | number;
  jobId: string | number;
  error: string;
  retryable?: boolean | null | undefined;
}>;


export type FailQueueJobMutation = { failJob: boolean };

export type AcknowledgeQueueCancelMutationVariables = Exact<{
  workerId: string | number;
  jobId: string | number;
}>;


export type AcknowledgeQueueCancelMutation = { acknowledgeCancel: boolean };

export class TypedDocumentString<TResult, TVariables>
  extends String
  implements DocumentTypeDecoration<TResult, TVariables>
{
  __apiType?: NonNullable<DocumentTypeDecoration<TResult, TVariables>['__apiType']>;
  private value: string;
  public __meta__?: Record<string, any> | undefined;

  constructor(value: string, __meta__?: Record<string, any> | undefined) {
    super(value);
    this.value = value;
    this.__meta__ = __meta__;
  }

  override toString(): string & DocumentTypeDecoration<TResult, TVariables> {
    return this.value;
  }
}

export const RunForEvaluationDocument = new TypedDocumentString(`
    query RunForEvaluation($id: ID!) {
  run(id: $id) {
    id
    status
    datasetInfo
    modelJson: artifact(name: "model.json") {
      url
    }
    testSamples: artifact(name: "test-samples.bin") {
      name
    }
  }
}
    `) as unknown as TypedDocumentString<RunForEvaluationQuery, RunForEvaluationQueryVariables>;
export const StoredRunDocument = new TypedDocumentString(`
    query StoredRun($id: ID!) {
  run(id: $id) {
    id
    status
    datasetInfo
    modelJson: artifact(name: "model.json") {
      url
    }
    packIndex: artifact(name: "explain.index.json") {
      name
    }
  }
}
    `) as unknown as TypedDocumentString<StoredRunQuery, StoredRunQueryVariables>;
export const BeatDocument = new TypedDocumentString(`
    mutation Beat($id: ID!) {
  heartbeat(id: $id) {
    id
  }
}
    `) as unknown as TypedDocumentString<BeatMutation, BeatMutationVariables>;
export const CreateRunDocument = new TypedDocumentString(`
    mutation CreateRun($input: CreateRunInput!) {
  createRun(input: $input) {
    id
    name
    status
  }
}
    `) as unknown as TypedDocumentString<CreateRunMutation, CreateRunMutationVariables>;
export const StartQueuedRunDocument = new TypedDocumentString(`
    mutation StartQueuedRun($id: ID!, $backend: String, $backendReason: String) {
  startRun(id: $id, backend: $backend, backendReason: $backendReason) {
    id
    name
    status
  }
}
    `) as unknown as TypedDocumentString<StartQueuedRunMutation, StartQueuedRunMutationVariables>;
export const StartWorkerRunDocument = new TypedDocumentString(`
    mutation StartWorkerRun($runId: ID!, $workerId: ID!, $backend: String, $backendReason: String, $attempt: Int) {
  startQueuedRun(
    runId: $runId
    workerId: $workerId
    backend: $backend
    backendReason: $backendReason
    attempt: $attempt
  ) {
    id
    name
    status
    attempts
  }
}
    `) as unknown as TypedDocumentString<StartWorkerRunMutation, StartWorkerRunMutationVariables>;
export const TrackedRunDocument = new TypedDocumentString(`
    query TrackedRun($id: ID!) {
  run(id: $id) {
    id
    name
  }
}
    `) as unknown as TypedDocumentString<TrackedRunQuery, TrackedRunQueryVariables>;
export const LogMetricsDocument = new TypedDocumentString(`
    mutation LogMetrics($runId: ID!, $points: [MetricPointInput!]!, $attempt: Int) {
  logMetrics(runId: $runId, points: $points, attempt: $attempt) {
    accepted
    duplicates
  }
}
    `) as unknown as TypedDocumentString<LogMetricsMutation, LogMetricsMutationVariables>;
export const LogMetricSeriesDocument = new TypedDocumentString(`
    mutation LogMetricSeries($runId: ID!, $series: [MetricSeriesInput!]!, $attempt: Int) {
  logMetricSeries(runId: $runId, series: $series, attempt: $attempt) {
    accepted
    duplicates
  }
}
    `) as unknown as TypedDocumentString<LogMetricSeriesMutation, LogMetricSeriesMutationVariables>;
export const LogEvaluationDocument = new TypedDocumentString(`
    mutation LogEvaluation($runId: ID!, $input: EvaluationInput!) {
  logEvaluation(runId: $runId, input: $input) {
    id
    accuracy
    numSamples
  }
}
    `) as unknown as TypedDocumentString<LogEvaluationMutation, LogEvaluationMutationVariables>;
export const LogUncertaintyDocument = new TypedDocumentString(`
    mutation LogUncertainty($runId: ID!, $input: UncertaintyInput!) {
  logUncertainty(runId: $runId, input: $input) {
    id
    accuracy
    numSamples
    meanEntropy
    meanMutualInformation
  }
}
    `) as unknown as TypedDocumentString<LogUncertaintyMutation, LogUncertaintyMutationVariables>;
export const FinishRunDocument = new TypedDocumentString(`
    mutation FinishRun($id: ID!, $status: FinalRunStatus!, $error: String) {
  finishRun(id: $id, status: $status, error: $error) {
    id
    status
  }
}
    `) as unknown as TypedDocumentString<FinishRunMutation, FinishRunMutationVariables>;
export const ClaimJobDocument = new TypedDocumentString(`
    mutation ClaimJob($w: String!, $kinds: [ExplanationJobKind!]) {
  claimExplanationJob(workerId: $w, kinds: $kinds) {
    id
    runId
    kind
    params
    claimToken
  }
}
    `) as unknown as TypedDocumentString<ClaimJobMutation, ClaimJobMutationVariables>;
export const CompleteJobDocument = new TypedDocumentString(`
    mutation CompleteJob($id: ID!, $t: String!, $r: JSON!) {
  completeExplanationJob(id: $id, claimToken: $t, result: $r) {
    id
  }
}
    `) as unknown as TypedDocumentString<CompleteJobMutation, CompleteJobMutationVariables>;
export const FailJobDocument = new TypedDocumentString(`
    mutation FailJob($id: ID!, $t: String!, $e: String!) {
  failExplanationJob(id: $id, claimToken: $t, error: $e) {
    id
  }
}
    `) as unknown as TypedDocumentString<FailJobMutation, FailJobMutationVariables>;
export const ExplainedRunDocument = new TypedDocumentString(`
    query ExplainedRun($id: ID!) {
  run(id: $id) {
    id
    datasetInfo
    evaluation {
      classNames
    }
    modelJson: artifact(name: "model.json") {
      sha256
      url
    }
    weights: artifact(name: "weights.bin") {
      sha256
    }
  }
}
    `) as unknown as TypedDocumentString<ExplainedRunQuery, ExplainedRunQueryVariables>;
export const RegisterQueueWorkerDocument = new TypedDocumentString(`
    mutation RegisterQueueWorker($input: RegisterWorkerInput!) {
  registerWorker(input: $input) {
    id
  }
}
    `) as unknown as TypedDocumentString<RegisterQueueWorkerMutation, RegisterQueueWorkerMutationVariables>;
export const ClaimQueueJobDocument = new TypedDocumentString(`
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
    `) as unknown as TypedDocumentString<ClaimQueueJobMutation, ClaimQueueJobMutationVariables>;
export const HeartbeatQueueWorkerDocument = new TypedDocumentString(`
    mutation HeartbeatQueueWorker($workerId: ID!, $jobIds: [ID!]!) {
  heartbeatWorker(workerId: $workerId, jobIds: $jobIds) {
    cancelJobIds
    leaseExpiresAt
  }
}
    `) as unknown as TypedDocumentString<HeartbeatQueueWorkerMutation, HeartbeatQueueWorkerMutationVariables>;
export const CompleteQueueJobDocument = new TypedDocumentString(`
    mutation CompleteQueueJob($workerId: ID!, $jobId: ID!) {
  completeJob(workerId: $workerId, jobId: $jobId)
}
    `) as unknown as TypedDocumentString<CompleteQueueJobMutation, CompleteQueueJobMutationVariables>;
export const FailQueueJobDocument = new TypedDocumentString(`
    mutation FailQueueJob($workerId: ID!, $jobId: ID!, $error: String!, $retryable: Boolean) {
  failJob(
    workerId: $workerId
    jobId: $jobId
    error: $error
    retryable: $retryable
  )
}
    `) as unknown as TypedDocumentString<FailQueueJobMutation, FailQueueJobMutationVariables>;
export const AcknowledgeQueueCancelDocument = new TypedDocumentString(`
    mutation AcknowledgeQueueCancel($workerId: ID!, $jobId: ID!) {
  acknowledgeCancel(workerId: $workerId, jobId: $jobId)
}
    `) as unknown as TypedDocumentString<AcknowledgeQueueCancelMutation, AcknowledgeQueueCancelMutationVariables>;