// Prisma access for evaluations and their predictions (the only module touching those tables).
import { randomBytes } from 'node:crypto';
import type { Db } from '../db/prisma';
import { lockedRunRowCount } from '../db/run-rows';

/** The scalar columns of an evaluation (everything but the report). */
export interface EvaluationRow {
  id: string;
  runId: string;
  split: string;
  numSamples: number;
  numClasses: number;
  classNames: string;
  accuracy: number;
  logLoss: number;
  ece: number;
  clientRequestId: string | null;
  createdAt: Date;
}

const evaluationSelect = {
  id: true,
  runId: true,
  split: true,
  numSamples: true,
  numClasses: true,
  classNames: true,
  accuracy: true,
  logLoss: true,
  ece: true,
  clientRequestId: true,
  createdAt: true,
} as const;

/** An evaluation to insert. */
export interface NewEvaluation {
  runId: string;
  split: string;
  numSamples: number;
  numClasses: number;
  classNames: string;
  report: string;
  accuracy: number;
  logLoss: number;
  ece: number;
  clientRequestId: string | null;
}

/** A prediction to insert (probabilities already serialised). */
export interface NewPrediction {
  index: number;
  label: number;
  predicted: number;
  confidence: number;
  correct: boolean;
  probabilities: string;
}

/** A stored prediction. */
export interface PredictionRow extends NewPrediction {
  evaluationId: string;
}

/**
 * Where a predictions page starts: after (forward) or before (backward) the keyset of a
 * prediction in its order, or at the start (forward) or end (backward) when `key` is null.
 * index order: key = [index]; confidence order (confidence desc, index asc): key = [confidence, index].
 */
export type PredictionPosition = {
  direction: 'forward' | 'backward';
  /** Rows to read (the page size plus one, to learn whether more exist). */
  take: number;
} & (
  | { order: 'index'; key: [index: number] | null }
  | { order: 'confidence'; key: [confidence: number, index: number] | null }
);

/** Conditions of a predictions page. */
export interface PredictionWhere {
  correct?: boolean;
  label?: number;
  predicted?: number;
  minConfidence?: number;
  maxConfidence?: number;
}

// Rows per INSERT: SQLite binds 7 parameters per row (limit 32766); PostgreSQL binds seven
// arrays per statement (unnest).
const SQLITE_CHUNK = 4000;
const POSTGRES_CHUNK = 20_000;

let sequence = 0;
/**
 * A new evaluation id that sorts by creation (time, then a per-process counter), so "newest
 * first" is well defined even for two evaluations created in the same millisecond.
 */
function newEvaluationId(now: Date): string {
  sequence = (sequence + 1) % 36 ** 4;
  return `ev${now.getTime().toString(36).padStart(9, '0')}${sequence.toString(36).padStart(4, '0')}${randomBytes(6).toString('hex')}`;
}

/** A DateTime parameter in the format Prisma itself stores for the dialect. */
function timeParam(dialect: 'sqlite' | 'postgresql', time: Date): string {
  const iso = time.toISOString();
  return dialect === 'sqlite' ? iso.replace('Z', '+00:00') : iso.replace('Z', '');
}

/** Reads and writes evaluations and predictions. */
export class EvaluationRepository {
  constructor(
    private readonly prisma: Db,
    private readonly dialect: 'sqlite' | 'postgresql',
  ) {}

  /** Scalar columns of every evaluation of the given runs, newest first (one query). */
  findByRunIds(runIds: readonly string[]): Promise<EvaluationRow[]> {
    return this.prisma.evaluation.findMany({
      where: { runId: { in: [...runIds] } },
      select: evaluationSelect,
      orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
    });
  }

  /** The report JSON of the given evaluations (one query). */
  async reports(ids: readonly string[]): Promise<Map<string, string>> {
    const rows = await this.prisma.evaluation.findMany({
      where: { id: { in: [...ids] } },
      select: { id: true, report: true },
    });
    return new Map(rows.map((r) => [r.id, r.report]));
  }

  findByClientRequestId(runId: string, clientRequestId: string): Promise<EvaluationRow | null> {
    return this.prisma.evaluation.findUnique({
      where: { runId_clientRequestId: { runId, clientRequestId } },
      select: evaluationSelect,
    });
  }

  findById(id: string): Promise<EvaluationRow | null> {
    return this.prisma.evaluation.findUnique({ where: { id }, select: evaluationSelect });
  }

  /**
   * Inserts the evaluation and all its predictions in one transaction (batched raw INSERTs:
   * 10,000 rows take well under a second). Numbers go in as their shortest round-trip text so
   * both databases store the exact doubles (Prisma's number parameters keep 16 digits only).
   * Throws P2002 on a duplicate (runId, clientRequestId). `admit` sees, inside the transaction,
   * how many evaluations the run holds (inserts of one run are serialised) and may throw to
   * store nothing.
   */
  async insert(
    evaluation: NewEvaluation,
    predictions: readonly NewPrediction[],
    admit: (stored: number) => void,
  ): Promise<EvaluationRow> {
    const createdAt = new Date();
    const id = newEvaluationId(createdAt);
    const d = this.dialect;
    const ph = (i: number) => (d === 'sqlite' ? '?' : `$${i}`);
    await this.prisma.$transaction(
      async (tx) => {
        admit(await lockedRunRowCount(tx, d, 'Evaluation', evaluation.runId));
        const real =
          d === 'sqlite' ? (i: number) => ph(i) : (i: number) => `${ph(i)}::double precision`;
        const ts = d === 'sqlite' ? ph(12) : `${ph(12)}::timestamp(3)`;
        await tx.$executeRawUnsafe(
          `INSERT INTO "Evaluation" ("id", "runId", "split", "numSamples", "numClasses", "classNames", "report", "accuracy", "logLoss", "ece", "clientRequestId", "createdAt")
           VALUES (${ph(1)}, ${ph(2)}, ${ph(3)}, ${ph(4)}, ${ph(5)}, ${ph(6)}, ${ph(7)}, ${real(8)}, ${real(9)}, ${real(10)}, ${ph(11)}, ${ts})`,
          id,
          evaluation.runId,
          evaluation.split,
          evaluation.numSamples,
          evaluation.numClasses,
          evaluation.classNames,
          evaluation.report,
          String(evaluation.accuracy),
          String(evaluation.logLoss),
          String(evaluation.ece),
          evaluation.clientRequestId,
          timeParam(d, createdAt),
        );
        if (d === 'sqlite') {
          for (let i = 0; i < predictions.length; i += SQLITE_CHUNK) {
            const chunk = predictions.slice(i, i + SQLITE_CHUNK);
            await tx.$executeRawUnsafe(
              `INSERT INTO "Prediction" ("evaluationId", "index", "label", "predicted", "confidence", "correct", "probabilities")
               VALUES ${chunk.map(() => '(?, ?, ?, ?, ?, ?, ?)').join(', ')}`,
              ...chunk.flatMap((p) => [
                id,
                p.index,
                p.label,
                p.predicted,
                String(p.confidence),
                p.correct ? 1 : 0,
                p.probabilities,
              ]),
            );
          }
        } else {
          for (let i = 0; i < predictions.length; i += POSTGRES_CHUNK) {
            const chunk = predictions.slice(i, i + POSTGRES_CHUNK);
            await tx.$executeRawUnsafe(
              `INSERT INTO "Prediction" ("evaluationId", "index", "label", "predicted", "confidence", "correct", "probabilities")
               SELECT $1, i, l, p, c::double precision, ok, pr
               FROM unnest($2::int[], $3::int[], $4::int[], $5::text[], $6::boolean[], $7::text[]) AS u(i, l, p, c, ok, pr)`,
              id,
              chunk.map((p) => p.index),
              chunk.map((p) => p.label),
              chunk.map((p) => p.predicted),
              chunk.map((p) => String(p.confidence)),
              chunk.map((p) => p.correct),
              chunk.map((p) => p.probabilities),
            );
          }
        }
      },
      { maxWait: 20_000, timeout: 120_000 },
    );
    const row = await this.findById(id);
    if (!row) throw new Error(`Evaluation ${id} vanished after insert`);
    return row;
  }

  /** Predictions with index > afterIndex in index order, without a count (for streamed exports). */
  predictionsAfter(
    evaluationId: string,
    afterIndex: number | null,
    take: number,
  ): Promise<PredictionRow[]> {
    return this.prisma.prediction.findMany({
      where: afterIndex === null ? { evaluationId } : { evaluationId, index: { gt: afterIndex } },
      select: predictionSelect,
      orderBy: { index: 'asc' },
      take,
    });
  }

  /**
   * A page of predictions plus the filtered total. Reads only the page: the rows after (forward)
   * or before (backward) the position's key in walking order (backward walks the list reversed),
   * at most `position.take`. Raw SQL so that doubles travel as their shortest round-trip text:
   * Prisma's number parameters keep 16 digits, and a cursor's confidence must compare exactly.
   */
  async page(
    evaluationId: string,
    where: PredictionWhere,
    position: PredictionPosition,
  ): Promise<{ rows: PredictionRow[]; total: number }> {
    const sql = new SqlParams(this.dialect);
    const filter = filterSql(sql, evaluationId, where);
    const [{ total }] = (await this.prisma.$queryRawUnsafe<{ total: number | bigint }[]>(
      `SELECT COUNT(*) AS "total" FROM "Prediction" WHERE ${filter}`,
      ...sql.values,
    )) as [{ total: number | bigint }];
    if (position.take === 0) return { rows: [], total: Number(total) };
    const keyset = keysetSql(sql, position);
    const rows = await this.prisma.$queryRawUnsafe<PredictionRow[]>(
      `SELECT "evaluationId", "index", "label", "predicted", "confidence", "correct", "probabilities"
       FROM "Prediction" WHERE ${filter}${keyset ? ` AND ${keyset}` : ''}
       ORDER BY ${walkOrderSql(position)} LIMIT ${sql.add(position.take, '::int')}`,
      ...sql.values,
    );
    return {
      rows: rows.map((r) => ({
        ...r,
        index: Number(r.index),
        label: Number(r.label),
        predicted: Number(r.predicted),
        confidence: Number(r.confidence),
        correct: Boolean(r.correct),
      })),
      total: Number(total),
    };
  }
}

/** Positional parameters of one raw statement, in textual order (SQLite's `?` are positional). */
class SqlParams {
  readonly values: unknown[] = [];
  constructor(private readonly dialect: 'sqlite' | 'postgresql') {}

  /** Adds a parameter; returns its placeholder. */
  add(value: unknown, cast = ''): string {
    this.values.push(value);
    return this.dialect === 'sqlite' ? '?' : `$${this.values.length}${cast}`;
  }

  /** A double as its shortest round-trip text, compared exactly by both databases. */
  real(value: number): string {
    return this.add(String(value), '::double precision');
  }
}

/** The WHERE of a filtered predictions list (every condition ANDed). */
function filterSql(sql: SqlParams, evaluationId: string, where: PredictionWhere): string {
  const parts = [`"evaluationId" = ${sql.add(evaluationId)}`];
  if (where.correct !== undefined) parts.push(where.correct ? '"correct"' : 'NOT "correct"');
  if (where.label !== undefined) parts.push(`"label" = ${sql.add(where.label, '::int')}`);
  if (where.predicted !== undefined)
    parts.push(`"predicted" = ${sql.add(where.predicted, '::int')}`);
  if (where.minConfidence !== undefined)
    parts.push(`"confidence" >= ${sql.real(where.minConfidence)}`);
  if (where.maxConfidence !== undefined)
    parts.push(`"confidence" <= ${sql.real(where.maxConfidence)}`);
  return parts.join(' AND ');
}

/** The rows strictly after (forward) or before (backward) the position's key; null without one. */
function keysetSql(sql: SqlParams, p: PredictionPosition): string | null {
  const forward = p.direction === 'forward';
  const indexPast = forward ? '>' : '<';
  if (p.key === null) return null;
  if (p.order === 'index') return `"index" ${indexPast} ${sql.add(p.key[0], '::int')}`;
  const [confidence, index] = p.key;
  // List order is (confidence desc, index asc).
  return `("confidence" ${forward ? '<' : '>'} ${sql.real(confidence)} OR ("confidence" = ${sql.real(confidence)} AND "index" ${indexPast} ${sql.add(index, '::int')}))`;
}

/** ORDER BY of the walking order: the list order forward, its reverse backward. */
function walkOrderSql(p: PredictionPosition): string {
  const asc = p.direction === 'forward' ? 'ASC' : 'DESC';
  const desc = p.direction === 'forward' ? 'DESC' : 'ASC';
  return p.order === 'index' ? `"index" ${asc}` : `"confidence" ${desc}, "index" ${asc}`;
}

const predictionSelect = {
  evaluationId: true,
  index: true,
  label: true,
  predicted: true,
  confidence: true,
  correct: true,
  probabilities: true,
} as const;
