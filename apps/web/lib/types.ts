// Shapes of the GraphQL responses the dashboard asks for (see apps/api/schema.graphql).

/** Lifecycle state of a run. */
export type RunStatus = 'QUEUED' | 'RUNNING' | 'COMPLETED' | 'FAILED';

/** Arbitrary JSON value (the schema's `JSON` scalar). */
export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

export interface Project {
  id: string;
  name: string;
  description: string | null;
  createdAt: string;
  runCount: number;
}

export interface MetricPoint {
  step: number;
  value: number;
}

export interface MetricSeries {
  name: string;
  totalPoints: number;
  downsampled: boolean;
  points: MetricPoint[];
}

export interface MetricSummary {
  name: string;
  last: number;
  lastStep: number;
  min: number;
  max: number;
  count: number;
}

export interface Artifact {
  id: string;
  kind: string;
  name: string;
  sha256: string;
  bytes: number;
  mimeType: string;
  createdAt: string;
}

/** A run as listed in the runs table. */
export interface RunListItem {
  id: string;
  name: string;
  status: RunStatus;
  project: { name: string };
  hyperparameters: Json;
  createdAt: string;
  startedAt: string | null;
  endedAt: string | null;
  durationMs: number | null;
  summary: MetricSummary[];
  trend: { name: string; points: MetricPoint[] }[];
}

/** Averaged precision / recall / F1. */
export interface AveragedMetrics {
  precision: number;
  recall: number;
  f1: number;
}

/** One-vs-rest metrics of one class. */
export interface PerClassMetrics extends AveragedMetrics {
  label: string;
  sensitivity: number;
  specificity: number;
  support: number;
  auc: number | null;
}

/** One bin of the reliability table. */
export interface CalibrationBin {
  binLower: number;
  binUpper: number;
  confidence: number | null;
  accuracy: number | null;
  count: number;
}

/** The latest classification evaluation of a run (without ROC curves, fetched per class). */
export interface Evaluation {
  id: string;
  split: string;
  numSamples: number;
  numClasses: number;
  classNames: string[];
  accuracy: number;
  logLoss: number;
  ece: number;
  topK: { k: number; accuracy: number }[];
  perClass: PerClassMetrics[];
  confusionMatrix: number[][];
  macro: AveragedMetrics | null;
  weighted: AveragedMetrics | null;
  calibration: CalibrationBin[];
}

/** The evaluated images stored with a run (served one by one as PNG). */
export interface SampleImages {
  /** Images stored: sample indices 0 to count - 1. */
  count: number;
  height: number;
  width: number;
  channels: number;
  sha256: string;
}

/** One evaluated sample of Run.predictions. */
export interface Prediction {
  index: number;
  label: number;
  predicted: number;
  confidence: number;
  correct: boolean;
  probabilities: number[];
}

/** A page of predictions. */
export interface PredictionPage {
  totalCount: number;
  pageInfo: { endCursor: string | null; hasNextPage: boolean };
  nodes: Prediction[];
}

/** One ROC curve. */
export interface RocCurve {
  fpr: number[];
  tpr: number[];
}

/** The latest uncertainty evaluation of a run (samples are paged separately). */
export interface Uncertainty {
  id: string;
  split: string;
  /** "mc-dropout" or "variational". */
  method: string;
  passes: number;
  numSamples: number;
  numClasses: number;
  classNames: string[];
  accuracy: number;
  auc: number | null;
  meanEntropy: number;
  meanMutualInformation: number;
}

/** Five-number summary of one class's probability over the passes. */
export interface ClassBoxplot {
  class: number;
  className: string;
  min: number;
  q1: number;
  median: number;
  q3: number;
  max: number;
}

/** One sample of an uncertainty evaluation. */
export interface UncertaintySample {
  index: number;
  label: number;
  predicted: number;
  correct: boolean;
  confidence: number;
  meanProbabilities: number[];
  entropy: number;
  mutualInformation: number;
  boxplots: ClassBoxplot[];
}

/** Everything the run page shows. */
export interface RunDetail {
  id: string;
  name: string;
  status: RunStatus;
  project: { name: string };
  hyperparameters: Json;
  tags: string[];
  notes: string | null;
  modelSummary: Json;
  datasetInfo: Json;
  backend: string | null;
  backendReason: string | null;
  error: string | null;
  createdAt: string;
  startedAt: string | null;
  endedAt: string | null;
  heartbeatAt: string | null;
  durationMs: number | null;
  metrics: MetricSeries[];
  summary: MetricSummary[];
  artifacts: Artifact[];
  /** Latest evaluation; absent in data from before evaluations were queried. */
  evaluation?: Evaluation | null;
  /** Stored test-split images; null when the run stored none. */
  samples?: SampleImages | null;
  /** Latest uncertainty evaluation (MC dropout / variational runs); null when none. */
  uncertainty?: Uncertainty | null;
}

/** Runs still in flight; their pages poll for updates. */
export function isActive(status: RunStatus): boolean {
  return status === 'QUEUED' || status === 'RUNNING';
}
