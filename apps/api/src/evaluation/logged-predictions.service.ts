// logPredictions: the server computes an evaluation's report from the per-sample labels and
// probabilities with @convscope/metrics (the code the TF.js client runs before logEvaluation),
// then stores it through logEvaluation's own path (EvaluationService.log), so the same samples
// give the same stored evaluation whichever side computed the report.
import {
  evaluateClassification,
  oneVsRestRocCurves,
  type ClassificationReport,
  type RocCurve,
} from '@convscope/metrics';
import { badInput } from '../common/errors';
import { classNamesFor, isNum, splitName } from '../common/validate';
import type { EvaluationData, ReportInput } from './evaluation-report';
import type { EvaluationModel, EvaluationService } from './evaluation.service';
import { MAX_CLASSES, MAX_SAMPLES, MAX_VALUES, ROW_SUM_TOLERANCE } from './evaluation-validation';

/** What logPredictions receives (shape of LogPredictionsInput). */
export interface LoggedPredictions {
  /** Default `test`. */
  split?: string | null;
  /** One name per class, class-index order; their number is the number of classes. */
  classNames: string[];
  /** True class index of each sample. */
  labels: number[];
  /** One row of class probabilities per sample. */
  probabilities: number[][];
  /** Idempotency key (see EvaluationService.log). */
  clientRequestId?: string | null;
}

/** Stores evaluations whose report the server computes. */
export class LoggedPredictionsService {
  constructor(private readonly evaluations: EvaluationService) {}

  /**
   * Validates the samples, computes their report (scikit-learn definitions, as the TF.js client
   * does) and stores it with every prediction as a new evaluation of run `runId`, under
   * logEvaluation's rules (one transaction; a finished run still takes evaluations; a retry
   * with the same clientRequestId returns the first attempt's evaluation).
   * @throws BAD_USER_INPUT naming the field (and sample index) of the first problem;
   *   NOT_FOUND for an unknown run
   */
  async log(runId: string, input: LoggedPredictions): Promise<EvaluationModel> {
    return this.evaluations.log(runId, evaluationDataOf(input));
  }
}

/**
 * The logEvaluation input the TF.js client would send for these samples: the same report
 * (evaluateClassification) and one-vs-rest ROC curves (null where undefined).
 * @throws BAD_USER_INPUT naming the field of the first problem
 */
export function evaluationDataOf(input: LoggedPredictions): EvaluationData {
  const split = splitName(input.split);
  const numClasses = classCount(input.classNames);
  const classNames = classNamesFor(input.classNames, numClasses);
  const probabilities = checkedProbabilities(input, numClasses);
  const { labels } = input;
  const report = evaluateClassification({ labels, probabilities, numClasses, classNames });
  const roc = oneVsRestRocCurves({ labels, probabilities, numClasses });
  return {
    split,
    classNames,
    numClasses,
    labels,
    probabilities: input.probabilities,
    report: reportInput(report, roc),
    clientRequestId: input.clientRequestId,
  };
}

/** The report fields logEvaluation takes, picked as the TF.js client picks them. */
function reportInput(report: ClassificationReport, roc: (RocCurve | null)[]): ReportInput {
  return {
    accuracy: report.accuracy,
    logLoss: report.logLoss,
    ece: report.ece,
    topK: report.topK,
    perClass: report.perClass,
    confusionMatrix: report.confusionMatrix,
    macro: report.macro,
    weighted: report.weighted,
    calibration: report.calibration,
    roc,
  };
}

/** The number of classes: 2 to {@link MAX_CLASSES} class names. */
function classCount(classNames: string[] | null | undefined): number {
  const C = classNames?.length ?? 0;
  if (C < 2 || C > MAX_CLASSES)
    throw badInput(`classNames has ${C} names; need 2 to ${MAX_CLASSES} classes`, {
      field: 'classNames',
    });
  return C;
}

/**
 * Checks the samples (counts within the limits, labels in range, one row per label of finite
 * probabilities in [0, 1] summing to 1) and returns the probabilities row-major in float64.
 */
function checkedProbabilities(input: LoggedPredictions, C: number): Float64Array {
  const { labels, probabilities: rows } = input;
  const n = labels.length;
  if (n === 0) throw badInput('labels is empty; need at least one sample', { field: 'labels' });
  if (n > MAX_SAMPLES)
    throw badInput(`At most ${MAX_SAMPLES} samples per evaluation, got ${n}`, { field: 'labels' });
  if (rows.length !== n)
    throw badInput(`probabilities has ${rows.length} rows; expected one per label (${n})`, {
      field: 'probabilities',
    });
  if (n * C > MAX_VALUES)
    throw badInput(`At most ${MAX_VALUES} probabilities per evaluation, got ${n} x ${C}`, {
      field: 'probabilities',
    });
  const flat = new Float64Array(n * C);
  for (let i = 0; i < n; i++) {
    const y = labels[i];
    if (!Number.isInteger(y) || y === undefined || y < 0 || y >= C)
      throw badInput(`labels[${i}] = ${y} is not a class index in [0, ${C - 1}]`, {
        field: 'labels',
        index: i,
      });
    flat.set(checkedRow(rows[i], i, C), i * C);
  }
  return flat;
}

/** Row `i`: C finite values in [0, 1] summing to 1 within {@link ROW_SUM_TOLERANCE}. */
function checkedRow(row: number[] | undefined, i: number, C: number): number[] {
  if (row?.length !== C)
    throw badInput(
      `probabilities[${i}] has ${row?.length ?? 0} values; expected one per class (${C})`,
      { field: 'probabilities', index: i },
    );
  let sum = 0;
  for (let c = 0; c < C; c++) {
    const v = row[c];
    if (!isNum(v) || v < 0 || v > 1)
      throw badInput(
        `probabilities[${i}][${c}] is ${String(v)}; probabilities must be finite and in [0, 1]`,
        { field: 'probabilities', index: i },
      );
    sum += v;
  }
  if (Math.abs(sum - 1) > ROW_SUM_TOLERANCE)
    throw badInput(
      `probabilities[${i}] sums to ${sum}; each row must sum to 1 (within ${ROW_SUM_TOLERANCE})`,
      { field: 'probabilities', index: i },
    );
  return row;
}
