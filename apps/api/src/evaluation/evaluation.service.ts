// Evaluation use cases: atomic, idempotent storage of a client-computed report with its
// per-sample predictions (checked by evaluation-validation.ts), and paged reads of the predictions.
import { badInput, notFound } from '../common/errors';
import { insertIdempotent } from '../common/idempotent';
import { limits } from '../common/limits';
import { parseJsonColumn } from '../common/json';
import { isNum } from '../common/validate';
import type { RunService } from '../run/run.service';
import type { EvaluationRepository, EvaluationRow, PredictionWhere } from './evaluation.repository';
import type { EvaluationData, EvaluationReport } from './evaluation-report';
import { prepareEvaluation } from './evaluation-validation';
import { decodePredictionCursor, encodePredictionCursor } from './prediction-cursor';

/** Page size of Run.predictions when `first` is omitted, and the largest accepted. */
export const DEFAULT_PREDICTIONS_PAGE = 100;
export const MAX_PREDICTIONS_PAGE = 1000;

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
    const after = args.after ? decodePredictionCursor(args.after, kind) : null;
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
    const last = nodes.at(-1);
    return {
      totalCount: total,
      pageInfo: {
        endCursor: last
          ? encodePredictionCursor(kind, byConfidence ? (after ?? 0) + nodes.length : last.index)
          : (args.after ?? null),
        hasNextPage,
      },
      nodes,
    };
  }
}
