// The shapes of an evaluation report: as a client sends it (EvaluationData) and as it is
// stored and served (EvaluationReport). The checks live in evaluation-validation.ts.

/** Averaged precision/recall/F1. */
export interface Averaged {
  precision: number;
  recall: number;
  f1: number;
}
/** One class's one-vs-rest metrics. */
export interface PerClass extends Averaged {
  label: string;
  sensitivity: number;
  specificity: number;
  support: number;
  auc: number | null;
}
/** One ROC curve. */
export interface Roc {
  fpr: number[];
  tpr: number[];
  thresholds: number[];
}
/** One calibration bin. */
export interface Bin {
  binLower: number;
  binUpper: number;
  confidence: number | null;
  accuracy: number | null;
  count: number;
}

/** The report as sent by the client and stored (JSON column). */
export interface EvaluationReport {
  accuracy: number;
  logLoss: number;
  ece: number;
  topK: { k: number; accuracy: number }[];
  perClass: PerClass[];
  confusionMatrix: number[][];
  macro: Averaged;
  weighted: Averaged;
  calibration: Bin[];
  /** Per class; null where the curve is undefined (no positives or no negatives). */
  roc: (Roc | null)[];
}

/** The report part of {@link EvaluationData}: optional parts may be left out. */
export type ReportInput = Omit<EvaluationReport, 'roc' | 'perClass' | 'calibration'> & {
  perClass: (Omit<PerClass, 'auc'> & { auc?: number | null })[];
  calibration: (Omit<Bin, 'confidence' | 'accuracy'> & {
    confidence?: number | null;
    accuracy?: number | null;
  })[];
  roc?: (Roc | null)[] | null;
};

/** Input of logEvaluation (shape of EvaluationInput). */
export interface EvaluationData {
  split?: string | null;
  classNames?: string[] | null;
  numClasses?: number | null;
  labels: number[];
  probabilities?: number[][] | null;
  flatProbabilities?: number[] | null;
  report: ReportInput;
  clientRequestId?: string | null;
}
