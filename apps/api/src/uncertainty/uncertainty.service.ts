// Uncertainty use cases: validation and atomic, idempotent storage of client-computed Monte Carlo
// statistics (libs/ml mcPredict) with one row per sample, and paged reads of the samples.
import { badInput } from '../common/errors';
import { limits, LIMITS, runFull } from '../common/limits';
import {
  type PageArgs,
  encodeKeyset,
  pageRequest,
  toConnection,
  type ConnectionPage,
  type KeyValue,
  type PageLimits,
} from '../common/keyset';
import { insertIdempotent } from '../common/idempotent';
import { parseJsonColumn } from '../common/json';
import { classNamesFor, finite, optionalFinite, splitName } from '../common/validate';
import type { RunService } from '../run/run.service';
import type {
  NewUncertaintySample,
  SamplePageKey,
  UncertaintyRepository,
  UncertaintyRow,
  UncertaintySampleOrder,
  UncertaintySampleRow,
} from './uncertainty.repository';

/** Sampling methods a stored uncertainty can come from. */
export const UNCERTAINTY_METHODS = ['mc-dropout', 'variational'] as const;
/** One of {@link UNCERTAINTY_METHODS}. */
export type UncertaintyMethod = (typeof UNCERTAINTY_METHODS)[number];

/** Quantiles stored per sample and class: min, q1, median, q3, max. */
export const QUANTILES_PER_CLASS = 5;
/** Most samples one uncertainty evaluation may hold. */
export const MAX_UNCERTAINTY_SAMPLES = 1_000_000;
/** Most quantile values (samples x classes x 5) one evaluation may hold. */
export const MAX_UNCERTAINTY_VALUES = 20_000_000;
/** Most classes. */
export const MAX_UNCERTAINTY_CLASSES = 10_000;
/** Most passes. */
export const MAX_PASSES = 100_000;
/** Allowed |sum - 1| of a mean probability row (float32 means are off by ~1e-7). */
export const MEAN_ROW_TOLERANCE = 1e-3;
/**
 * Slack of the order checks (quantiles non-decreasing, the mean within [min, max], MI within
 * [0, entropy]): float32 statistics differ from exact ones in the 7th digit.
 */
export const STAT_TOLERANCE = 1e-4;
/** Page size of Uncertainty.samples when `first`/`last` is omitted, and the largest accepted. */
export const DEFAULT_SAMPLES_PAGE = 100;
export const MAX_SAMPLES_PAGE = 1000;

/** Input of logUncertainty (shape of UncertaintyInput). */
export interface UncertaintyData {
  split?: string | null;
  method: string;
  passes: number;
  classNames?: string[] | null;
  numClasses?: number | null;
  labels: number[];
  meanProbabilities: number[];
  std: number[];
  entropy: number[];
  mutualInformation: number[];
  quantiles: number[];
  accuracy: number;
  auc?: number | null;
  perClassAuc?: (number | null)[] | null;
  clientRequestId?: string | null;
}

/** An uncertainty evaluation as handed to resolvers (shape of Uncertainty). */
export interface UncertaintyModel {
  id: string;
  runId: string;
  split: string;
  method: string;
  passes: number;
  numSamples: number;
  numClasses: number;
  classNames: string[];
  accuracy: number;
  auc: number | null;
  perClassAuc: (number | null)[];
  meanEntropy: number;
  meanMutualInformation: number;
  createdAt: Date;
}

/** Five-number summary of one class's probability over the passes. */
export interface BoxplotModel {
  class: number;
  className: string;
  min: number;
  q1: number;
  median: number;
  q3: number;
  max: number;
}

/** One sample as handed to resolvers (shape of UncertaintySample). */
export interface UncertaintySampleModel {
  /** `<uncertaintyId>:<index>`. */
  id: string;
  index: number;
  label: number;
  predicted: number;
  correct: boolean;
  confidence: number;
  meanProbabilities: number[];
  std: number[];
  entropy: number;
  mutualInformation: number;
  boxplots: BoxplotModel[];
}

/** A page of samples (shape of UncertaintySampleConnection). */
export interface UncertaintySamplePage extends ConnectionPage<UncertaintySampleModel> {
  totalCount: number;
}

/** Arguments of Uncertainty.samples. */
export interface UncertaintySampleArgs extends PageArgs {
  /** Default INDEX. */
  orderBy?: 'INDEX' | 'ENTROPY_DESC' | 'MI_DESC' | null;
}

/** A validated page request: the loader key (minus the evaluation id) and the page size. */
export interface SamplePageRequest {
  key: Omit<SamplePageKey, 'uncertaintyId'>;
  size: number;
}

const ORDERS: Record<NonNullable<UncertaintySampleArgs['orderBy']>, UncertaintySampleOrder> = {
  INDEX: 'index',
  ENTROPY_DESC: 'entropy',
  MI_DESC: 'mutualInformation',
};

/** Maps a stored row to the model resolvers use. */
export function toUncertaintyModel(row: UncertaintyRow): UncertaintyModel {
  const { clientRequestId: _key, classNames, perClassAuc, ...rest } = row;
  return {
    ...rest,
    classNames: parseJsonColumn<string[]>(classNames, []),
    perClassAuc: parseJsonColumn<(number | null)[]>(perClassAuc, []),
  };
}

/** Cursor kind and page sizes of Uncertainty.samples in one order. */
function samplePages(order: UncertaintySampleOrder): PageLimits {
  return {
    kind: `uncertainty-sample:${order}`,
    defaultSize: DEFAULT_SAMPLES_PAGE,
    maxSize: MAX_SAMPLES_PAGE,
  };
}

/** The sort key of a sample in `order`: [index], or [value, index] (value highest first). */
function sampleKey(order: UncertaintySampleOrder, s: UncertaintySampleModel): number[] {
  if (order === 'index') return [s.index];
  return [order === 'entropy' ? s.entropy : s.mutualInformation, s.index];
}

/** A decoded cursor key checked to be a sort key of `order`. @throws BAD_USER_INPUT otherwise */
function checkedKey(
  order: UncertaintySampleOrder,
  key: KeyValue[] | null,
  field: string,
): number[] | null {
  if (key === null) return null;
  const isIndex = (v: KeyValue | undefined) => Number.isInteger(v) && Number(v) >= 0;
  const ok =
    order === 'index'
      ? key.length === 1 && isIndex(key[0])
      : key.length === 2 && typeof key[0] === 'number' && isIndex(key[1]);
  if (!ok)
    throw badInput(`Invalid cursor: not a cursor of Uncertainty.samples in this order`, { field });
  return key as number[];
}

function length(values: unknown, field: string, expected: number, what: string): number[] {
  if (!Array.isArray(values)) throw badInput(`${field} is required`, { field });
  if (values.length !== expected)
    throw badInput(`${field} has ${values.length} values; expected ${what} = ${expected}`, {
      field,
    });
  return values as number[];
}

/** A validated logUncertainty input: what will be stored. */
interface Prepared {
  split: string;
  method: UncertaintyMethod;
  passes: number;
  classNames: string[];
  accuracy: number;
  auc: number | null;
  perClassAuc: (number | null)[];
  meanEntropy: number;
  meanMutualInformation: number;
  samples: NewUncertaintySample[];
}

/** BAD_USER_INPUT unless `method` is one of {@link UNCERTAINTY_METHODS}. */
function checkMethod(method: string): UncertaintyMethod {
  const known = UNCERTAINTY_METHODS.find((m) => m === method);
  if (known === undefined)
    throw badInput(
      `method must be one of ${UNCERTAINTY_METHODS.map((m) => `"${m}"`).join(', ')}, got "${method}"`,
      { field: 'method' },
    );
  return known;
}

/** BAD_USER_INPUT unless `passes` is an integer in [1, {@link MAX_PASSES}]. */
function checkPasses(passes: number): number {
  if (!Number.isInteger(passes) || passes < 1 || passes > MAX_PASSES)
    throw badInput(`passes must be an integer in [1, ${MAX_PASSES}], got ${passes}`, {
      field: 'passes',
    });
  return passes;
}

/** The number of samples (one label each): 1 to {@link MAX_UNCERTAINTY_SAMPLES}. */
function sampleCount(labels: readonly number[] | null | undefined): number {
  const n = labels?.length ?? 0;
  if (n === 0) throw badInput('labels is empty; need at least one sample', { field: 'labels' });
  if (n > MAX_UNCERTAINTY_SAMPLES)
    throw badInput(`At most ${MAX_UNCERTAINTY_SAMPLES} samples, got ${n}`, { field: 'labels' });
  return n;
}

/**
 * The number of classes: numClasses, else the class names' count, else means per sample; an
 * integer in [2, {@link MAX_UNCERTAINTY_CLASSES}] with n x C x 5 quantiles within the limit.
 */
function classCount(input: UncertaintyData, n: number): number {
  let C: number;
  let cField = 'numClasses';
  if (input.numClasses !== null && input.numClasses !== undefined) C = input.numClasses;
  else if (input.classNames) [C, cField] = [input.classNames.length, 'classNames'];
  else [C, cField] = [(input.meanProbabilities?.length ?? 0) / n, 'meanProbabilities'];
  if (!Number.isInteger(C) || C < 2 || C > MAX_UNCERTAINTY_CLASSES)
    throw badInput(
      `numClasses must be an integer in [2, ${MAX_UNCERTAINTY_CLASSES}], got ${C} (from ${cField})`,
      { field: cField },
    );
  if (n * C * QUANTILES_PER_CLASS > MAX_UNCERTAINTY_VALUES)
    throw badInput(
      `At most ${MAX_UNCERTAINTY_VALUES} quantiles per evaluation, got ${n * C * QUANTILES_PER_CLASS}`,
      { field: 'quantiles' },
    );
  return C;
}

/** The per-sample arrays of an input, each checked to have its length. */
interface SampleArrays {
  labels: number[];
  /** n x C mean probabilities. */
  means: number[];
  /** n x C standard deviations. */
  std: number[];
  entropy: number[];
  mi: number[];
  /** n x C x 5 quantiles. */
  quantiles: number[];
  /** Classes. */
  C: number;
}

/** The input's arrays, BAD_USER_INPUT naming the first whose length is not what n and C say. */
function sampleArrays(input: UncertaintyData, n: number, C: number): SampleArrays {
  const means = length(
    input.meanProbabilities,
    'meanProbabilities',
    n * C,
    'numSamples * numClasses',
  );
  const std = length(input.std, 'std', n * C, 'numSamples * numClasses');
  const entropy = length(input.entropy, 'entropy', n, 'numSamples');
  const mi = length(input.mutualInformation, 'mutualInformation', n, 'numSamples');
  const Q = QUANTILES_PER_CLASS;
  const quantiles = length(input.quantiles, 'quantiles', n * C * Q, 'numSamples * numClasses * 5');
  return { labels: input.labels, means, std, entropy, mi, quantiles, C };
}

/**
 * The quantile box of (sample i, class c) at flat index k: finite in [0, 1], non-decreasing, and
 * around the mean `m` (up to {@link STAT_TOLERANCE}).
 */
function checkedBox(quantiles: number[], i: number, c: number, k: number, m: number): number[] {
  const Q = QUANTILES_PER_CLASS;
  const box = quantiles.slice(k * Q, k * Q + Q);
  box.forEach((v, j) => finite(v, 'quantiles', 0, 1, k * Q + j));
  // quantiles holds n * C * Q values (checked by sampleArrays): box has Q of them.
  const [low, high] = [box[0]!, box[Q - 1]!];
  for (let j = 1; j < Q; j++) {
    if (box[j]! < box[j - 1]! - STAT_TOLERANCE)
      throw badInput(
        `quantiles of sample ${i}, class ${c} decrease (${box.join(', ')}); expected min <= q1 <= median <= q3 <= max`,
        { field: 'quantiles', index: k * Q + j },
      );
  }
  if (m < low - STAT_TOLERANCE || m > high + STAT_TOLERANCE)
    throw badInput(
      `mean probability ${m} of sample ${i}, class ${c} lies outside its quantiles [${low}, ${high}]`,
      { field: 'quantiles', index: k * Q },
    );
  return box;
}

/**
 * Sample i checked and made into its stored row: its label, each class's mean, std and quantiles
 * (the means summing to 1), its entropy in [0, ln C] and MI in [0, entropy]; predicted is the
 * argmax of the means (first on ties).
 */
function prepareSample(a: SampleArrays, i: number, maxEntropy: number): NewUncertaintySample {
  const { C } = a;
  const y = a.labels[i];
  if (y === undefined || !Number.isInteger(y) || y < 0 || y >= C)
    throw badInput(`labels[${i}] = ${y} is not a class index in [0, ${C - 1}]`, {
      field: 'labels',
      index: i,
    });
  const row = new Array<number>(C);
  const sd = new Array<number>(C);
  const boxes: number[][] = new Array(C);
  let sum = 0;
  let best = 0;
  let confidence = -Infinity;
  for (let c = 0; c < C; c++) {
    const k = i * C + c;
    const m = finite(a.means[k], 'meanProbabilities', 0, 1, k);
    row[c] = m;
    sum += m;
    if (m > confidence) {
      best = c;
      confidence = m;
    }
    sd[c] = finite(a.std[k], 'std', 0, 0.5 + STAT_TOLERANCE, k);
    boxes[c] = checkedBox(a.quantiles, i, c, k, m);
  }
  if (Math.abs(sum - 1) > MEAN_ROW_TOLERANCE)
    throw badInput(
      `meanProbabilities of sample ${i} sum to ${sum}; expected 1 (±${MEAN_ROW_TOLERANCE})`,
      { field: 'meanProbabilities', index: i },
    );
  const h = finite(a.entropy[i], 'entropy', 0, maxEntropy, i);
  const info = finite(a.mi[i], 'mutualInformation', -STAT_TOLERANCE, h + STAT_TOLERANCE, i);
  return {
    index: i,
    label: y,
    predicted: best,
    entropy: h,
    mutualInformation: info,
    meanProbabilities: JSON.stringify(row),
    std: JSON.stringify(sd),
    quantiles: JSON.stringify(boxes),
  };
}

/** BAD_USER_INPUT unless `accuracy` is in [0, 1] and equals correct / n. */
function checkAccuracy(value: number, correct: number, n: number): number {
  const accuracy = finite(value, 'accuracy', 0, 1);
  if (Math.abs(accuracy - correct / n) > 1e-9)
    throw badInput(
      `accuracy = ${accuracy} does not match the mean predictions (${correct}/${n} correct)`,
      { field: 'accuracy' },
    );
  return accuracy;
}

/** The per-class AUCs: none (all null) or one per class, each null or in [0, 1]. */
function checkPerClassAuc(
  values: (number | null)[] | null | undefined,
  C: number,
): (number | null)[] {
  const perClassIn = values ?? [];
  if (perClassIn.length !== 0 && perClassIn.length !== C)
    throw badInput(`perClassAuc has ${perClassIn.length} values; expected numClasses = ${C}`, {
      field: 'perClassAuc',
    });
  return Array.from({ length: C }, (_, c) => optionalFinite(perClassIn[c], 'perClassAuc', 0, 1, c));
}

/**
 * Validates an uncertainty input: method and passes, array lengths against numSamples and
 * numClasses, finiteness and ranges (mean rows are probability vectors, std in [0, 0.5],
 * entropy in [0, ln C], MI in [0, entropy], each class's quantiles non-decreasing with the mean
 * inside [min, max], up to {@link STAT_TOLERANCE}), labels, and that `accuracy` is the accuracy
 * of the argmax of the means. The mean entropy and MI are computed here.
 * @throws BAD_USER_INPUT naming the field (and element index) of the first problem
 */
export function prepareUncertainty(input: UncertaintyData): Prepared {
  const split = splitName(input.split);
  const method = checkMethod(input.method);
  const passes = checkPasses(input.passes);
  const n = sampleCount(input.labels);
  const C = classCount(input, n);
  const classNames = classNamesFor(input.classNames, C);
  const arrays = sampleArrays(input, n, C);

  const maxEntropy = Math.log(C) + STAT_TOLERANCE;
  const samples: NewUncertaintySample[] = new Array(n);
  let correct = 0;
  let entropySum = 0;
  let miSum = 0;
  for (let i = 0; i < n; i++) {
    const sample = prepareSample(arrays, i, maxEntropy);
    if (sample.predicted === sample.label) correct++;
    entropySum += sample.entropy;
    miSum += sample.mutualInformation;
    samples[i] = sample;
  }

  const accuracy = checkAccuracy(input.accuracy, correct, n);
  const auc = optionalFinite(input.auc, 'auc', 0, 1);
  const perClassAuc = checkPerClassAuc(input.perClassAuc, C);
  return {
    split,
    method,
    passes,
    classNames,
    accuracy,
    auc,
    perClassAuc,
    meanEntropy: entropySum / n,
    meanMutualInformation: miSum / n,
    samples,
  };
}

/** Maps a stored sample to the model resolvers use. */
export function toSampleModel(
  row: UncertaintySampleRow,
  classNames: string[],
): UncertaintySampleModel {
  const meanProbabilities = parseJsonColumn<number[]>(row.meanProbabilities, []);
  const quantiles = parseJsonColumn<number[][]>(row.quantiles, []);
  return {
    id: `${row.uncertaintyId}:${row.index}`,
    index: row.index,
    label: row.label,
    predicted: row.predicted,
    correct: row.label === row.predicted,
    confidence: meanProbabilities[row.predicted] ?? 0,
    meanProbabilities,
    std: parseJsonColumn<number[]>(row.std, []),
    entropy: row.entropy,
    mutualInformation: row.mutualInformation,
    // A corrupt stored row reads as zeros (as parseJsonColumn reads it as an empty list).
    boxplots: quantiles.map(([min = 0, q1 = 0, median = 0, q3 = 0, max = 0], c) => ({
      class: c,
      className: classNames[c] ?? String(c),
      min,
      q1,
      median,
      q3,
      max,
    })),
  };
}

/** Uncertainty business logic. */
export class UncertaintyService {
  constructor(
    private readonly uncertainties: UncertaintyRepository,
    private readonly runs: RunService,
    /** Most uncertainty evaluations one run holds (Run.uncertainties is a plain list bounded by it). */
    private readonly maxPerRun: number = LIMITS.uncertaintiesPerRun,
  ) {}

  /**
   * Stores an uncertainty evaluation of a run with all its samples, atomically. With a
   * clientRequestId, a retry returns what the first attempt stored.
   * @throws NOT_FOUND for an unknown run, BAD_USER_INPUT for invalid input or a run that
   *   already holds `maxPerRun` uncertainty evaluations (nothing stored)
   */
  async log(runId: string, input: UncertaintyData): Promise<UncertaintyModel> {
    this.runs.noteAlive(runId); // a write of the run's worker is a heartbeat too
    await this.runs.assertExists(runId);
    return insertIdempotent({
      key: input.clientRequestId,
      find: async (key) => {
        const row = await this.uncertainties.findByClientRequestId(runId, key);
        return row ? toUncertaintyModel(row) : null;
      },
      insert: async (key) => {
        const p = prepareUncertainty(input);
        const row = await this.uncertainties.insert(
          {
            runId,
            split: p.split,
            method: p.method,
            passes: p.passes,
            numSamples: p.samples.length,
            numClasses: p.classNames.length,
            classNames: JSON.stringify(p.classNames),
            accuracy: p.accuracy,
            auc: p.auc,
            perClassAuc: JSON.stringify(p.perClassAuc),
            meanEntropy: p.meanEntropy,
            meanMutualInformation: p.meanMutualInformation,
            clientRequestId: key,
          },
          p.samples,
          (stored) => {
            if (stored >= this.maxPerRun)
              throw runFull(
                runId,
                'uncertainties',
                'uncertainty evaluations',
                this.maxPerRun,
                stored + 1,
              );
          },
        );
        return toUncertaintyModel(row);
      },
    });
  }

  /**
   * The uncertainty evaluation `id` of run `runId`, or null when it is not one of the run's
   * (Run.uncertainty(id) answers null for an id that names nothing).
   */
  async findOfRun(runId: string, id: string): Promise<UncertaintyModel | null> {
    const row = await this.uncertainties.findById(limits.id(id, 'id'));
    return row && row.runId === runId ? toUncertaintyModel(row) : null;
  }

  /**
   * Validates the arguments of Uncertainty.samples into a loader key (one row more than the
   * page, to know whether more exist).
   * @throws BAD_USER_INPUT for bad page arguments or a cursor of another order
   */
  pageRequest(args: UncertaintySampleArgs): SamplePageRequest {
    const order = ORDERS[args.orderBy ?? 'INDEX'];
    const request = pageRequest(args, samplePages(order));
    const field = request.direction === 'forward' ? 'after' : 'before';
    return {
      key: {
        order,
        direction: request.direction,
        key: checkedKey(order, request.key, field),
        take: request.size + 1,
      },
      size: request.size,
    };
  }

  /** The page answering `request` from the rows its loader key returned (walking order). */
  toPage(
    uncertainty: UncertaintyModel,
    rows: readonly UncertaintySampleRow[],
    request: SamplePageRequest,
  ): UncertaintySamplePage {
    const { order, direction, key } = request.key;
    const page = toConnection(
      rows.map((r) => toSampleModel(r, uncertainty.classNames)),
      { direction, size: request.size, key },
      (s) => encodeKeyset(samplePages(order).kind, sampleKey(order, s)),
    );
    return { ...page, totalCount: uncertainty.numSamples };
  }
}
