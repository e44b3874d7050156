// Per-run row limits (evaluations, uncertainty evaluations): the count a limit is checked
// against, read inside the inserting transaction so concurrent inserts cannot both pass it.
import type { Db } from './prisma';

/** A transaction client (what `$transaction(async (tx) => ...)` hands over). */
type Tx = Pick<Db, '$queryRawUnsafe'>;

/**
 * The number of rows of `table` that belong to run `runId`. On PostgreSQL (READ COMMITTED) it
 * first takes a transaction-scoped advisory lock per (table, run), so the inserts of one run
 * into `table` are serialised and each sees the rows committed before it; SQLite serialises
 * write transactions already.
 */
export async function lockedRunRowCount(
  tx: Tx,
  dialect: 'sqlite' | 'postgresql',
  table: 'Evaluation' | 'UncertaintyEvaluation',
  runId: string,
): Promise<number> {
  if (dialect === 'postgresql')
    await tx.$queryRawUnsafe(
      `SELECT 1 FROM (SELECT pg_advisory_xact_lock(hashtext($1))) AS l`,
      `convscope-${table}:${runId}`,
    );
  const rows = await tx.$queryRawUnsafe<{ n: number | bigint }[]>(
    `SELECT COUNT(*) AS n FROM "${table}" WHERE "runId" = ${dialect === 'sqlite' ? '?' : '$1'}`,
    runId,
  );
  return Number(rows[0]?.n ?? 0);
}
