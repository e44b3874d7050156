// Evaluation use cases: atomic, idempotent storage of a client-computed report with its
// per-sample predictions (checked by evaluation-validation.ts), and paged reads of the predictions.
import { badInput, notFound } from '../common/errors';
import { insertIdempotent } from '../common/idempotent';
import { limits, LIMITS, runFull } from '../common/limits';
import { parseJsonColumn } from '../common/json';
import { isNum } from '../common/validate';
import type { RunService } from '../run/run.service';
import type {
  EvaluationRepository,
  EvaluationRow,
  PredictionPosition,
  PredictionRow,
  PredictionWhere,
} from './evaluation.repository';
import type { EvaluationData, EvaluationReport } from './evaluation-report';
import { prepareEvaluation } from './evaluation-validation';
import {
  type PageArgs,
  encodeKeyset,
  pageRequest,
  toConnection,
  type ConnectionPage,
  type KeyValue,
  type PageLimits,
} from '../common/keyset';

/** Page size of Run.predictions when `first`/`last` is omitted, and the largest accepted. */
export const DEFAULT_PREDICTIONS_PAGE = 100;
export const MAX_PREDICTIONS_PAGE = 1000;

/** Cursor kinds and page sizes of Run.predictions, per order (a cursor only fits its order). */
const PREDICTION_PAGES: Record<'INDEX' | 'CONFIDENCE_DESC', PageLimits> = {
  INDEX: {
    kind: 'prediction:index',
    defaultSize: DEFAULT_PREDICTIONS_PAGE,
    maxSize: MAX_PREDICTIONS_PAGE,
  },
  CONFIDENCE_DESC: {
    kind: 'prediction:confidence',
    defaultSize: DEFAULT_PREDICTIONS_PAGE,
    maxSize: MAX_PREDICTIONS_PAGE,
  },
};

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
  /** `<evaluationId>:<index>`. */
  id: string;
  index: number;
  label: number;
  predicted: number;
  confidence: number;
  correct: boolean;
  probabilities: number[];
}

/** A page of predictions (shape of PredictionConnection). */
export interface PredictionPage extends ConnectionPage<PredictionModel> {
  totalCount: number;
}

/** Arguments of Run.predictions. */
export interface PredictionArgs extends PageArgs {
  filter?: {
    misclassifiedOnly?: boolean | null;
    label?: number | null;
    predicted?: number | null;
    minConfidence?: number | null;
    maxConfidence?: number | null;
  } | null;
  /** Default INDEX. */
  orderBy?: 'INDEX' | 'CONFIDENCE_DESC' | null;
}

/** Maps a stored row to the model resolvers use. */
export function toEvaluationModel(row: EvaluationRow): EvaluationModel {
  const { clientRequestId: _key, classNames, ...rest } = row;
  return { ...rest, classNames: parseJsonColumn<string[]>(classNames, []) };
}

/** Parses a stored report (a corrupt one reads as empty lists). */
export function parseReport(text: string | undefined): EvaluationReport | null {
  return text === undefined ? null : parseJsonColumn<EvaluationReport | null>(text, null);
}

/** Evaluation business logic. */
export class EvaluationService {
  constructor(
    private readonly evaluations: EvaluationRepository,
    private readonly runs: RunService,
    /** Most evaluations one run holds (Run.evaluations is a plain list bounded by it). */
    private readonly maxPerRun: number = LIMITS.evaluationsPerRun,
  ) {}

  /**
   * Stores an evaluation of a run with all its predictions, atomically. With a
   * clientRequestId, a retry returns the evaluation the first attempt stored.
   * @throws NOT_FOUND for an unknown run, BAD_USER_INPUT for invalid input or a run that
   *   already holds `maxPerRun` evaluations (nothing stored)
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
          (stored) => {
            if (stored >= this.maxPerRun)
              throw runFull(runId, 'evaluations', 'evaluations', this.maxPerRun, stored + 1);
          },
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

  /**
   * A page of the predictions of evaluation `evaluationId` (null: none, an empty page), by
   * sample index or by confidence, keyset-paged forward (first/after) or backward (last/before).
   * @throws BAD_USER_INPUT for bad page arguments, a cursor of another order, or a bad filter
   */
  async predictions(evaluationId: string | null, args: PredictionArgs): Promise<PredictionPage> {
    const order = args.orderBy ?? 'INDEX';
    const request = pageRequest(args, PREDICTION_PAGES[order]);
    const position = positionOf(order, request);
    const where = predictionWhere(args.filter ?? {});
    if (evaluationId === null) return { ...toConnection([], request, () => ''), totalCount: 0 };
    const { rows, total } = await this.evaluations.page(evaluationId, where, position);
    const page = toConnection(rows.map(toPredictionModel), request, (p) =>
      encodeKeyset(
        PREDICTION_PAGES[order].kind,
        order === 'INDEX' ? [p.index] : [p.confidence, p.index],
      ),
    );
    return { ...page, totalCount: total };
  }
}

/** The repository position of a page request, its cursor key checked against the order. */
function positionOf(
  order: 'INDEX' | 'CONFIDENCE_DESC',
  request: { direction: 'forward' | 'backward'; size: number; key: KeyValue[] | null },
): PredictionPosition {
  const { direction, key } = request;
  const take = request.size + 1;
  const field = direction === 'forward' ? 'after' : 'before';
  const bad = () =>
    badInput(`Invalid cursor: not a cursor of Run.predictions in ${order} order`, { field });
  const isIndex = (v: KeyValue | undefined): v is number => Number.isInteger(v) && Number(v) >= 0;
  if (order === 'INDEX') {
    if (key === null) return { order: 'index', direction, take, key: null };
    const [index] = key;
    if (key.length !== 1 || !isIndex(index)) throw bad();
    return { order: 'index', direction, take, key: [index] };
  }
  if (key === null) return { order: 'confidence', direction, take, key: null };
  const [confidence, index] = key;
  if (key.length !== 2 || typeof confidence !== 'number' || !isIndex(index)) throw bad();
  return { order: 'confidence', direction, take, key: [confidence, index] };
}

/** The repository conditions of a predictions filter. @throws BAD_USER_INPUT for a non-finite bound */
function predictionWhere(f: NonNullable<PredictionArgs['filter']>): PredictionWhere {
  for (const k of ['minConfidence', 'maxConfidence'] as const) {
    if (f[k] !== null && f[k] !== undefined && !isNum(f[k]))
      throw badInput(`filter.${k} must be finite`, { field: `filter.${k}` });
  }
  return {
    correct: f.misclassifiedOnly ? false : undefined,
    label: f.label ?? undefined,
    predicted: f.predicted ?? undefined,
    minConfidence: f.minConfidence ?? undefined,
    maxConfidence: f.maxConfidence ?? undefined,
  };
}

/** Maps a stored prediction to the model resolvers use. */
function toPredictionModel(r: PredictionRow): PredictionModel {
  return {
    id: `${r.evaluationId}:${r.index}`,
    index: r.index,
    label: r.label,
    predicted: r.predicted,
    confidence: r.confidence,
    correct: r.correct,
    probabilities: parseJsonColumn<number[]>(r.probabilities, []),
  };
}
