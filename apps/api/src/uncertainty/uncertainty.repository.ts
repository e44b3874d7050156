// Prisma access for uncertainty evaluations and their samples (the only module touching those
// tables).
import { randomBytes } from 'node:crypto';
import type { Db } from '../db/prisma';
import { lockedRunRowCount } from '../db/run-rows';

/** The columns of an uncertainty evaluation. */
export interface UncertaintyRow {
  id: string;
  runId: string;
  split: string;
  method: string;
  passes: number;
  numSamples: number;
  numClasses: number;
  classNames: string;
  accuracy: number;
  auc: number | null;
  perClassAuc: string;
  meanEntropy: number;
  meanMutualInformation: number;
  clientRequestId: string | null;
  createdAt: Date;
}

const uncertaintySelect = {
  id: true,
  runId: true,
  split: true,
  method: true,
  passes: true,
  numSamples: true,
  numClasses: true,
  classNames: true,
  accuracy: true,
  auc: true,
  perClassAuc: true,
  meanEntropy: true,
  meanMutualInformation: true,
  clientRequestId: true,
  createdAt: true,
} as const;

/** An uncertainty evaluation to insert. */
export type NewUncertainty = Omit<UncertaintyRow, 'id' | 'createdAt'>;

/** A sample to insert (vectors already serialised as JSON). */
export interface NewUncertaintySample {
  index: number;
  label: number;
  predicted: number;
  entropy: number;
  mutualInformation: number;
  meanProbabilities: string;
  std: string;
  quantiles: string;
}

/** A stored sample. */
export interface UncertaintySampleRow extends NewUncertaintySample {
  uncertaintyId: string;
}

/** Orders of a samples page; ties always break on the sample index. */
export type UncertaintySampleOrder = 'index' | 'entropy' | 'mutualInformation';

/**
 * One page request: at most `take` samples of `uncertaintyId` strictly after (forward) or
 * before (backward) the sample whose sort key is `key` in `order`, in walking order (backward
 * walks the list reversed). key: [index] in index order, [value, index] in the other orders;
 * null: from the start (forward) or the end (backward).
 */
export interface SamplePageKey {
  uncertaintyId: string;
  order: UncertaintySampleOrder;
  direction: 'forward' | 'backward';
  key: number[] | null;
  take: number;
}

// Rows per INSERT: SQLite binds 9 parameters per row (limit 32766); PostgreSQL binds nine
// arrays per statement (unnest).
const SQLITE_CHUNK = 3000;
const POSTGRES_CHUNK = 20_000;

/** The column an order sorts by (highest first) before the index; null for index order. */
const ORDER_COLUMN: Record<UncertaintySampleOrder, string | null> = {
  index: null,
  entropy: '"entropy"',
  mutualInformation: '"mutualInformation"',
};

let sequence = 0;
/** A new id that sorts by creation (time, then a per-process counter), like evaluations'. */
function newUncertaintyId(now: Date): string {
  sequence = (sequence + 1) % 36 ** 4;
  return `un${now.getTime().toString(36).padStart(9, '0')}${sequence.toString(36).padStart(4, '0')}${randomBytes(6).toString('hex')}`;
}

/** A DateTime parameter in the format Prisma itself stores for the dialect. */
function timeParam(dialect: 'sqlite' | 'postgresql', time: Date): string {
  const iso = time.toISOString();
  return dialect === 'sqlite' ? iso.replace('Z', '+00:00') : iso.replace('Z', '');
}

/** Reads and writes uncertainty evaluations and their samples. */
export class UncertaintyRepository {
  constructor(
    private readonly prisma: Db,
    private readonly dialect: 'sqlite' | 'postgresql',
  ) {}

  /** Every uncertainty evaluation of the given runs, newest first (one query). */
  findByRunIds(runIds: readonly string[]): Promise<UncertaintyRow[]> {
    return this.prisma.uncertaintyEvaluation.findMany({
      where: { runId: { in: [...runIds] } },
      select: uncertaintySelect,
      orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
    });
  }

  findById(id: string): Promise<UncertaintyRow | null> {
    return this.prisma.uncertaintyEvaluation.findUnique({
      where: { id },
      select: uncertaintySelect,
    });
  }

  findByClientRequestId(runId: string, clientRequestId: string): Promise<UncertaintyRow | null> {
    return this.prisma.uncertaintyEvaluation.findUnique({
      where: { runId_clientRequestId: { runId, clientRequestId } },
      select: uncertaintySelect,
    });
  }

  /**
   * Inserts the evaluation and all its samples in one transaction (batched raw INSERTs).
   * Numbers go in as their shortest round-trip text so both databases store the exact doubles.
   * Throws a unique violation on a duplicate (runId, clientRequestId). `admit` sees, inside the
   * transaction, how many uncertainty evaluations the run holds (inserts of one run are
   * serialised) and may throw to store nothing.
   */
  async insert(
    row: NewUncertainty,
    samples: readonly NewUncertaintySample[],
    admit: (stored: number) => void,
  ): Promise<UncertaintyRow> {
    const createdAt = new Date();
    const id = newUncertaintyId(createdAt);
    const d = this.dialect;
    const ph = (i: number) => (d === 'sqlite' ? '?' : `$${i}`);
    const real = (i: number) => (d === 'sqlite' ? ph(i) : `${ph(i)}::double precision`);
    await this.prisma.$transaction(
      async (tx) => {
        admit(await lockedRunRowCount(tx, d, 'UncertaintyEvaluation', row.runId));
        await tx.$executeRawUnsafe(
          `INSERT INTO "UncertaintyEvaluation" ("id", "runId", "split", "method", "passes", "numSamples", "numClasses", "classNames", "accuracy", "auc", "perClassAuc", "meanEntropy", "meanMutualInformation", "clientRequestId", "createdAt")
           VALUES (${ph(1)}, ${ph(2)}, ${ph(3)}, ${ph(4)}, ${ph(5)}, ${ph(6)}, ${ph(7)}, ${ph(8)}, ${real(9)}, ${real(10)}, ${ph(11)}, ${real(12)}, ${real(13)}, ${ph(14)}, ${d === 'sqlite' ? ph(15) : `${ph(15)}::timestamp(3)`})`,
          id,
          row.runId,
          row.split,
          row.method,
          row.passes,
          row.numSamples,
          row.numClasses,
          row.classNames,
          String(row.accuracy),
          row.auc === null ? null : String(row.auc),
          row.perClassAuc,
          String(row.meanEntropy),
          String(row.meanMutualInformation),
          row.clientRequestId,
          timeParam(d, createdAt),
        );
        const columns = `"uncertaintyId", "index", "label", "predicted", "entropy", "mutualInformation", "meanProbabilities", "std", "quantiles"`;
        if (d === 'sqlite') {
          for (let i = 0; i < samples.length; i += SQLITE_CHUNK) {
            const chunk = samples.slice(i, i + SQLITE_CHUNK);
            await tx.$executeRawUnsafe(
              `INSERT INTO "UncertaintySample" (${columns})
               VALUES ${chunk.map(() => '(?, ?, ?, ?, ?, ?, ?, ?, ?)').join(', ')}`,
              ...chunk.flatMap((s) => [
                id,
                s.index,
                s.label,
                s.predicted,
                String(s.entropy),
                String(s.mutualInformation),
                s.meanProbabilities,
                s.std,
                s.quantiles,
              ]),
            );
          }
        } else {
          for (let i = 0; i < samples.length; i += POSTGRES_CHUNK) {
            const chunk = samples.slice(i, i + POSTGRES_CHUNK);
            await tx.$executeRawUnsafe(
              `INSERT INTO "UncertaintySample" (${columns})
               SELECT $1, i, l, p, e::double precision, mi::double precision, mp, sd, q
               FROM unnest($2::int[], $3::int[], $4::int[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[])
                 AS u(i, l, p, e, mi, mp, sd, q)`,
              id,
              chunk.map((s) => s.index),
              chunk.map((s) => s.label),
              chunk.map((s) => s.predicted),
              chunk.map((s) => String(s.entropy)),
              chunk.map((s) => String(s.mutualInformation)),
              chunk.map((s) => s.meanProbabilities),
              chunk.map((s) => s.std),
              chunk.map((s) => s.quantiles),
            );
          }
        }
      },
      { maxWait: 20_000, timeout: 120_000 },
    );
    const stored = await this.findById(id);
    if (!stored) throw new Error(`Uncertainty evaluation ${id} vanished after insert`);
    return stored;
  }

  /**
   * Pages of samples of several evaluations sharing one order, direction, cursor key and size,
   * in one query: each evaluation's samples past the key are ranked by a window function in
   * walking order (ties by index) and the first `take` kept. Returns the rows per evaluation
   * id, in walking order.
   */
  async pages(
    uncertaintyIds: readonly string[],
    page: Omit<SamplePageKey, 'uncertaintyId'>,
  ): Promise<Map<string, UncertaintySampleRow[]>> {
    const out = new Map<string, UncertaintySampleRow[]>(uncertaintyIds.map((id) => [id, []]));
    if (uncertaintyIds.length === 0 || page.take <= 0) return out;
    // Parameters in textual order: SQLite's `?` are positional.
    const params: unknown[] = [];
    const param = (value: unknown, cast = ''): string => {
      params.push(value);
      return this.dialect === 'sqlite' ? '?' : `$${params.length}${cast}`;
    };
    // A cursor's double goes as its shortest round-trip text so both databases compare it
    // exactly (Prisma's number parameters keep 16 digits).
    const real = (v: number) => param(String(v), '::double precision');
    const list = uncertaintyIds.map((id) => param(id)).join(', ');
    const keyset = keysetSql(page, { int: (v) => param(v, '::int'), real });
    const rows = await this.prisma.$queryRawUnsafe<UncertaintySampleRow[]>(
      `SELECT "uncertaintyId", "index", "label", "predicted", "entropy", "mutualInformation", "meanProbabilities", "std", "quantiles"
       FROM (
         SELECT "uncertaintyId", "index", "label", "predicted", "entropy", "mutualInformation", "meanProbabilities", "std", "quantiles",
                ROW_NUMBER() OVER (PARTITION BY "uncertaintyId" ORDER BY ${walkOrderSql(page)}) AS "rank"
         FROM "UncertaintySample"
         WHERE "uncertaintyId" IN (${list})${keyset ? ` AND ${keyset}` : ''}
       ) ranked
       WHERE "rank" <= ${param(page.take, '::int')}
       ORDER BY "uncertaintyId", "rank"`,
      ...params,
    );
    for (const r of rows) out.get(r.uncertaintyId)?.push(r);
    return out;
  }
}

/** ORDER BY of the walking order: the list order forward, its reverse backward. */
function walkOrderSql(page: Pick<SamplePageKey, 'order' | 'direction'>): string {
  const forward = page.direction === 'forward';
  const column = ORDER_COLUMN[page.order];
  const index = `"index" ${forward ? 'ASC' : 'DESC'}`;
  return column === null ? index : `${column} ${forward ? 'DESC' : 'ASC'}, ${index}`;
}

/** The condition "strictly past the key in walking order" (null without a key). */
function keysetSql(
  page: Pick<SamplePageKey, 'order' | 'direction' | 'key'>,
  ph: { int: (v: number) => string; real: (v: number) => string },
): string | null {
  if (page.key === null) return null;
  const forward = page.direction === 'forward';
  const column = ORDER_COLUMN[page.order];
  const [first = 0, second = 0] = page.key;
  if (column === null) return `"index" ${forward ? '>' : '<'} ${ph.int(first)}`;
  // List order is (column desc, index asc).
  return `(${column} ${forward ? '<' : '>'} ${ph.real(first)} OR (${column} = ${ph.real(first)} AND "index" ${forward ? '>' : '<'} ${ph.int(second)}))`;
}
