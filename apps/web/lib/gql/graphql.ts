/* eslint-disable */
/** Internal type. DO NOT USE DIRECTLY. */
type Exact<T extends { [key: string]: unknown }> = { [K in keyof T]: T[K] };
/** Internal type. DO NOT USE DIRECTLY. */
export type Incremental<T> = T | { [P in keyof T]?: P extends ' $fragmentName' | '__typename' ? T[P] : never };
import type { DocumentTypeDecoration } from '@graphql-typed-document-node/core';
/** A new API key. */
export type CreateApiKeyInput = {
  /** Expiry in days (1-3650); omitted = never. */
  expiresInDays?: number | null | undefined;
  /** 1-100 characters, e.g. "lab worker 3". */
  name: string;
  /** Project names to limit the key to (at most 100); omitted = every project of the user. */
  projects?: Array<string> | null | undefined;
  /** The most the key may do (never more than its user may). */
  role: ProjectRole;
};

/** A new user (server admins only). */
export type CreateUserInput = {
  /** Make the user a server admin. */
  admin?: boolean | null | undefined;
  /** E-mail address (unique), the sign-in name. */
  email: string;
  /** Display name. */
  name: string;
  /** 10-128 characters; omitted = random (sign in with a login link). */
  password?: string | null | undefined;
};

/** An explanation method. CAM methods explain the class at a layer (ExplainSampleInput.layer); input attributions (SALIENCY, SMOOTHGRAD, INTEGRATED_GRADIENTS) explain pixels. Results name them in lower case ("integrated-gradients"). */
export type ExplainMethod =
  /** Eigen-CAM: the first principal component of the layer's activations. */
  | 'EIGENCAM'
  /** Grad-CAM: activations weighted by their mean gradient. */
  | 'GRADCAM'
  /** Grad-CAM++: higher-order gradient weights. */
  | 'GRADCAMPP'
  /** Integrated gradients from a black baseline. */
  | 'INTEGRATED_GRADIENTS'
  /** Layer-CAM: activations weighted by their positive gradients, per position. */
  | 'LAYERCAM'
  /** Vanilla gradients of the class score with respect to the pixels. */
  | 'SALIENCY'
  /** Score-CAM: each channel weighted by the score of the image it masks (slow). */
  | 'SCORECAM'
  /** SmoothGrad: gradients averaged over noisy copies of the image. */
  | 'SMOOTHGRAD';

/** What to explain: sample `index` of the run's stored `split` images, with which methods, for which class and at which layer. */
export type ExplainSampleInput = {
  /** The layer whose activations result.activations holds; null: the CAM layer. */
  activationsLayer?: string | null | undefined;
  /** The class to explain; null: the predicted class. */
  classIndex?: number | null | undefined;
  /** The sample's index in the split's stored images (0 to Run.samples(split).count - 1). */
  index: number;
  /** The CAM methods' layer (name or nested path); null: the last 4-D layer. */
  layer?: string | null | undefined;
  /** Methods to compute into result.methods (1-4, default [GRADCAM]); result.cam uses the first CAM method listed (GRADCAM when none is). */
  methods?: Array<ExplainMethod> | null | undefined;
  /** The split whose stored samples hold the image (default "test"). */
  split?: string | null | undefined;
  /** Classes in result.predictions (1-100, default 5). */
  topK?: number | null | undefined;
};

/** State of an explanation job. */
export type ExplanationJobStatus =
  /** The result is stored. */
  | 'DONE'
  /** It failed; error says why. A new request for it queues it again. */
  | 'FAILED'
  /** Waiting for an explain worker. */
  | 'QUEUED'
  /** Claimed by an explain worker. */
  | 'RUNNING';

/** Format of a registered model artifact. */
export type ModelFormat =
  /** An ONNX ModelProto file (e.g. torch.onnx.export). Explanations that run a model in the browser or the explain worker need TFJS. */
  | 'ONNX'
  /** A TensorFlow.js LayersModel: a model.json (modelTopology, weightsManifest) with its weight files beside it. */
  | 'TFJS';

/** Filter of Run.predictions: every condition given must hold. */
export type PredictionFilter = {
  /** True class index. */
  label?: number | null | undefined;
  /** Only confidences at most this (finite). */
  maxConfidence?: number | null | undefined;
  /** Only confidences at least this (finite). */
  minConfidence?: number | null | undefined;
  /** True: only samples whose prediction is wrong. */
  misclassifiedOnly?: boolean | null | undefined;
  /** Predicted class index. */
  predicted?: number | null | undefined;
};

/** Order of Run.predictions. */
export type PredictionOrder =
  /** Most confident first, ties by sample index (with misclassifiedOnly: the most confident mistakes). */
  | 'CONFIDENCE_DESC'
  /** By sample index (the default). */
  | 'INDEX';

/** What a member may do in a project; each role includes the weaker ones. */
export type ProjectRole =
  /** Also creates runs, logs metrics and evaluations, uploads, edits notes and tags. */
  | 'EDITOR'
  /** Also manages members and visibility, and deletes. */
  | 'OWNER'
  /** Reads the project and its runs. */
  | 'VIEWER';

/** Who may read a project; only members write either way. */
export type ProjectVisibility =
  /** Members only. */
  | 'PRIVATE'
  /** Anyone may read, signed in or not. */
  | 'PUBLIC';

/** A training run to queue (queueRun). */
export type QueueRunInput = {
  /** An experiment file as `npm run train -- --config` reads it: { preset?, model?, training?, data?, transfer? } (preset or model required). */
  config: unknown;
  /** Flat overrides of config.training (epochs, batchSize, learningRate, seed, patience, validationSplit, trainLimit, testLimit) and optimizer (adam, rmsprop, sgd). */
  hyperparameters?: unknown;
  /** Run name (1-200 characters); default "<preset>-<short id>". */
  name?: string | null | undefined;
  /** Free text (at most 64 KiB). */
  notes?: string | null | undefined;
  /** Queue priority, -1000..1000 (default 0); higher runs first, then oldest first. */
  priority?: number | null | undefined;
  /** The project (editor role). */
  projectId: string | number;
  /** Which workers may run it (default: any). */
  requirements?: WorkerRequirementsInput | null | undefined;
  /** The run this one was copied from ("Run again with changes"; viewer role on it). */
  sourceRunId?: string | number | null | undefined;
  /** Set by the sweep service only; a client that sends it gets BAD_USER_INPUT. */
  sweepId?: string | number | null | undefined;
  /** Tags (at most 100). */
  tags?: Array<string> | null | undefined;
};

/** Which runs a runs list shows with respect to archiving (archiveRun). */
export type RunArchivedFilter =
  /** Only runs that are not archived (the default). */
  | 'ACTIVE'
  /** Archived and active runs. */
  | 'ALL'
  /** Only archived runs. */
  | 'ARCHIVED';

/** Filter of the runs query: every field given must hold (AND). */
export type RunFilter = {
  /** Archived runs (archiveRun): ACTIVE (the default, even when ids are given), ARCHIVED or ALL. run(id) finds archived runs whatever this says. */
  archived?: RunArchivedFilter | null | undefined;
  /** These runs (at most 500 ids). An id naming no run the caller may read fails the query with NOT_FOUND naming it. */
  ids?: Array<string | number> | null | undefined;
  /** Runs of these projects (names; at most 100). A name the caller cannot read matches nothing. */
  projects?: Array<string> | null | undefined;
  /** Query language, ANDed with the other fields, e.g. `hp.lr < 0.01 and (best.val_accuracy >= 0.9 or tag = "baseline")`. AND/OR/NOT (also &&, ||, !; NOT > AND > OR), parentheses, = != < <= > >= and ~ (case-insensitive substring) on hp.<name>, best.<metric> (min for names containing "loss" or "error", else max), final.<metric> (value at the last step), repro.<field> (Run.reproducibility: git.commit, git.dirty, git.branch, host, os.platform, os.release, os.arch, node, tfjs, backend, dataset.sha256, config.path, config.sha256; git.<x> is short for repro.git.<x>; git.commit = "abc1234" matches a commit starting with those 7+ hex digits), tag, status, project, name, created/started/ended (ISO dates; a date-only literal is its whole UTC day) and duration (seconds). Literals: numbers, "double-quoted strings", true/false. Errors: QUERY_SYNTAX_ERROR with line, column and offset. Limits: 10,000 characters, 32 levels of parentheses and NOT, 256 comparisons, 32 different metrics. */
  query?: string | null | undefined;
  /** Runs in one of these states (at most 10). */
  statuses?: Array<RunStatus> | null | undefined;
};

/** Sort of the runs query. Default: CREATED_AT DESC. */
export type RunOrder = {
  /** What to sort on. */
  by: RunSortKey;
  /** ASC or DESC; the run id breaks ties in the same direction. */
  direction: SortDirection;
};

/** A run column the runs query sorts on (ties break on the run id). */
export type RunOrderField =
  /** When the run was created. */
  | 'CREATED_AT'
  /** The run name (code-point order on SQLite, collation order on PostgreSQL). */
  | 'NAME'
  /** The status name (COMPLETED < FAILED < QUEUED < RUNNING). */
  | 'STATUS';

/** What the runs query sorts on: exactly one of field and key (@oneOf; giving both or neither fails validation). */
export type RunSortKey =
  {   /** A run column. */
  field: RunOrderField; key?: never; }
  |  { field?: never;   /** Any query-language field: best.<metric>, final.<metric>, hp.<name>, created, started, ended, name, status, project, duration (not tag). Runs without a value come last in both directions; numbers sort before text; text compares on its first 256 characters. At most 10,000 characters. */
  key: string; };

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

/** A view to save: upserted by project and name (saving an existing name replaces its state). */
export type SaveViewInput = {
  /** View name: trimmed, 1-100 characters, no control, bidirectional-control or invisible characters. */
  name: string;
  /** Project name; the caller needs the editor role in it. */
  project: string;
  /** A JSON object { query?: string (at most 4,000 characters), status?: RunStatus name, columns?: [string] (at most 200 keys of at most 300 characters), sort?: { key, dir: "asc"|"desc" }, groupBy?: string }; no other keys; at most 16 KiB serialised. Anything else fails with BAD_USER_INPUT. */
  state: unknown;
};

/** Sort direction. */
export type SortDirection =
  /** Smallest first. */
  | 'ASC'
  /** Largest first. */
  | 'DESC';

/** Lifecycle of a sweep: RUNNING <-> PAUSED, then STOPPED (by a user) or FINISHED. */
export type SweepStatus =
  /** Every planned run has ended. */
  | 'FINISHED'
  /** Queues no more runs; runs in flight go on (ASHA still stops weak ones). */
  | 'PAUSED'
  /** Queues runs as earlier ones end, up to budget.parallel at once. */
  | 'RUNNING'
  /** Stopped by a user: its queued runs were cancelled and its running ones told to stop. */
  | 'STOPPED';

/** Order of Uncertainty.samples; ties break on the sample index. */
export type UncertaintySampleOrder =
  /** Highest predictive entropy first. */
  | 'ENTROPY_DESC'
  /** By sample index (the default). */
  | 'INDEX'
  /** Highest mutual information first (the most epistemic). */
  | 'MI_DESC';

/** A partial edit of a run (updateRun): an omitted field is left unchanged; at least one field must be given. */
export type UpdateRunInput = {
  /** New name: trimmed, 1-200 characters, no control, bidirectional-control or invisible characters; null is refused. */
  name?: string | null | undefined;
  /** New notes (plain text, markdown allowed; shown as text, never as HTML): at most 10,000 characters, no NUL; null or "" clears them. */
  notes?: string | null | undefined;
  /** New tags, replacing the old: at most 50 tags of 1-64 characters (trimmed; duplicates dropped); [] clears them, null is refused. */
  tags?: Array<string> | null | undefined;
};

/** Where a queued run may go: only workers meeting every field given. */
export type WorkerRequirementsInput = {
  /** Compute backend the worker must run (e.g. onednn, tensorflow); any when null. */
  backend?: string | null | undefined;
  /** Needs a worker with a GPU (default false). */
  gpu?: boolean | null | undefined;
  /** Least memory of the worker in MiB (default 0). */
  minMemoryMb?: number | null | undefined;
};

/** State of a worker. */
export type WorkerStatus =
  /** In contact, holding at least one job. */
  | 'BUSY'
  /** In contact, holding no job. */
  | 'IDLE'
  /** No contact for longer than a job lease. */
  | 'OFFLINE';

export type MeQueryVariables = Exact<{ [key: string]: never; }>;


export type MeQuery = { me: { id: string, email: string, name: string, isAdmin: boolean, via: string } | null };

export type RunClassMetricsFieldsFragment = { runId: string, precision: number | null, recall: number | null, f1: number | null };

export type CompareQueryVariables = Exact<{
  ids: Array<string | number> | string | number;
}>;


export type CompareQuery = { compareRuns: { runs: Array<{ id: string, name: string, status: RunStatus, hyperparameters: unknown, project: { name: string }, summary: Array<{ name: string, last: number, lastStep: number, min: number, max: number, count: number }>, reproducibility: { host: string, node: string, tfjs: string | null, backend: string | null, git: { commit: string, dirty: boolean, branch: string | null } | null, os: { platform: string, release: string, arch: string }, dataset: { sha256: string } | null, configFile: { path: string, sha256: string } | null } | null }>, metrics: Array<{ name: string, series: Array<{ runId: string, downsampled: boolean, points: Array<{ step: number, value: number, time: string }> }> }>, hyperparameters: Array<{ key: string, differs: boolean, values: Array<unknown> }>, perClass: Array<{ label: string, metrics: Array<{ runId: string, precision: number | null, recall: number | null, f1: number | null }>, deltas: Array<{ runId: string, precision: number | null, recall: number | null, f1: number | null }> }>, topK: Array<{ runId: string, evaluationId: string | null, topK: Array<{ k: number, accuracy: number }> }> } };

export type RunIdsQueryVariables = Exact<{
  filter?: RunFilter | null | undefined;
  first?: number | null | undefined;
  orderBy: RunOrder;
}>;


export type RunIdsQuery = { runs: { nodes: Array<{ id: string }> } };

export type ExplainSampleSearchQueryVariables = Exact<{
  id: string | number;
  filter?: PredictionFilter | null | undefined;
  orderBy?: PredictionOrder | null | undefined;
  first?: number | null | undefined;
  after?: string | null | undefined;
  last?: number | null | undefined;
  before?: string | null | undefined;
}>;


export type ExplainSampleSearchQuery = { run: { predictions: { totalCount: number, pageInfo: { startCursor: string | null, endCursor: string | null, hasNextPage: boolean, hasPreviousPage: boolean }, nodes: Array<{ index: number, label: number, predicted: number, confidence: number, correct: boolean }> } } | null };

export type SampleJobFieldsFragment = { id: string, status: ExplanationJobStatus, error: string | null, result: unknown };

export type ExplainSampleMutationVariables = Exact<{
  runId: string | number;
  input: ExplainSampleInput;
}>;


export type ExplainSampleMutation = { explainSample: { cached: boolean, job: { id: string, status: ExplanationJobStatus, error: string | null, result: unknown } } };

export type SampleExplanationJobQueryVariables = Exact<{
  id: string | number;
}>;


export type SampleExplanationJobQuery = { explanationJob: { id: string, status: ExplanationJobStatus, error: string | null, result: unknown } | null };

export type ApiKeyFieldsFragment = { id: string, name: string | null, start: string | null, userId: string, role: ProjectRole, projectIds: Array<string> | null, enabled: boolean, lastUsedAt: string | null, expiresAt: string | null, createdAt: string };

export type UserFieldsFragment = { id: string, email: string, name: string, isAdmin: boolean, createdAt: string };

export type MemberFieldsFragment = { userId: string, email: string, name: string, role: ProjectRole, since: string };

export type SettingsQueryVariables = Exact<{
  first?: number | null | undefined;
}>;


export type SettingsQuery = { apiKeys: { nodes: Array<{ id: string, name: string | null, start: string | null, userId: string, role: ProjectRole, projectIds: Array<string> | null, enabled: boolean, lastUsedAt: string | null, expiresAt: string | null, createdAt: string }> }, projects: { nodes: Array<{ id: string, name: string, visibility: ProjectVisibility, myRole: ProjectRole | null, members: Array<{ userId: string, email: string, name: string, role: ProjectRole, since: string }> }> } };

export type UsersQueryVariables = Exact<{
  first?: number | null | undefined;
}>;


export type UsersQuery = { users: { nodes: Array<{ id: string, email: string, name: string, isAdmin: boolean, createdAt: string }> } };

export type CreateApiKeyMutationVariables = Exact<{
  input: CreateApiKeyInput;
}>;


export type CreateApiKeyMutation = { createApiKey: { key: string, apiKey: { id: string, name: string | null, start: string | null, userId: string, role: ProjectRole, projectIds: Array<string> | null, enabled: boolean, lastUsedAt: string | null, expiresAt: string | null, createdAt: string } } };

export type RevokeApiKeyMutationVariables = Exact<{
  id: string | number;
}>;


export type RevokeApiKeyMutation = { revokeApiKey: { id: string, name: string | null, start: string | null, userId: string, role: ProjectRole, projectIds: Array<string> | null, enabled: boolean, lastUsedAt: string | null, expiresAt: string | null, createdAt: string } };

export type CreateUserMutationVariables = Exact<{
  input: CreateUserInput;
}>;


export type CreateUserMutation = { createUser: { id: string, email: string, name: string, isAdmin: boolean, createdAt: string } };

export type CreateLoginLinkMutationVariables = Exact<{
  email: string;
}>;


export type CreateLoginLinkMutation = { createLoginLink: string };

export type SetUserAdminMutationVariables = Exact<{
  userId: string | number;
  admin: boolean;
}>;


export type SetUserAdminMutation = { setUserAdmin: { id: string, email: string, name: string, isAdmin: boolean, createdAt: string } };

export type SetProjectMemberMutationVariables = Exact<{
  project: string;
  email: string;
  role: ProjectRole;
}>;


export type SetProjectMemberMutation = { setProjectMember: Array<{ userId: string, email: string, name: string, role: ProjectRole, since: string }> };

export type RemoveProjectMemberMutationVariables = Exact<{
  project: string;
  email: string;
}>;


export type RemoveProjectMemberMutation = { removeProjectMember: Array<{ userId: string, email: string, name: string, role: ProjectRole, since: string }> };

export type SetProjectVisibilityMutationVariables = Exact<{
  project: string;
  visibility: ProjectVisibility;
}>;


export type SetProjectVisibilityMutation = { setProjectVisibility: { id: string, visibility: ProjectVisibility } };

export type MetricPointFieldsFragment = { step: number, value: number, time: string };

export type MetricSummaryFieldsFragment = { name: string, last: number, lastStep: number, min: number, max: number, count: number };

export type ProjectFieldsFragment = { id: string, name: string, description: string | null, createdAt: string, runCount: number, myRole: ProjectRole | null };

export type RunListFieldsFragment = { id: string, name: string, status: RunStatus, cancelRequested: boolean, hyperparameters: unknown, tags: Array<string>, createdAt: string, startedAt: string | null, endedAt: string | null, durationMs: number | null, project: { name: string }, summary: Array<{ name: string, last: number, lastStep: number, min: number, max: number, count: number }>, trend: Array<{ name: string, points: Array<{ step: number, value: number, time: string }> }> };

export type DashboardQueryVariables = Exact<{
  filter?: RunFilter | null | undefined;
  first?: number | null | undefined;
  orderBy: RunOrder;
  projectsFirst?: number | null | undefined;
}>;


export type DashboardQuery = { projects: { nodes: Array<{ id: string, name: string, description: string | null, createdAt: string, runCount: number, myRole: ProjectRole | null }> }, runs: { totalCount: number, pageInfo: { hasNextPage: boolean, endCursor: string | null }, nodes: Array<{ id: string, name: string, status: RunStatus, cancelRequested: boolean, hyperparameters: unknown, tags: Array<string>, createdAt: string, startedAt: string | null, endedAt: string | null, durationMs: number | null, project: { name: string }, summary: Array<{ name: string, last: number, lastStep: number, min: number, max: number, count: number }>, trend: Array<{ name: string, points: Array<{ step: number, value: number, time: string }> }> }> } };

export type RunsQueryVariables = Exact<{
  filter?: RunFilter | null | undefined;
  first?: number | null | undefined;
  after?: string | null | undefined;
  orderBy: RunOrder;
}>;


export type RunsQuery = { runs: { totalCount: number, pageInfo: { hasNextPage: boolean, endCursor: string | null }, nodes: Array<{ id: string, name: string, status: RunStatus, cancelRequested: boolean, hyperparameters: unknown, tags: Array<string>, createdAt: string, startedAt: string | null, endedAt: string | null, durationMs: number | null, project: { name: string }, summary: Array<{ name: string, last: number, lastStep: number, min: number, max: number, count: number }>, trend: Array<{ name: string, points: Array<{ step: number, value: number, time: string }> }> }> } };

export type ProjectQueryVariables = Exact<{
  name: string;
}>;


export type ProjectQuery = { project: { id: string, name: string, description: string | null, createdAt: string, runCount: number, myRole: ProjectRole | null } | null };

export type ArtifactFieldsFragment = { id: string, kind: string, name: string, sha256: string, bytes: number, mimeType: string, createdAt: string };

export type MetricSeriesFieldsFragment = { name: string, totalPoints: number, downsampled: boolean, points: Array<{ step: number, value: number, time: string }> };

export type SampleImagesFieldsFragment = { count: number, height: number, width: number, channels: number, sha256: string };

export type UncertaintyFieldsFragment = { id: string, split: string, method: string, passes: number, numSamples: number, numClasses: number, classNames: Array<string>, accuracy: number, auc: number | null, meanEntropy: number, meanMutualInformation: number };

export type EvaluationFieldsFragment = { id: string, split: string, numSamples: number, numClasses: number, classNames: Array<string>, accuracy: number, logLoss: number, ece: number, confusionMatrix: Array<Array<number>>, topK: Array<{ k: number, accuracy: number }>, perClass: Array<{ label: string, precision: number, recall: number, f1: number, sensitivity: number, specificity: number, support: number, auc: number | null }>, macro: { precision: number, recall: number, f1: number }, weighted: { precision: number, recall: number, f1: number }, calibration: Array<{ binLower: number, binUpper: number, confidence: number | null, accuracy: number | null, count: number }> };

export type RunDetailFieldsFragment = { id: string, name: string, status: RunStatus, cancelRequested: boolean, sourceRunId: string | null, hyperparameters: unknown, tags: Array<string>, notes: string | null, modelSummary: unknown, datasetInfo: unknown, backend: string | null, backendReason: string | null, error: string | null, createdAt: string, startedAt: string | null, endedAt: string | null, heartbeatAt: string | null, durationMs: number | null, worker: { id: string, name: string } | null, project: { name: string }, metrics: Array<{ name: string, totalPoints: number, downsampled: boolean, points: Array<{ step: number, value: number, time: string }> }>, summary: Array<{ name: string, last: number, lastStep: number, min: number, max: number, count: number }>, artifacts: { pageInfo: { hasNextPage: boolean }, nodes: Array<{ id: string, kind: string, name: string, sha256: string, bytes: number, mimeType: string, createdAt: string }> }, model: { format: ModelFormat, artifactName: string, artifactUrl: string } | null, packIndex: { name: string } | null, weights: { name: string } | null, samples: { count: number, height: number, width: number, channels: number, sha256: string } | null, uncertainty: { id: string, split: string, method: string, passes: number, numSamples: number, numClasses: number, classNames: Array<string>, accuracy: number, auc: number | null, meanEntropy: number, meanMutualInformation: number } | null, evaluation: { id: string, split: string, numSamples: number, numClasses: number, classNames: Array<string>, accuracy: number, logLoss: number, ece: number, confusionMatrix: Array<Array<number>>, topK: Array<{ k: number, accuracy: number }>, perClass: Array<{ label: string, precision: number, recall: number, f1: number, sensitivity: number, specificity: number, support: number, auc: number | null }>, macro: { precision: number, recall: number, f1: number }, weighted: { precision: number, recall: number, f1: number }, calibration: Array<{ binLower: number, binUpper: number, confidence: number | null, accuracy: number | null, count: number }> } | null };

export type RunQueryVariables = Exact<{
  id: string | number;
  artifactsFirst?: number | null | undefined;
}>;


export type RunQuery = { run: { id: string, name: string, status: RunStatus, cancelRequested: boolean, sourceRunId: string | null, hyperparameters: unknown, tags: Array<string>, notes: string | null, modelSummary: unknown, datasetInfo: unknown, backend: string | null, backendReason: string | null, error: string | null, createdAt: string, startedAt: string | null, endedAt: string | null, heartbeatAt: string | null, durationMs: number | null, worker: { id: string, name: string } | null, project: { name: string }, metrics: Array<{ name: string, totalPoints: number, downsampled: boolean, points: Array<{ step: number, value: number, time: string }> }>, summary: Array<{ name: string, last: number, lastStep: number, min: number, max: number, count: number }>, artifacts: { pageInfo: { hasNextPage: boolean }, nodes: Array<{ id: string, kind: string, name: string, sha256: string, bytes: number, mimeType: string, createdAt: string }> }, model: { format: ModelFormat, artifactName: string, artifactUrl: string } | null, packIndex: { name: string } | null, weights: { name: string } | null, samples: { count: number, height: number, width: number, channels: number, sha256: string } | null, uncertainty: { id: string, split: string, method: string, passes: number, numSamples: number, numClasses: number, classNames: Array<string>, accuracy: number, auc: number | null, meanEntropy: number, meanMutualInformation: number } | null, evaluation: { id: string, split: string, numSamples: number, numClasses: number, classNames: Array<string>, accuracy: number, logLoss: number, ece: number, confusionMatrix: Array<Array<number>>, topK: Array<{ k: number, accuracy: number }>, perClass: Array<{ label: string, precision: number, recall: number, f1: number, sensitivity: number, specificity: number, support: number, auc: number | null }>, macro: { precision: number, recall: number, f1: number }, weighted: { precision: number, recall: number, f1: number }, calibration: Array<{ binLower: number, binUpper: number, confidence: number | null, accuracy: number | null, count: number }> } | null } | null };

export type RocCurveFieldsFragment = { fpr: Array<number>, tpr: Array<number> };

export type PredictionFieldsFragment = { index: number, label: number, predicted: number, confidence: number, correct: boolean, probabilities: Array<number> };

export type RunPredictionsQueryVariables = Exact<{
  id: string | number;
  filter?: PredictionFilter | null | undefined;
  first?: number | null | undefined;
  after?: string | null | undefined;
  orderBy?: PredictionOrder | null | undefined;
  evaluationId?: string | number | null | undefined;
}>;


export type RunPredictionsQuery = { run: { predictions: { totalCount: number, pageInfo: { endCursor: string | null, hasNextPage: boolean }, nodes: Array<{ index: number, label: number, predicted: number, confidence: number, correct: boolean, probabilities: Array<number> }> } } | null };

export type UncertaintySampleFieldsFragment = { index: number, label: number, predicted: number, correct: boolean, confidence: number, meanProbabilities: Array<number>, entropy: number, mutualInformation: number, boxplots: Array<{ class: number, className: string, min: number, q1: number, median: number, q3: number, max: number }> };

export type RunUncertaintySamplesQueryVariables = Exact<{
  id: string | number;
  uncertaintyId?: string | number | null | undefined;
  first?: number | null | undefined;
  after?: string | null | undefined;
  orderBy?: UncertaintySampleOrder | null | undefined;
}>;


export type RunUncertaintySamplesQuery = { run: { uncertainty: { id: string, samples: { totalCount: number, pageInfo: { endCursor: string | null, hasNextPage: boolean }, nodes: Array<{ index: number, label: number, predicted: number, correct: boolean, confidence: number, meanProbabilities: Array<number>, entropy: number, mutualInformation: number, boxplots: Array<{ class: number, className: string, min: number, q1: number, median: number, q3: number, max: number }> }> } } | null } | null };

export type NewRunQueryVariables = Exact<{
  projectsFirst: number;
}>;


export type NewRunQuery = { presets: Array<{ name: string, description: string, inputShape: Array<number>, classes: number, epochs: number, batchSize: number }>, projects: { nodes: Array<{ id: string, name: string, myRole: ProjectRole | null }> } };

export type RunToCopyQueryVariables = Exact<{
  id: string | number;
}>;


export type RunToCopyQuery = { run: { id: string, name: string, tags: Array<string>, notes: string | null, priority: number, queuedConfig: unknown, hyperparameters: unknown, project: { id: string, name: string } } | null };

export type QueueRunMutationVariables = Exact<{
  input: QueueRunInput;
}>;


export type QueueRunMutation = { queueRun: { id: string, name: string, status: RunStatus } };

export type CancelRunMutationVariables = Exact<{
  id: string | number;
}>;


export type CancelRunMutation = { cancelRun: { id: string, status: RunStatus, cancelRequested: boolean } };

export type WorkersQueryVariables = Exact<{
  first: number;
  after?: string | null | undefined;
}>;


export type WorkersQuery = { workers: { pageInfo: { hasNextPage: boolean, endCursor: string | null }, nodes: Array<{ id: string, name: string, host: string, backend: string, gpu: boolean, memoryMb: number, concurrency: number, status: WorkerStatus, lastSeenAt: string, startedAt: string, currentRuns: Array<{ id: string, name: string, project: { name: string } }> }> } };

export type RunReproducibilityQueryVariables = Exact<{
  id: string | number;
}>;


export type RunReproducibilityQuery = { run: { id: string, reproducibility: { command: Array<string>, host: string, node: string, tfjs: string | null, backend: string | null, configFile: { path: string, text: string, sha256: string, truncated: boolean } | null, git: { commit: string, branch: string | null, dirty: boolean, diff: string | null, diffBytes: number, diffTruncated: boolean } | null, os: { platform: string, release: string, arch: string }, dataset: { sha256: string, fileCount: number, bytesRead: number, truncated: boolean, files: Array<{ path: string }> } | null } | null } | null };

export type RunManagementQueryVariables = Exact<{
  id: string | number;
  projectsFirst: number;
}>;


export type RunManagementQuery = { run: { id: string, archived: boolean, archivedAt: string | null, project: { name: string, myRole: ProjectRole | null } } | null, projects: { nodes: Array<{ name: string, myRole: ProjectRole | null }> } };

export type UpdateRunFieldsMutationVariables = Exact<{
  id: string | number;
  input: UpdateRunInput;
}>;


export type UpdateRunFieldsMutation = { updateRun: { id: string, name: string, tags: Array<string>, notes: string | null } };

export type ArchiveRunMutationVariables = Exact<{
  id: string | number;
}>;


export type ArchiveRunMutation = { archiveRun: { id: string, archived: boolean, archivedAt: string | null } };

export type UnarchiveRunMutationVariables = Exact<{
  id: string | number;
}>;


export type UnarchiveRunMutation = { unarchiveRun: { id: string, archived: boolean, archivedAt: string | null } };

export type DeleteRunMutationVariables = Exact<{
  id: string | number;
}>;


export type DeleteRunMutation = { deleteRun: { id: string, projectName: string } };

export type MoveRunMutationVariables = Exact<{
  id: string | number;
  project: string;
}>;


export type MoveRunMutation = { moveRun: { id: string, project: { name: string } } };

export type RunsSignatureQueryVariables = Exact<{
  filter?: RunFilter | null | undefined;
}>;


export type RunsSignatureQuery = { runs: { totalCount: number, nodes: Array<{ id: string }> } };

export type SavedViewFieldsFragment = { id: string, name: string, state: unknown, updatedAt: string };

export type SavedViewsQueryVariables = Exact<{
  project: string;
}>;


export type SavedViewsQuery = { savedViews: Array<{ id: string, name: string, state: unknown, updatedAt: string }> };

export type SaveViewMutationVariables = Exact<{
  input: SaveViewInput;
}>;


export type SaveViewMutation = { saveView: { id: string, name: string, state: unknown, updatedAt: string } };

export type DeleteViewMutationVariables = Exact<{
  id: string | number;
}>;


export type DeleteViewMutation = { deleteView: { id: string } };

export type ProjectSweepsQueryVariables = Exact<{
  projectId: string | number;
  first: number;
  after?: string | null | undefined;
}>;


export type ProjectSweepsQuery = { sweeps: { totalCount: number, pageInfo: { hasNextPage: boolean, endCursor: string | null }, nodes: Array<{ id: string, name: string, status: SweepStatus, method: string, createdAt: string, metric: { name: string, goal: string }, progress: { completed: number, running: number, queued: number, failed: number, cancelled: number, planned: number }, bestRun: { runId: string, value: number | null } | null }> } };

export type SweepProjectQueryVariables = Exact<{
  name: string;
}>;


export type SweepProjectQuery = { project: { id: string, name: string, myRole: ProjectRole | null } | null };

export type SweepPageQueryVariables = Exact<{
  id: string | number;
}>;


export type SweepPageQuery = { sweep: { id: string, projectId: string, name: string, status: SweepStatus, method: string, configText: string, lastError: string | null, createdAt: string, endedAt: string | null, parameterNames: Array<string>, project: { name: string, myRole: ProjectRole | null }, metric: { name: string, goal: string }, progress: { queued: number, running: number, completed: number, failed: number, cancelled: number, launched: number, planned: number, parallel: number, launchErrors: number }, bestRun: { runId: string, runName: string, value: number | null, parameters: unknown } | null, points: Array<{ runId: string, runName: string, status: RunStatus, parameters: unknown, value: number | null }>, importance: Array<{ name: string, correlation: number | null, importance: number | null }> } | null };

export type CreateSweepMutationVariables = Exact<{
  projectId: string | number;
  name: string;
  config: string;
}>;


export type CreateSweepMutation = { createSweep: { id: string } };

export type PauseSweepMutationVariables = Exact<{
  id: string | number;
}>;


export type PauseSweepMutation = { pauseSweep: { id: string, status: SweepStatus } };

export type ResumeSweepMutationVariables = Exact<{
  id: string | number;
}>;


export type ResumeSweepMutation = { resumeSweep: { id: string, status: SweepStatus } };

export type StopSweepMutationVariables = Exact<{
  id: string | number;
}>;


export type StopSweepMutation = { stopSweep: { id: string, status: SweepStatus } };

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
export const RunClassMetricsFieldsFragmentDoc = new TypedDocumentString(`
    fragment RunClassMetricsFields on RunClassMetrics {
  runId
  precision
  recall
  f1
}
    `, {"fragmentName":"RunClassMetricsFields"}) as unknown as TypedDocumentString<RunClassMetricsFieldsFragment, unknown>;
export const SampleJobFieldsFragmentDoc = new TypedDocumentString(`
    fragment SampleJobFields on ExplanationJob {
  id
  status
  error
  result
}
    `, {"fragmentName":"SampleJobFields"}) as unknown as TypedDocumentString<SampleJobFieldsFragment, unknown>;
export const ApiKeyFieldsFragmentDoc = new TypedDocumentString(`
    fragment ApiKeyFields on ApiKey {
  id
  name
  start
  userId
  role
  projectIds
  enabled
  lastUsedAt
  expiresAt
  createdAt
}
    `, {"fragmentName":"ApiKeyFields"}) as unknown as TypedDocumentString<ApiKeyFieldsFragment, unknown>;
export const UserFieldsFragmentDoc = new TypedDocumentString(`
    fragment UserFields on User {
  id
  email
  name
  isAdmin
  createdAt
}
    `, {"fragmentName":"UserFields"}) as unknown as TypedDocumentString<UserFieldsFragment, unknown>;
export const MemberFieldsFragmentDoc = new TypedDocumentString(`
    fragment MemberFields on ProjectMember {
  userId
  email
  name
  role
  since
}
    `, {"fragmentName":"MemberFields"}) as unknown as TypedDocumentString<MemberFieldsFragment, unknown>;
export const ProjectFieldsFragmentDoc = new TypedDocumentString(`
    fragment ProjectFields on Project {
  id
  name
  description
  createdAt
  runCount
  myRole
}
    `, {"fragmentName":"ProjectFields"}) as unknown as TypedDocumentString<ProjectFieldsFragment, unknown>;
export const MetricSummaryFieldsFragmentDoc = new TypedDocumentString(`
    fragment MetricSummaryFields on MetricSummary {
  name
  last
  lastStep
  min
  max
  count
}
    `, {"fragmentName":"MetricSummaryFields"}) as unknown as TypedDocumentString<MetricSummaryFieldsFragment, unknown>;
export const MetricPointFieldsFragmentDoc = new TypedDocumentString(`
    fragment MetricPointFields on MetricPoint {
  step
  value
  time
}
    `, {"fragmentName":"MetricPointFields"}) as unknown as TypedDocumentString<MetricPointFieldsFragment, unknown>;
export const RunListFieldsFragmentDoc = new TypedDocumentString(`
    fragment RunListFields on Run {
  id
  name
  status
  cancelRequested
  project {
    name
  }
  hyperparameters
  tags
  createdAt
  startedAt
  endedAt
  durationMs
  summary {
    ...MetricSummaryFields
  }
  trend: metrics(names: ["val_accuracy"], maxPoints: 40) {
    name
    points {
      ...MetricPointFields
    }
  }
}
    fragment MetricPointFields on MetricPoint {
  step
  value
  time
}
fragment MetricSummaryFields on MetricSummary {
  name
  last
  lastStep
  min
  max
  count
}`, {"fragmentName":"RunListFields"}) as unknown as TypedDocumentString<RunListFieldsFragment, unknown>;
export const MetricSeriesFieldsFragmentDoc = new TypedDocumentString(`
    fragment MetricSeriesFields on MetricSeries {
  name
  totalPoints
  downsampled
  points {
    ...MetricPointFields
  }
}
    fragment MetricPointFields on MetricPoint {
  step
  value
  time
}`, {"fragmentName":"MetricSeriesFields"}) as unknown as TypedDocumentString<MetricSeriesFieldsFragment, unknown>;
export const ArtifactFieldsFragmentDoc = new TypedDocumentString(`
    fragment ArtifactFields on Artifact {
  id
  kind
  name
  sha256
  bytes
  mimeType
  createdAt
}
    `, {"fragmentName":"ArtifactFields"}) as unknown as TypedDocumentString<ArtifactFieldsFragment, unknown>;
export const SampleImagesFieldsFragmentDoc = new TypedDocumentString(`
    fragment SampleImagesFields on SampleImages {
  count
  height
  width
  channels
  sha256
}
    `, {"fragmentName":"SampleImagesFields"}) as unknown as TypedDocumentString<SampleImagesFieldsFragment, unknown>;
export const UncertaintyFieldsFragmentDoc = new TypedDocumentString(`
    fragment UncertaintyFields on Uncertainty {
  id
  split
  method
  passes
  numSamples
  numClasses
  classNames
  accuracy
  auc
  meanEntropy
  meanMutualInformation
}
    `, {"fragmentName":"UncertaintyFields"}) as unknown as TypedDocumentString<UncertaintyFieldsFragment, unknown>;
export const EvaluationFieldsFragmentDoc = new TypedDocumentString(`
    fragment EvaluationFields on Evaluation {
  id
  split
  numSamples
  numClasses
  classNames
  accuracy
  logLoss
  ece
  topK {
    k
    accuracy
  }
  perClass {
    label
    precision
    recall
    f1
    sensitivity
    specificity
    support
    auc
  }
  confusionMatrix
  macro {
    precision
    recall
    f1
  }
  weighted {
    precision
    recall
    f1
  }
  calibration {
    binLower
    binUpper
    confidence
    accuracy
    count
  }
}
    `, {"fragmentName":"EvaluationFields"}) as unknown as TypedDocumentString<EvaluationFieldsFragment, unknown>;
export const RunDetailFieldsFragmentDoc = new TypedDocumentString(`
    fragment RunDetailFields on Run {
  id
  name
  status
  cancelRequested
  sourceRunId
  worker {
    id
    name
  }
  project {
    name
  }
  hyperparameters
  tags
  notes
  modelSummary
  datasetInfo
  backend
  backendReason
  error
  createdAt
  startedAt
  endedAt
  heartbeatAt
  durationMs
  metrics(maxPoints: 1000) {
    ...MetricSeriesFields
  }
  summary {
    ...MetricSummaryFields
  }
  artifacts(first: $artifactsFirst) {
    pageInfo {
      hasNextPage
    }
    nodes {
      ...ArtifactFields
    }
  }
  model {
    format
    artifactName
    artifactUrl
  }
  packIndex: artifact(name: "explain.index.json") {
    name
  }
  weights: artifact(name: "weights.bin") {
    name
  }
  samples {
    ...SampleImagesFields
  }
  uncertainty {
    ...UncertaintyFields
  }
  evaluation {
    ...EvaluationFields
  }
}
    fragment MetricPointFields on MetricPoint {
  step
  value
  time
}
fragment MetricSummaryFields on MetricSummary {
  name
  last
  lastStep
  min
  max
  count
}
fragment ArtifactFields on Artifact {
  id
  kind
  name
  sha256
  bytes
  mimeType
  createdAt
}
fragment MetricSeriesFields on MetricSeries {
  name
  totalPoints
  downsampled
  points {
    ...MetricPointFields
  }
}
fragment SampleImagesFields on SampleImages {
  count
  height
  width
  channels
  sha256
}
fragment UncertaintyFields on Uncertainty {
  id
  split
  method
  passes
  numSamples
  numClasses
  classNames
  accuracy
  auc
  meanEntropy
  meanMutualInformation
}
fragment EvaluationFields on Evaluation {
  id
  split
  numSamples
  numClasses
  classNames
  accuracy
  logLoss
  ece
  topK {
    k
    accuracy
  }
  perClass {
    label
    precision
    recall
    f1
    sensitivity
    specificity
    support
    auc
  }
  confusionMatrix
  macro {
    precision
    recall
    f1
  }
  weighted {
    precision
    recall
    f1
  }
  calibration {
    binLower
    binUpper
    confidence
    accuracy
    count
  }
}`, {"fragmentName":"RunDetailFields"}) as unknown as TypedDocumentString<RunDetailFieldsFragment, unknown>;
export const RocCurveFieldsFragmentDoc = new TypedDocumentString(`
    fragment RocCurveFields on RocCurve {
  fpr
  tpr
}
    `, {"fragmentName":"RocCurveFields"}) as unknown as TypedDocumentString<RocCurveFieldsFragment, unknown>;
export const PredictionFieldsFragmentDoc = new TypedDocumentString(`
    fragment PredictionFields on Prediction {
  index
  label
  predicted
  confidence
  correct
  probabilities
}
    `, {"fragmentName":"PredictionFields"}) as unknown as TypedDocumentString<PredictionFieldsFragment, unknown>;
export const UncertaintySampleFieldsFragmentDoc = new TypedDocumentString(`
    fragment UncertaintySampleFields on UncertaintySample {
  index
  label
  predicted
  correct
  confidence
  meanProbabilities
  entropy
  mutualInformation
  boxplots {
    class
    className
    min
    q1
    median
    q3
    max
  }
}
    `, {"fragmentName":"UncertaintySampleFields"}) as unknown as TypedDocumentString<UncertaintySampleFieldsFragment, unknown>;
export const SavedViewFieldsFragmentDoc = new TypedDocumentString(`
    fragment SavedViewFields on SavedView {
  id
  name
  state
  updatedAt
}
    `, {"fragmentName":"SavedViewFields"}) as unknown as TypedDocumentString<SavedViewFieldsFragment, unknown>;
export const MeDocument = new TypedDocumentString(`
    query Me {
  me {
    id
    email
    name
    isAdmin
    via
  }
}
    `) as unknown as TypedDocumentString<MeQuery, MeQueryVariables>;
export const CompareDocument = new TypedDocumentString(`
    query Compare($ids: [ID!]!) {
  compareRuns(ids: $ids, maxPoints: 500) {
    runs {
      id
      name
      status
      project {
        name
      }
      hyperparameters
      summary {
        ...MetricSummaryFields
      }
      reproducibility {
        git {
          commit
          dirty
          branch
        }
        host
        os {
          platform
          release
          arch
        }
        node
        tfjs
        backend
        dataset {
          sha256
        }
        configFile {
          path
          sha256
        }
      }
    }
    metrics {
      name
      series {
        runId
        downsampled
        points {
          ...MetricPointFields
        }
      }
    }
    hyperparameters {
      key
      differs
      values
    }
    perClass {
      label
      metrics {
        ...RunClassMetricsFields
      }
      deltas {
        ...RunClassMetricsFields
      }
    }
    topK {
      runId
      evaluationId
      topK {
        k
        accuracy
      }
    }
  }
}
    fragment RunClassMetricsFields on RunClassMetrics {
  runId
  precision
  recall
  f1
}
fragment MetricPointFields on MetricPoint {
  step
  value
  time
}
fragment MetricSummaryFields on MetricSummary {
  name
  last
  lastStep
  min
  max
  count
}`) as unknown as TypedDocumentString<CompareQuery, CompareQueryVariables>;
export const RunIdsDocument = new TypedDocumentString(`
    query RunIds($filter: RunFilter, $first: Int, $orderBy: RunOrder!) {
  runs(filter: $filter, first: $first, orderBy: $orderBy) {
    nodes {
      id
    }
  }
}
    `) as unknown as TypedDocumentString<RunIdsQuery, RunIdsQueryVariables>;
export const ExplainSampleSearchDocument = new TypedDocumentString(`
    query ExplainSampleSearch($id: ID!, $filter: PredictionFilter, $orderBy: PredictionOrder, $first: Int, $after: String, $last: Int, $before: String) {
  run(id: $id) {
    predictions(
      filter: $filter
      orderBy: $orderBy
      first: $first
      after: $after
      last: $last
      before: $before
    ) {
      totalCount
      pageInfo {
        startCursor
        endCursor
        hasNextPage
        hasPreviousPage
      }
      nodes {
        index
        label
        predicted
        confidence
        correct
      }
    }
  }
}
    `) as unknown as TypedDocumentString<ExplainSampleSearchQuery, ExplainSampleSearchQueryVariables>;
export const ExplainSampleDocument = new TypedDocumentString(`
    mutation ExplainSample($runId: ID!, $input: ExplainSampleInput!) {
  explainSample(runId: $runId, input: $input) {
    cached
    job {
      ...SampleJobFields
    }
  }
}
    fragment SampleJobFields on ExplanationJob {
  id
  status
  error
  result
}`) as unknown as TypedDocumentString<ExplainSampleMutation, ExplainSampleMutationVariables>;
export const SampleExplanationJobDocument = new TypedDocumentString(`
    query SampleExplanationJob($id: ID!) {
  explanationJob(id: $id) {
    ...SampleJobFields
  }
}
    fragment SampleJobFields on ExplanationJob {
  id
  status
  error
  result
}`) as unknown as TypedDocumentString<SampleExplanationJobQuery, SampleExplanationJobQueryVariables>;
export const SettingsDocument = new TypedDocumentString(`
    query Settings($first: Int) {
  apiKeys(first: $first) {
    nodes {
      ...ApiKeyFields
    }
  }
  projects(first: $first) {
    nodes {
      id
      name
      visibility
      myRole
      members {
        ...MemberFields
      }
    }
  }
}
    fragment ApiKeyFields on ApiKey {
  id
  name
  start
  userId
  role
  projectIds
  enabled
  lastUsedAt
  expiresAt
  createdAt
}
fragment MemberFields on ProjectMember {
  userId
  email
  name
  role
  since
}`) as unknown as TypedDocumentString<SettingsQuery, SettingsQueryVariables>;
export const UsersDocument = new TypedDocumentString(`
    query Users($first: Int) {
  users(first: $first) {
    nodes {
      ...UserFields
    }
  }
}
    fragment UserFields on User {
  id
  email
  name
  isAdmin
  createdAt
}`) as unknown as TypedDocumentString<UsersQuery, UsersQueryVariables>;
export const CreateApiKeyDocument = new TypedDocumentString(`
    mutation CreateApiKey($input: CreateApiKeyInput!) {
  createApiKey(input: $input) {
    key
    apiKey {
      ...ApiKeyFields
    }
  }
}
    fragment ApiKeyFields on ApiKey {
  id
  name
  start
  userId
  role
  projectIds
  enabled
  lastUsedAt
  expiresAt
  createdAt
}`) as unknown as TypedDocumentString<CreateApiKeyMutation, CreateApiKeyMutationVariables>;
export const RevokeApiKeyDocument = new TypedDocumentString(`
    mutation RevokeApiKey($id: ID!) {
  revokeApiKey(id: $id) {
    ...ApiKeyFields
  }
}
    fragment ApiKeyFields on ApiKey {
  id
  name
  start
  userId
  role
  projectIds
  enabled
  lastUsedAt
  expiresAt
  createdAt
}`) as unknown as TypedDocumentString<RevokeApiKeyMutation, RevokeApiKeyMutationVariables>;
export const CreateUserDocument = new TypedDocumentString(`
    mutation CreateUser($input: CreateUserInput!) {
  createUser(input: $input) {
    ...UserFields
  }
}
    fragment UserFields on User {
  id
  email
  name
  isAdmin
  createdAt
}`) as unknown as TypedDocumentString<CreateUserMutation, CreateUserMutationVariables>;
export const CreateLoginLinkDocument = new TypedDocumentString(`
    mutation CreateLoginLink($email: String!) {
  createLoginLink(email: $email)
}
    `) as unknown as TypedDocumentString<CreateLoginLinkMutation, CreateLoginLinkMutationVariables>;
export const SetUserAdminDocument = new TypedDocumentString(`
    mutation SetUserAdmin($userId: ID!, $admin: Boolean!) {
  setUserAdmin(userId: $userId, admin: $admin) {
    ...UserFields
  }
}
    fragment UserFields on User {
  id
  email
  name
  isAdmin
  createdAt
}`) as unknown as TypedDocumentString<SetUserAdminMutation, SetUserAdminMutationVariables>;
export const SetProjectMemberDocument = new TypedDocumentString(`
    mutation SetProjectMember($project: String!, $email: String!, $role: ProjectRole!) {
  setProjectMember(project: $project, email: $email, role: $role) {
    ...MemberFields
  }
}
    fragment MemberFields on ProjectMember {
  userId
  email
  name
  role
  since
}`) as unknown as TypedDocumentString<SetProjectMemberMutation, SetProjectMemberMutationVariables>;
export const RemoveProjectMemberDocument = new TypedDocumentString(`
    mutation RemoveProjectMember($project: String!, $email: String!) {
  removeProjectMember(project: $project, email: $email) {
    ...MemberFields
  }
}
    fragment MemberFields on ProjectMember {
  userId
  email
  name
  role
  since
}`) as unknown as TypedDocumentString<RemoveProjectMemberMutation, RemoveProjectMemberMutationVariables>;
export const SetProjectVisibilityDocument = new TypedDocumentString(`
    mutation SetProjectVisibility($project: String!, $visibility: ProjectVisibility!) {
  setProjectVisibility(project: $project, visibility: $visibility) {
    id
    visibility
  }
}
    `) as unknown as TypedDocumentString<SetProjectVisibilityMutation, SetProjectVisibilityMutationVariables>;
export const DashboardDocument = new TypedDocumentString(`
    query Dashboard($filter: RunFilter, $first: Int, $orderBy: RunOrder!, $projectsFirst: Int) {
  projects(first: $projectsFirst) {
    nodes {
      ...ProjectFields
    }
  }
  runs(filter: $filter, first: $first, orderBy: $orderBy) {
    totalCount
    pageInfo {
      hasNextPage
      endCursor
    }
    nodes {
      ...RunListFields
    }
  }
}
    fragment MetricPointFields on MetricPoint {
  step
  value
  time
}
fragment MetricSummaryFields on MetricSummary {
  name
  last
  lastStep
  min
  max
  count
}
fragment ProjectFields on Project {
  id
  name
  description
  createdAt
  runCount
  myRole
}
fragment RunListFields on Run {
  id
  name
  status
  cancelRequested
  project {
    name
  }
  hyperparameters
  tags
  createdAt
  startedAt
  endedAt
  durationMs
  summary {
    ...MetricSummaryFields
  }
  trend: metrics(names: ["val_accuracy"], maxPoints: 40) {
    name
    points {
      ...MetricPointFields
    }
  }
}`) as unknown as TypedDocumentString<DashboardQuery, DashboardQueryVariables>;
export const RunsDocument = new TypedDocumentString(`
    query Runs($filter: RunFilter, $first: Int, $after: String, $orderBy: RunOrder!) {
  runs(filter: $filter, first: $first, after: $after, orderBy: $orderBy) {
    totalCount
    pageInfo {
      hasNextPage
      endCursor
    }
    nodes {
      ...RunListFields
    }
  }
}
    fragment MetricPointFields on MetricPoint {
  step
  value
  time
}
fragment MetricSummaryFields on MetricSummary {
  name
  last
  lastStep
  min
  max
  count
}
fragment RunListFields on Run {
  id
  name
  status
  cancelRequested
  project {
    name
  }
  hyperparameters
  tags
  createdAt
  startedAt
  endedAt
  durationMs
  summary {
    ...MetricSummaryFields
  }
  trend: metrics(names: ["val_accuracy"], maxPoints: 40) {
    name
    points {
      ...MetricPointFields
    }
  }
}`) as unknown as TypedDocumentString<RunsQuery, RunsQueryVariables>;
export const ProjectDocument = new TypedDocumentString(`
    query Project($name: String!) {
  project(name: $name) {
    ...ProjectFields
  }
}
    fragment ProjectFields on Project {
  id
  name
  description
  createdAt
  runCount
  myRole
}`) as unknown as TypedDocumentString<ProjectQuery, ProjectQueryVariables>;
export const RunDocument = new TypedDocumentString(`
    query Run($id: ID!, $artifactsFirst: Int = 1000) {
  run(id: $id) {
    ...RunDetailFields
  }
}
    fragment MetricPointFields on MetricPoint {
  step
  value
  time
}
fragment MetricSummaryFields on MetricSummary {
  name
  last
  lastStep
  min
  max
  count
}
fragment ArtifactFields on Artifact {
  id
  kind
  name
  sha256
  bytes
  mimeType
  createdAt
}
fragment MetricSeriesFields on MetricSeries {
  name
  totalPoints
  downsampled
  points {
    ...MetricPointFields
  }
}
fragment SampleImagesFields on SampleImages {
  count
  height
  width
  channels
  sha256
}
fragment UncertaintyFields on Uncertainty {
  id
  split
  method
  passes
  numSamples
  numClasses
  classNames
  accuracy
  auc
  meanEntropy
  meanMutualInformation
}
fragment EvaluationFields on Evaluation {
  id
  split
  numSamples
  numClasses
  classNames
  accuracy
  logLoss
  ece
  topK {
    k
    accuracy
  }
  perClass {
    label
    precision
    recall
    f1
    sensitivity
    specificity
    support
    auc
  }
  confusionMatrix
  macro {
    precision
    recall
    f1
  }
  weighted {
    precision
    recall
    f1
  }
  calibration {
    binLower
    binUpper
    confidence
    accuracy
    count
  }
}
fragment RunDetailFields on Run {
  id
  name
  status
  cancelRequested
  sourceRunId
  worker {
    id
    name
  }
  project {
    name
  }
  hyperparameters
  tags
  notes
  modelSummary
  datasetInfo
  backend
  backendReason
  error
  createdAt
  startedAt
  endedAt
  heartbeatAt
  durationMs
  metrics(maxPoints: 1000) {
    ...MetricSeriesFields
  }
  summary {
    ...MetricSummaryFields
  }
  artifacts(first: $artifactsFirst) {
    pageInfo {
      hasNextPage
    }
    nodes {
      ...ArtifactFields
    }
  }
  model {
    format
    artifactName
    artifactUrl
  }
  packIndex: artifact(name: "explain.index.json") {
    name
  }
  weights: artifact(name: "weights.bin") {
    name
  }
  samples {
    ...SampleImagesFields
  }
  uncertainty {
    ...UncertaintyFields
  }
  evaluation {
    ...EvaluationFields
  }
}`) as unknown as TypedDocumentString<RunQuery, RunQueryVariables>;
export const RunPredictionsDocument = new TypedDocumentString(`
    query RunPredictions($id: ID!, $filter: PredictionFilter, $first: Int, $after: String, $orderBy: PredictionOrder, $evaluationId: ID) {
  run(id: $id) {
    predictions(
      filter: $filter
      first: $first
      after: $after
      orderBy: $orderBy
      evaluationId: $evaluationId
    ) {
      totalCount
      pageInfo {
        endCursor
        hasNextPage
      }
      nodes {
        ...PredictionFields
      }
    }
  }
}
    fragment PredictionFields on Prediction {
  index
  label
  predicted
  confidence
  correct
  probabilities
}`) as unknown as TypedDocumentString<RunPredictionsQuery, RunPredictionsQueryVariables>;
export const RunUncertaintySamplesDocument = new TypedDocumentString(`
    query RunUncertaintySamples($id: ID!, $uncertaintyId: ID, $first: Int, $after: String, $orderBy: UncertaintySampleOrder) {
  run(id: $id) {
    uncertainty(id: $uncertaintyId) {
      id
      samples(first: $first, after: $after, orderBy: $orderBy) {
        totalCount
        pageInfo {
          endCursor
          hasNextPage
        }
        nodes {
          ...UncertaintySampleFields
        }
      }
    }
  }
}
    fragment UncertaintySampleFields on UncertaintySample {
  index
  label
  predicted
  correct
  confidence
  meanProbabilities
  entropy
  mutualInformation
  boxplots {
    class
    className
    min
    q1
    median
    q3
    max
  }
}`) as unknown as TypedDocumentString<RunUncertaintySamplesQuery, RunUncertaintySamplesQueryVariables>;
export const NewRunDocument = new TypedDocumentString(`
    query NewRun($projectsFirst: Int!) {
  presets {
    name
    description
    inputShape
    classes
    epochs
    batchSize
  }
  projects(first: $projectsFirst) {
    nodes {
      id
      name
      myRole
    }
  }
}
    `) as unknown as TypedDocumentString<NewRunQuery, NewRunQueryVariables>;
export const RunToCopyDocument = new TypedDocumentString(`
    query RunToCopy($id: ID!) {
  run(id: $id) {
    id
    name
    tags
    notes
    priority
    queuedConfig
    hyperparameters
    project {
      id
      name
    }
  }
}
    `) as unknown as TypedDocumentString<RunToCopyQuery, RunToCopyQueryVariables>;
export const QueueRunDocument = new TypedDocumentString(`
    mutation QueueRun($input: QueueRunInput!) {
  queueRun(input: $input) {
    id
    name
    status
  }
}
    `) as unknown as TypedDocumentString<QueueRunMutation, QueueRunMutationVariables>;
export const CancelRunDocument = new TypedDocumentString(`
    mutation CancelRun($id: ID!) {
  cancelRun(id: $id) {
    id
    status
    cancelRequested
  }
}
    `) as unknown as TypedDocumentString<CancelRunMutation, CancelRunMutationVariables>;
export const WorkersDocument = new TypedDocumentString(`
    query Workers($first: Int!, $after: String) {
  workers(first: $first, after: $after) {
    pageInfo {
      hasNextPage
      endCursor
    }
    nodes {
      id
      name
      host
      backend
      gpu
      memoryMb
      concurrency
      status
      lastSeenAt
      startedAt
      currentRuns {
        id
        name
        project {
          name
        }
      }
    }
  }
}
    `) as unknown as TypedDocumentString<WorkersQuery, WorkersQueryVariables>;
export const RunReproducibilityDocument = new TypedDocumentString(`
    query RunReproducibility($id: ID!) {
  run(id: $id) {
    id
    reproducibility {
      configFile {
        path
        text
        sha256
        truncated
      }
      git {
        commit
        branch
        dirty
        diff
        diffBytes
        diffTruncated
      }
      command
      host
      os {
        platform
        release
        arch
      }
      node
      tfjs
      backend
      dataset {
        sha256
        fileCount
        bytesRead
        truncated
        files {
          path
        }
      }
    }
  }
}
    `) as unknown as TypedDocumentString<RunReproducibilityQuery, RunReproducibilityQueryVariables>;
export const RunManagementDocument = new TypedDocumentString(`
    query RunManagement($id: ID!, $projectsFirst: Int!) {
  run(id: $id) {
    id
    archived
    archivedAt
    project {
      name
      myRole
    }
  }
  projects(first: $projectsFirst) {
    nodes {
      name
      myRole
    }
  }
}
    `) as unknown as TypedDocumentString<RunManagementQuery, RunManagementQueryVariables>;
export const UpdateRunFieldsDocument = new TypedDocumentString(`
    mutation UpdateRunFields($id: ID!, $input: UpdateRunInput!) {
  updateRun(id: $id, input: $input) {
    id
    name
    tags
    notes
  }
}
    `) as unknown as TypedDocumentString<UpdateRunFieldsMutation, UpdateRunFieldsMutationVariables>;
export const ArchiveRunDocument = new TypedDocumentString(`
    mutation ArchiveRun($id: ID!) {
  archiveRun(id: $id) {
    id
    archived
    archivedAt
  }
}
    `) as unknown as TypedDocumentString<ArchiveRunMutation, ArchiveRunMutationVariables>;
export const UnarchiveRunDocument = new TypedDocumentString(`
    mutation UnarchiveRun($id: ID!) {
  unarchiveRun(id: $id) {
    id
    archived
    archivedAt
  }
}
    `) as unknown as TypedDocumentString<UnarchiveRunMutation, UnarchiveRunMutationVariables>;
export const DeleteRunDocument = new TypedDocumentString(`
    mutation DeleteRun($id: ID!) {
  deleteRun(id: $id) {
    id
    projectName
  }
}
    `) as unknown as TypedDocumentString<DeleteRunMutation, DeleteRunMutationVariables>;
export const MoveRunDocument = new TypedDocumentString(`
    mutation MoveRun($id: ID!, $project: String!) {
  moveRun(id: $id, project: $project) {
    id
    project {
      name
    }
  }
}
    `) as unknown as TypedDocumentString<MoveRunMutation, MoveRunMutationVariables>;
export const RunsSignatureDocument = new TypedDocumentString(`
    query RunsSignature($filter: RunFilter) {
  runs(
    filter: $filter
    first: 1
    orderBy: {by: {field: CREATED_AT}, direction: DESC}
  ) {
    totalCount
    nodes {
      id
    }
  }
}
    `) as unknown as TypedDocumentString<RunsSignatureQuery, RunsSignatureQueryVariables>;
export const SavedViewsDocument = new TypedDocumentString(`
    query SavedViews($project: String!) {
  savedViews(project: $project) {
    ...SavedViewFields
  }
}
    fragment SavedViewFields on SavedView {
  id
  name
  state
  updatedAt
}`) as unknown as TypedDocumentString<SavedViewsQuery, SavedViewsQueryVariables>;
export const SaveViewDocument = new TypedDocumentString(`
    mutation SaveView($input: SaveViewInput!) {
  saveView(input: $input) {
    ...SavedViewFields
  }
}
    fragment SavedViewFields on SavedView {
  id
  name
  state
  updatedAt
}`) as unknown as TypedDocumentString<SaveViewMutation, SaveViewMutationVariables>;
export const DeleteViewDocument = new TypedDocumentString(`
    mutation DeleteView($id: ID!) {
  deleteView(id: $id) {
    id
  }
}
    `) as unknown as TypedDocumentString<DeleteViewMutation, DeleteViewMutationVariables>;
export const ProjectSweepsDocument = new TypedDocumentString(`
    query ProjectSweeps($projectId: ID!, $first: Int!, $after: String) {
  sweeps(projectId: $projectId, first: $first, after: $after) {
    totalCount
    pageInfo {
      hasNextPage
      endCursor
    }
    nodes {
      id
      name
      status
      method
      createdAt
      metric {
        name
        goal
      }
      progress {
        completed
        running
        queued
        failed
        cancelled
        planned
      }
      bestRun {
        runId
        value
      }
    }
  }
}
    `) as unknown as TypedDocumentString<ProjectSweepsQuery, ProjectSweepsQueryVariables>;
export const SweepProjectDocument = new TypedDocumentString(`
    query SweepProject($name: String!) {
  project(name: $name) {
    id
    name
    myRole
  }
}
    `) as unknown as TypedDocumentString<SweepProjectQuery, SweepProjectQueryVariables>;
export const SweepPageDocument = new TypedDocumentString(`
    query SweepPage($id: ID!) {
  sweep(id: $id) {
    id
    projectId
    project {
      name
      myRole
    }
    name
    status
    method
    configText
    lastError
    createdAt
    endedAt
    metric {
      name
      goal
    }
    parameterNames
    progress {
      queued
      running
      completed
      failed
      cancelled
      launched
      planned
      parallel
      launchErrors
    }
    bestRun {
      runId
      runName
      value
      parameters
    }
    points {
      runId
      runName
      status
      parameters
      value
    }
    importance {
      name
      correlation
      importance
    }
  }
}
    `) as unknown as TypedDocumentString<SweepPageQuery, SweepPageQueryVariables>;
export const CreateSweepDocument = new TypedDocumentString(`
    mutation CreateSweep($projectId: ID!, $name: String!, $config: String!) {
  createSweep(projectId: $projectId, name: $name, config: $config) {
    id
  }
}
    `) as unknown as TypedDocumentString<CreateSweepMutation, CreateSweepMutationVariables>;
export const PauseSweepDocument = new TypedDocumentString(`
    mutation PauseSweep($id: ID!) {
  pauseSweep(id: $id) {
    id
    status
  }
}
    `) as unknown as TypedDocumentString<PauseSweepMutation, PauseSweepMutationVariables>;
export const ResumeSweepDocument = new TypedDocumentString(`
    mutation ResumeSweep($id: ID!) {
  resumeSweep(id: $id) {
    id
    status
  }
}
    `) as unknown as TypedDocumentString<ResumeSweepMutation, ResumeSweepMutationVariables>;
export const StopSweepDocument = new TypedDocumentString(`
    mutation StopSweep($id: ID!) {
  stopSweep(id: $id) {
    id
    status
  }
}
    `) as unknown as TypedDocumentString<StopSweepMutation, StopSweepMutationVariables>;