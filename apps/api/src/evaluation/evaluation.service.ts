// Evaluation use cases: validation and atomic, idempotent storage of a client-computed report
// with its per-sample predictions, and paged reads of the predictions.
import { badInput, notFound } from '../common/errors';
import { insertIdempotent } from '../common/idempotent';
import { decodeCursor as decodePosition, limits } from '../common/limits';
import { parseJsonColumn } from '../common/json';
import { classNamesFor, finite, isNum, optionalFinite, splitName } from '../common/validate';
import type { RunService } from '../run/run.service';
import type {
  EvaluationRepository,
  EvaluationRow,
  NewPrediction,
  PredictionWhere,
} from './evaluation.repository';

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
/** Page size of Run.predictions when `first` is omitted, and the largest accepted. */
export const DEFAULT_PREDICTIONS_PAGE = 100;
export const MAX_PREDICTIONS_PAGE = 1000;

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

/** Input of logEvaluation (shape of EvaluationInput). */
export interface EvaluationData {
  split?: string | null;
  classNames?: string[] | null;
  numClasses?: number | null;
  labels: number[];
  probabilities?: number[][] | null;
  flatProbabilities?: number[] | null;
  report: Omit<EvaluationReport, 'roc' | 'perClass' | 'calibration'> & {
    perClass: (Omit<PerClass, 'auc'> & { auc?: number | null })[];
    calibration: (Omit<Bin, 'confidence' | 'accuracy'> & {
      confidence?: number | null;
      accuracy?: number | null;
    })[];
    roc?: (Roc | null)[] | null;
  };
  clientRequestId?: string | null;
}

/** An evaluation as handed to resolvers (shape of Evaluation). */
export interface EvaluationModel {
  id: string;
  runId: string;
  split: string;
  numSamples: number;
  numClasses: number;
  classNames: string[];
  accuracy: number;
  logLoss: number;
  ece: number;
  createdAt: Date;
}

/** A prediction as handed to resolvers (shape of Prediction). */
export interface PredictionModel {
  index: number;
  label: number;
  predicted: number;
  confidence: number;
  correct: boolean;
  probabilities: number[];
}

/** A page of predictions (shape of PredictionConnection). */
export interface PredictionPage {
  totalCount: number;
  pageInfo: { endCursor: string | null; hasNextPage: boolean };
  nodes: PredictionModel[];
}

/** Arguments of Run.predictions. */
export interface PredictionArgs {
  filter?: {
    misclassifiedOnly?: boolean | null;
    label?: number | null;
    predicted?: number | null;
    minConfidence?: number | null;
    maxConfidence?: number | null;
  } | null;
  first?: number | null;
  after?: string | null;
  /** Default INDEX. */
  orderBy?: 'INDEX' | 'CONFIDENCE_DESC' | null;
}

/**
 * True for a unique-constraint violation, also when raised by a raw INSERT (Prisma reports
 * those as P2010 with the database's own error: PostgreSQL 23505, SQLite "UNIQUE constraint failed").
 */

/** Maps a stored row to the model resolvers use. */
export function toEvaluationModel(row: EvaluationRow): EvaluationModel {
  const { clientRequestId: _key, classNames, ...rest } = row;
  return { ...rest, classNames: parseJsonColumn<string[]>(classNames, []) };
}

/** Parses a stored report (a corrupt one reads as empty lists). */
export function parseReport(text: string | undefined): EvaluationReport | null {
  return text === undefined ? null : parseJsonColumn<EvaluationReport | null>(text, null);
}

// Index order pages after the last index; confidence order pages by rank (predictions never
// change once stored, so an offset is a stable position).
function encodeCursor(kind: 'index' | 'rank', n: number): string {
  return Buffer.from(`${kind}:${n}`).toString('base64url');
}
function decodeCursor(cursor: string, kind: 'index' | 'rank'): number {
  const decoded = decodePosition(cursor, ['index', 'rank']);
  if (decoded.kind !== kind)
    throw badInput(`Cursor ${cursor} belongs to another orderBy than this request's`, {
      field: 'after',
    });
  return decoded.value;
}

function count(v: unknown, field: string): number {
  if (!Number.isSafeInteger(v) || (v as number) < 0)
    throw badInput(`${field} must be a non-negative integer, got ${String(v)}`, { field });
  return v as number;
}
function averaged(a: Averaged | undefined, field: string): Averaged {
  if (!a) throw badInput(`${field} is required`, { field });
  return {
    precision: finite(a.precision, `${field}.precision`, 0, 1),
    recall: finite(a.recall, `${field}.recall`, 0, 1),
    f1: finite(a.f1, `${field}.f1`, 0, 1),
  };
}

/** A validated logEvaluation input: what will be stored. */
interface Prepared {
  split: string;
  classNames: string[];
  numClasses: number;
  report: EvaluationReport;
  predictions: NewPrediction[];
}

/**
 * Validates an evaluation input: shapes, finiteness, probability rows (values in [0, 1],
 * summing to 1 within {@link ROW_SUM_TOLERANCE}), label range, and that the report is
 * consistent with the samples (confusion matrix = labels x argmax, accuracy = its trace / n).
 * @throws BAD_USER_INPUT naming the first problem
 */
export function prepareEvaluation(input: EvaluationData): Prepared {
  const split = splitName(input.split);
  const labels = input.labels;
  const n = labels?.length ?? 0;
  if (n === 0) throw badInput('labels is empty; need at least one sample', { field: 'labels' });
  if (n > MAX_SAMPLES)
    throw badInput(`At most ${MAX_SAMPLES} samples per evaluation, got ${n}`, { field: 'labels' });

  const hasNested = input.probabilities !== null && input.probabilities !== undefined;
  const hasFlat = input.flatProbabilities !== null && input.flatProbabilities !== undefined;
  if (hasNested === hasFlat)
    throw badInput('Give exactly one of probabilities and flatProbabilities', {
      field: 'probabilities',
    });
  let C: number;
  if (input.numClasses !== null && input.numClasses !== undefined) C = input.numClasses;
  else if (hasNested) C = input.probabilities![0]?.length ?? 0;
  else throw badInput('numClasses is required with flatProbabilities', { field: 'numClasses' });
  if (!Number.isInteger(C) || C < 2 || C > MAX_CLASSES) {
    throw badInput(`numClasses must be an integer in [2, ${MAX_CLASSES}], got ${C}`, {
      field: 'numClasses',
    });
  }
  if (n * C > MAX_VALUES)
    throw badInput(`At most ${MAX_VALUES} probabilities per evaluation, got ${n * C}`, {
      field: 'probabilities',
    });
  const classNames = classNamesFor(input.classNames, C);

  if (hasFlat && input.flatProbabilities!.length !== n * C) {
    throw badInput(
      `flatProbabilities has ${input.flatProbabilities!.length} values; expected numSamples * numClasses = ${n * C}`,
      { field: 'flatProbabilities' },
    );
  }
  if (hasNested && input.probabilities!.length !== n) {
    throw badInput(
      `probabilities has ${input.probabilities!.length} rows; expected one per label (${n})`,
      { field: 'probabilities' },
    );
  }

  // Samples: validate each row once, derive argmax (first index on ties), confidence, correctness.
  const confusion = Array.from({ length: C }, () => new Array<number>(C).fill(0));
  const predictions: NewPrediction[] = new Array(n);
  const flat = input.flatProbabilities;
  const row = new Array<number>(C);
  for (let i = 0; i < n; i++) {
    const y = labels[i];
    if (!Number.isInteger(y) || y < 0 || y >= C)
      throw badInput(`labels[${i}] = ${y} is not a class index in [0, ${C - 1}]`, {
        field: 'labels',
        index: i,
      });
    const src = hasNested ? input.probabilities![i] : null;
    if (src && src.length !== C)
      throw badInput(`probabilities[${i}] has ${src.length} values; expected numClasses = ${C}`, {
        field: 'probabilities',
        index: i,
      });
    let sum = 0;
    let best = 0;
    for (let c = 0; c < C; c++) {
      const v = src ? src[c] : flat![i * C + c];
      if (!isNum(v) || v < 0 || v > 1) {
        throw badInput(
          `probability of sample ${i}, class ${c} is ${String(v)}; must be finite and in [0, 1]`,
          { field: 'probabilities', index: i },
        );
      }
      row[c] = v;
      sum += v;
      if (v > row[best]) best = c;
    }
    if (Math.abs(sum - 1) > ROW_SUM_TOLERANCE) {
      throw badInput(
        `probabilities of sample ${i} sum to ${sum}; expected 1 (±${ROW_SUM_TOLERANCE})`,
        { field: 'probabilities', index: i },
      );
    }
    confusion[y][best] += 1;
    predictions[i] = {
      index: i,
      label: y,
      predicted: best,
      confidence: row[best],
      correct: best === y,
      probabilities: JSON.stringify(row),
    };
  }

  const r = input.report;
  if (!r) throw badInput('report is required', { field: 'report' });
  const accuracy = finite(r.accuracy, 'report.accuracy', 0, 1);
  const logLoss = finite(r.logLoss, 'report.logLoss', 0);
  const ece = finite(r.ece, 'report.ece', 0, 1);
  let trace = 0;
  for (let c = 0; c < C; c++) trace += confusion[c][c];
  if (Math.abs(accuracy - trace / n) > 1e-9) {
    throw badInput(
      `report.accuracy = ${accuracy} does not match the predictions (${trace}/${n} correct)`,
      { field: 'report.accuracy' },
    );
  }
  if (!Array.isArray(r.confusionMatrix) || r.confusionMatrix.length !== C) {
    throw badInput(`report.confusionMatrix must have ${C} rows`, {
      field: 'report.confusionMatrix',
    });
  }
  const confusionMatrix = r.confusionMatrix.map((cells, i) => {
    if (!Array.isArray(cells) || cells.length !== C)
      throw badInput(`report.confusionMatrix[${i}] must have ${C} columns`, {
        field: 'report.confusionMatrix',
      });
    return cells.map((v, j) => {
      if (count(v, `report.confusionMatrix[${i}][${j}]`) !== confusion[i][j]) {
        throw badInput(
          `report.confusionMatrix[${i}][${j}] = ${v} does not match the predictions (${confusion[i][j]})`,
          { field: 'report.confusionMatrix' },
        );
      }
      return v;
    });
  });
  if (!Array.isArray(r.topK)) throw badInput('report.topK is required', { field: 'report.topK' });
  limits.list(r.topK, 'report.topK', C);
  const topK = r.topK.map((t, i) => {
    if (!Number.isInteger(t.k) || t.k < 1 || t.k > C)
      throw badInput(`report.topK[${i}].k must be an integer in [1, ${C}]`, {
        field: 'report.topK',
      });
    return { k: t.k, accuracy: finite(t.accuracy, `report.topK[${i}].accuracy`, 0, 1) };
  });
  if (!Array.isArray(r.perClass) || r.perClass.length !== C) {
    throw badInput(
      `report.perClass has ${r.perClass?.length ?? 0} entries; expected one per class (${C})`,
      { field: 'report.perClass' },
    );
  }
  const perClass = r.perClass.map((p, c): PerClass => {
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
  const macro = averaged(r.macro, 'report.macro');
  const weighted = averaged(r.weighted, 'report.weighted');
  if (!Array.isArray(r.calibration))
    throw badInput('report.calibration is required', { field: 'report.calibration' });
  limits.list(r.calibration, 'report.calibration', MAX_CALIBRATION_BINS);
  let binned = 0;
  const calibration = r.calibration.map((b, i): Bin => {
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
  const rocIn = r.roc ?? [];
  if (rocIn.length !== 0 && rocIn.length !== C)
    throw badInput(`report.roc has ${rocIn.length} curves; expected one per class (${C})`, {
      field: 'report.roc',
    });
  const roc = Array.from({ length: C }, (_, c): Roc | null => {
    const curve = rocIn[c];
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
  return {
    split,
    classNames,
    numClasses: C,
    report: {
      accuracy,
      logLoss,
      ece,
      topK,
      perClass,
      confusionMatrix,
      macro,
      weighted,
      calibration,
      roc,
    },
    predictions,
  };
}

/** Evaluation business logic. */
export class EvaluationService {
  constructor(
    private readonly evaluations: EvaluationRepository,
    private readonly runs: RunService,
  ) {}

  /**
   * Stores an evaluation of a run with all its predictions, atomically. With a
   * clientRequestId, a retry returns the evaluation the first attempt stored.
   * @throws NOT_FOUND for an unknown run, BAD_USER_INPUT for invalid input (nothing stored)
   */
  async log(runId: string, input: EvaluationData): Promise<EvaluationModel> {
    this.runs.noteAlive(runId); // a write of the run's worker is a heartbeat too
    await this.runs.assertExists(runId);
    return insertIdempotent({
      key: input.clientRequestId,
      find: async (key) => {
        const row = await this.evaluations.findByClientRequestId(runId, key);
        return row ? toEvaluationModel(row) : null;
      },
      insert: async (key) => {
        const p = prepareEvaluation(input);
        const row = await this.evaluations.insert(
          {
            runId,
            split: p.split,
            numSamples: p.predictions.length,
            numClasses: p.numClasses,
            classNames: JSON.stringify(p.classNames),
            report: JSON.stringify(p.report),
            accuracy: p.report.accuracy,
            logLoss: p.report.logLoss,
            ece: p.report.ece,
            clientRequestId: key,
          },
          p.predictions,
        );
        return toEvaluationModel(row);
      },
    });
  }

  /** The evaluation `id` of run `runId`. @throws NOT_FOUND when it is not one of the run's */
  async findOfRun(runId: string, id: string): Promise<EvaluationModel> {
    const row = await this.evaluations.findById(limits.id(id, 'evaluationId'));
    if (!row || row.runId !== runId) throw notFound('Evaluation', id);
    return toEvaluationModel(row);
  }

  /** A page of the predictions of evaluation `evaluationId` (null: none), by sample index or by confidence. */
  async predictions(evaluationId: string | null, args: PredictionArgs): Promise<PredictionPage> {
    const first = args.first ?? DEFAULT_PREDICTIONS_PAGE;
    if (!Number.isInteger(first) || first < 0 || first > MAX_PREDICTIONS_PAGE) {
      throw badInput(`first must be between 0 and ${MAX_PREDICTIONS_PAGE}`, { field: 'first' });
    }
    const byConfidence = args.orderBy === 'CONFIDENCE_DESC';
    const kind = byConfidence ? 'rank' : 'index';
    const after = args.after ? decodeCursor(args.after, kind) : null;
    const f = args.filter ?? {};
    for (const k of ['minConfidence', 'maxConfidence'] as const) {
      if (f[k] !== null && f[k] !== undefined && !isNum(f[k]))
        throw badInput(`filter.${k} must be finite`, { field: `filter.${k}` });
    }
    if (evaluationId === null)
      return { totalCount: 0, pageInfo: { endCursor: null, hasNextPage: false }, nodes: [] };
    const where: PredictionWhere = {
      correct: f.misclassifiedOnly ? false : undefined,
      label: f.label ?? undefined,
      predicted: f.predicted ?? undefined,
      minConfidence: f.minConfidence ?? undefined,
      maxConfidence: f.maxConfidence ?? undefined,
    };
    const { rows, total } = await this.evaluations.page(
      evaluationId,
      where,
      byConfidence
        ? { order: 'confidence', skip: after ?? 0 }
        : { order: 'index', afterIndex: after },
      first + 1,
    );
    const hasNextPage = rows.length > first;
    const nodes = rows.slice(0, first).map((r) => ({
      index: r.index,
      label: r.label,
      predicted: r.predicted,
      confidence: r.confidence,
      correct: r.correct,
      probabilities: parseJsonColumn<number[]>(r.probabilities, []),
    }));
    return {
      totalCount: total,
      pageInfo: {
        endCursor: nodes.length
          ? encodeCursor(
              kind,
              byConfidence ? (after ?? 0) + nodes.length : nodes[nodes.length - 1].index,
            )
          : (args.after ?? null),
        hasNextPage,
      },
      nodes,
    };
  }
}
