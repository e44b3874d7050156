// The checks of logEvaluation's input: shapes, finiteness, probability rows, label range, and
// that the client-computed report agrees with the samples it was computed from. Nothing is
// stored unless all of them pass; the first problem found is the error, naming its field.
import { badInput } from '../common/errors';
import { limits } from '../common/limits';
import { classNamesFor, finite, isNum, optionalFinite, splitName } from '../common/validate';
import type { NewPrediction } from './evaluation.repository';
import type {
  Averaged,
  Bin,
  EvaluationData,
  EvaluationReport,
  PerClass,
  ReportInput,
  Roc,
} from './evaluation-report';

/** Most samples one evaluation may hold. */
export const MAX_SAMPLES = 1_000_000;
/** Most probabilities (samples x classes) one evaluation may hold. */
export const MAX_VALUES = 20_000_000;
/** Most classes. */
export const MAX_CLASSES = 10_000;
/** Allowed |sum - 1| of a probability row (float32 softmax outputs are off by ~1e-7). */
export const ROW_SUM_TOLERANCE = 1e-3;
/** Most calibration bins a report may hold. */
export const MAX_CALIBRATION_BINS = 1000;

/** A validated logEvaluation input: what will be stored. */
export interface PreparedEvaluation {
  split: string;
  classNames: string[];
  numClasses: number;
  report: EvaluationReport;
  predictions: NewPrediction[];
}

/** The probabilities as sent: exactly one of a row per sample or one flat samples x classes list. */
interface Probabilities {
  nested: number[][] | null;
  flat: number[] | null;
  numClasses: number;
}

/** What the samples say, to hold the report against. */
interface ScoredSamples {
  /** confusion[label][predicted] counts. */
  confusion: number[][];
  predictions: NewPrediction[];
}

/**
 * Validates an evaluation input: shapes, finiteness, probability rows (values in [0, 1],
 * summing to 1 within {@link ROW_SUM_TOLERANCE}), label range, and that the report is
 * consistent with the samples (confusion matrix = labels x argmax, accuracy = its trace / n).
 * @throws BAD_USER_INPUT naming the first problem
 */
export function prepareEvaluation(input: EvaluationData): PreparedEvaluation {
  const split = splitName(input.split);
  const n = sampleCount(input.labels);
  const probabilities = probabilitiesOf(input, n);
  const C = probabilities.numClasses;
  const classNames = classNamesFor(input.classNames, C);
  checkProbabilityCount(probabilities, n);
  const samples = scoreSamples(input.labels, probabilities);
  const report = checkReport(input.report, { samples, classNames, n });
  return { split, classNames, numClasses: C, report, predictions: samples.predictions };
}

/** The number of samples: 1 to {@link MAX_SAMPLES} labels. */
function sampleCount(labels: number[] | null | undefined): number {
  const n = labels?.length ?? 0;
  if (n === 0) throw badInput('labels is empty; need at least one sample', { field: 'labels' });
  if (n > MAX_SAMPLES)
    throw badInput(`At most ${MAX_SAMPLES} samples per evaluation, got ${n}`, { field: 'labels' });
  return n;
}

/** Which probability list was sent, and the number of classes (given, or the first row's length). */
function probabilitiesOf(input: EvaluationData, n: number): Probabilities {
  const nested = input.probabilities ?? null;
  const flat = input.flatProbabilities ?? null;
  if ((nested === null) === (flat === null))
    throw badInput('Give exactly one of probabilities.rows and probabilities.flat', {
      field: 'probabilities',
    });
  let C: number;
  if (input.numClasses !== null && input.numClasses !== undefined) C = input.numClasses;
  else if (nested) C = nested[0]?.length ?? 0;
  else throw badInput('numClasses is required with probabilities.flat', { field: 'numClasses' });
  if (!Number.isInteger(C) || C < 2 || C > MAX_CLASSES) {
    throw badInput(`numClasses must be an integer in [2, ${MAX_CLASSES}], got ${C}`, {
      field: 'numClasses',
    });
  }
  if (n * C > MAX_VALUES)
    throw badInput(`At most ${MAX_VALUES} probabilities per evaluation, got ${n * C}`, {
      field: 'probabilities',
    });
  return { nested, flat, numClasses: C };
}

/** One row per sample, or numSamples x numClasses flat values. */
function checkProbabilityCount({ nested, flat, numClasses: C }: Probabilities, n: number): void {
  if (flat && flat.length !== n * C) {
    throw badInput(
      `probabilities.flat has ${flat.length} values; expected numSamples * numClasses = ${n * C}`,
      { field: 'probabilities.flat' },
    );
  }
  if (nested && nested.length !== n) {
    throw badInput(`probabilities has ${nested.length} rows; expected one per label (${n})`, {
      field: 'probabilities',
    });
  }
}

/**
 * Validates each sample once and derives its prediction: argmax (first index on ties),
 * confidence, correctness; counts the confusion matrix on the way.
 */
function scoreSamples(labels: number[], probabilities: Probabilities): ScoredSamples {
  const { nested, flat, numClasses: C } = probabilities;
  const n = labels.length;
  const confusion = Array.from({ length: C }, () => new Array<number>(C).fill(0));
  const predictions: NewPrediction[] = new Array<NewPrediction>(n);
  const row = new Array<number>(C);
  for (let i = 0; i < n; i++) {
    const y = labels[i];
    if (y === undefined || !Number.isInteger(y) || y < 0 || y >= C)
      throw badInput(`labels[${i}] = ${y} is not a class index in [0, ${C - 1}]`, {
        field: 'labels',
        index: i,
      });
    const src = nested ? nested[i] : null;
    if (nested && src?.length !== C)
      throw badInput(
        `probabilities[${i}] has ${src?.length ?? 0} values; expected numClasses = ${C}`,
        { field: 'probabilities', index: i },
      );
    // Fills `row` (no allocation per sample) and returns the argmax.
    let sum = 0;
    let best = 0;
    let confidence = -Infinity;
    for (let c = 0; c < C; c++) {
      const v = src ? src[c] : flat?.[i * C + c];
      if (!isNum(v) || v < 0 || v > 1) {
        throw badInput(
          `probability of sample ${i}, class ${c} is ${String(v)}; must be finite and in [0, 1]`,
          { field: 'probabilities', index: i },
        );
      }
      row[c] = v;
      sum += v;
      if (v > confidence) {
        best = c;
        confidence = v;
      }
    }
    if (Math.abs(sum - 1) > ROW_SUM_TOLERANCE) {
      throw badInput(
        `probabilities of sample ${i} sum to ${sum}; expected 1 (±${ROW_SUM_TOLERANCE})`,
        { field: 'probabilities', index: i },
      );
    }
    // y and best are in [0, C) (checked above), so both rows exist.
    confusion[y]![best]! += 1;
    predictions[i] = {
      index: i,
      label: y,
      predicted: best,
      confidence,
      correct: best === y,
      probabilities: JSON.stringify(row),
    };
  }
  return { confusion, predictions };
}

/** What the report is checked against. */
interface ReportContext {
  samples: ScoredSamples;
  classNames: string[];
  /** Number of samples. */
  n: number;
}

/** Validates the report and holds it against the samples; returns it as stored. */
function checkReport(r: ReportInput | undefined, ctx: ReportContext): EvaluationReport {
  if (!r) throw badInput('report is required', { field: 'report' });
  const C = ctx.classNames.length;
  const { confusion } = ctx.samples;
  const headline = checkHeadline(r, confusion, ctx.n);
  const confusionMatrix = checkConfusionMatrix(r.confusionMatrix, confusion);
  const topK = checkTopK(r.topK, C);
  const perClass = checkPerClass(r.perClass, ctx.classNames);
  const macro = averaged(r.macro, 'report.macro');
  const weighted = averaged(r.weighted, 'report.weighted');
  const calibration = checkCalibration(r.calibration, ctx.n);
  const roc = checkRoc(r.roc, { numClasses: C, n: ctx.n });
  return { ...headline, topK, perClass, confusionMatrix, macro, weighted, calibration, roc };
}

/** accuracy, logLoss and ece; accuracy must be the confusion matrix's trace / n. */
function checkHeadline(
  r: ReportInput,
  confusion: number[][],
  n: number,
): Pick<EvaluationReport, 'accuracy' | 'logLoss' | 'ece'> {
  const accuracy = finite(r.accuracy, 'report.accuracy', 0, 1);
  const logLoss = finite(r.logLoss, 'report.logLoss', 0);
  const ece = finite(r.ece, 'report.ece', 0, 1);
  const trace = confusion.reduce((sum, cells, c) => sum + (cells[c] ?? 0), 0);
  if (Math.abs(accuracy - trace / n) > 1e-9) {
    throw badInput(
      `report.accuracy = ${accuracy} does not match the predictions (${trace}/${n} correct)`,
      { field: 'report.accuracy' },
    );
  }
  return { accuracy, logLoss, ece };
}

/** The report's confusion matrix: C x C counts equal to the samples'. */
function checkConfusionMatrix(matrix: number[][] | undefined, confusion: number[][]): number[][] {
  const C = confusion.length;
  if (!Array.isArray(matrix) || matrix.length !== C) {
    throw badInput(`report.confusionMatrix must have ${C} rows`, {
      field: 'report.confusionMatrix',
    });
  }
  return matrix.map((cells, i) => {
    if (!Array.isArray(cells) || cells.length !== C)
      throw badInput(`report.confusionMatrix[${i}] must have ${C} columns`, {
        field: 'report.confusionMatrix',
      });
    return cells.map((v, j) => {
      const expected = confusion[i]?.[j];
      if (count(v, `report.confusionMatrix[${i}][${j}]`) !== expected) {
        throw badInput(
          `report.confusionMatrix[${i}][${j}] = ${v} does not match the predictions (${expected})`,
          { field: 'report.confusionMatrix' },
        );
      }
      return v;
    });
  });
}

/** Top-k accuracies: at most one per k in [1, C]. */
function checkTopK(topK: ReportInput['topK'] | undefined, C: number): EvaluationReport['topK'] {
  if (!Array.isArray(topK)) throw badInput('report.topK is required', { field: 'report.topK' });
  limits.list(topK, 'report.topK', C);
  return topK.map((t, i) => {
    if (!Number.isInteger(t.k) || t.k < 1 || t.k > C)
      throw badInput(`report.topK[${i}].k must be an integer in [1, ${C}]`, {
        field: 'report.topK',
      });
    return { k: t.k, accuracy: finite(t.accuracy, `report.topK[${i}].accuracy`, 0, 1) };
  });
}

/** One entry per class, in class-index order, labelled with the class's name. */
function checkPerClass(
  perClass: ReportInput['perClass'] | undefined,
  classNames: string[],
): PerClass[] {
  const C = classNames.length;
  if (!Array.isArray(perClass) || perClass.length !== C) {
    throw badInput(
      `report.perClass has ${perClass?.length ?? 0} entries; expected one per class (${C})`,
      { field: 'report.perClass' },
    );
  }
  return perClass.map((p, c): PerClass => {
    const f = `report.perClass[${c}]`;
    if (p.label !== classNames[c])
      throw badInput(
        `${f}.label is "${p.label}"; expected "${classNames[c]}" (class-index order)`,
        { field: 'report.perClass' },
      );
    return {
      label: p.label,
      precision: finite(p.precision, `${f}.precision`, 0, 1),
      recall: finite(p.recall, `${f}.recall`, 0, 1),
      f1: finite(p.f1, `${f}.f1`, 0, 1),
      sensitivity: finite(p.sensitivity, `${f}.sensitivity`, 0, 1),
      specificity: finite(p.specificity, `${f}.specificity`, 0, 1),
      support: count(p.support, `${f}.support`),
      auc: optionalFinite(p.auc, `${f}.auc`, 0, 1),
    };
  });
}

/** Calibration bins; when there are any, their counts add up to the number of samples. */
function checkCalibration(bins: ReportInput['calibration'] | undefined, n: number): Bin[] {
  if (!Array.isArray(bins))
    throw badInput('report.calibration is required', { field: 'report.calibration' });
  limits.list(bins, 'report.calibration', MAX_CALIBRATION_BINS);
  let binned = 0;
  const calibration = bins.map((b, i): Bin => {
    const f = `report.calibration[${i}]`;
    const bin = {
      binLower: finite(b.binLower, `${f}.binLower`, 0, 1),
      binUpper: finite(b.binUpper, `${f}.binUpper`, 0, 1),
      confidence: optionalFinite(b.confidence, `${f}.confidence`, 0, 1),
      accuracy: optionalFinite(b.accuracy, `${f}.accuracy`, 0, 1),
      count: count(b.count, `${f}.count`),
    };
    binned += bin.count;
    return bin;
  });
  if (calibration.length > 0 && binned !== n) {
    throw badInput(`report.calibration counts sum to ${binned}; expected numSamples = ${n}`, {
      field: 'report.calibration',
    });
  }
  return calibration;
}

/** ROC curves: none, or one per class (null where undefined); each of consistent lengths. */
function checkRoc(
  rocIn: ReportInput['roc'],
  { numClasses: C, n }: { numClasses: number; n: number },
): (Roc | null)[] {
  const curves = rocIn ?? [];
  if (curves.length !== 0 && curves.length !== C)
    throw badInput(`report.roc has ${curves.length} curves; expected one per class (${C})`, {
      field: 'report.roc',
    });
  return Array.from({ length: C }, (_, c): Roc | null => {
    const curve = curves[c];
    if (!curve) return null;
    const f = `report.roc[${c}]`;
    const len = curve.thresholds?.length ?? 0;
    if (len === 0 || curve.fpr?.length !== len || curve.tpr?.length !== len) {
      throw badInput(`${f}: fpr, tpr and thresholds must be non-empty and of equal length`, {
        field: 'report.roc',
      });
    }
    // A ROC curve has at most one point per distinct score plus its two ends.
    limits.list(curve.thresholds, `${f}.thresholds`, n + 2);
    return {
      fpr: curve.fpr.map((v, i) => finite(v, `${f}.fpr[${i}]`, 0, 1)),
      tpr: curve.tpr.map((v, i) => finite(v, `${f}.tpr[${i}]`, 0, 1)),
      thresholds: curve.thresholds.map((v, i) => finite(v, `${f}.thresholds[${i}]`)),
    };
  });
}

/** A non-negative integer. */
function count(v: unknown, field: string): number {
  if (!Number.isSafeInteger(v) || (v as number) < 0)
    throw badInput(`${field} must be a non-negative integer, got ${String(v)}`, { field });
  return v as number;
}

/** Averaged precision, recall and F1, each in [0, 1]. */
function averaged(a: Averaged | undefined, field: string): Averaged {
  if (!a) throw badInput(`${field} is required`, { field });
  return {
    precision: finite(a.precision, `${field}.precision`, 0, 1),
    recall: finite(a.recall, `${field}.recall`, 0, 1),
    f1: finite(a.f1, `${field}.f1`, 0, 1),
  };
}
