// The runs query language's reads (the only Prisma calls of run/query): one keyset page and the
// matching count, both compiled to SQL by sql.ts and run in the database, so a request reads
// about a page of rows whatever the number of runs (bench/scale-runs-query.bench.ts).
import { pgPoolOf, type Db } from '../../db/prisma';
import type { SqlReader } from '../../db/sqlite-read-pool';
import type { KeyValue, PageRequest } from '../../common/keyset';
import type { RunWhere } from '../run.repository';
import type { FieldRef, QueryExpr } from './parser';
import {
  joinSql,
  QueryCompiler,
  rankOf,
  raw,
  render,
  sortSegments,
  sql,
  type Dialect,
  type Sql,
} from './sql';

/** What one page of a query-language request reads. */
export interface RunQueryPageRequest {
  where: RunWhere;
  expr: QueryExpr | null;
  sort: FieldRef;
  direction: 'asc' | 'desc';
  page: PageRequest;
  /** "Now" in epoch ms (running runs' duration). */
  now: number;
}

/** A page: up to `size + 1` run ids in walking order, and each one's sort key (value, id). */
export interface RunQueryPage {
  ids: string[];
  keys: Map<string, KeyValue[]>;
}

const TRUE = raw('TRUE');

/**
 * work_mem of a PostgreSQL COUNT (SET LOCAL, its own transaction). The count's semi-joins hash
 * the run ids of every matching summary or RunParam row: at 1M runs about 40 MB a set, which
 * the server's default 4 MB spilled to disk in 8 batches (2.2 s -> 1.3 s at load 6; PostgreSQL
 * grants a hash up to hash_mem_multiplier times this, once per hash node, only as needed).
 */
export const COUNT_WORK_MEM = '64MB';

/** The plain filters of the runs query (RunWhere) as SQL; `c.usesProject` when they read p. */
function plainWhere(where: RunWhere, c: QueryCompiler): Sql {
  const parts: Sql[] = [];
  const list = (values: readonly string[]) =>
    joinSql(
      values.map((v) => sql`${v}`),
      ', ',
    );
  const inList = (column: string, values: readonly string[] | undefined) => {
    if (!values) return;
    parts.push(values.length ? sql`${raw(column)} IN (${list(values)})` : raw('FALSE'));
  };
  if (where.projectNames) c.usesProject = true;
  inList('p."name"', where.projectNames);
  inList('r."projectId"', where.projectIds);
  inList('r."status"', where.statuses);
  inList('r."id"', where.ids);
  if (where.archived)
    parts.push(raw(`r."archivedAt" IS ${where.archived === 'active' ? '' : 'NOT '}NULL`));
  return parts.length ? joinSql(parts, ' AND ') : TRUE;
}

/** Reads runs selected by the query language, with SQL built by sql.ts. */
export class RunQueryRepository {
  /**
   * @param reader runs the statements instead of Prisma: on SQLite the read pool's threads
   * (db/sqlite-read-pool.ts), so a slow COUNT does not hold up the API's other requests.
   */
  constructor(
    private readonly prisma: Db,
    private readonly dialect: Dialect,
    private readonly reader?: SqlReader,
  ) {}

  private async rows(q: Sql): Promise<Record<string, unknown>[]> {
    const { text, params } = render(q, this.dialect);
    if (this.reader) return this.reader(text, params);
    return this.prisma.$queryRawUnsafe<Record<string, unknown>[]>(text, ...params);
  }

  /** The joins every statement of a compilation needs (project name, summaries, RunParam). */
  private joins(c: QueryCompiler): Sql {
    const project = c.usesProject ? raw(' JOIN "Project" p ON p."id" = r."projectId"') : raw('');
    return sql`${project}${c.valueJoins()}`;
  }

  /**
   * One keyset page: walks the sort's segments (numbers, strings, missing values) in list
   * order (reverse order backward) from the cursor's, each with ORDER BY value, id and a
   * LIMIT, until `size + 1` rows are read.
   */
  async page(req: RunQueryPageRequest): Promise<RunQueryPage> {
    const c = new QueryCompiler(this.dialect, req.now);
    const condition = req.expr ? c.where(req.expr) : TRUE;
    const segments = sortSegments(c, req.sort);
    const base = plainWhere(req.where, c);
    const forward = req.page.direction === 'forward';
    const walk = forward ? req.direction : req.direction === 'asc' ? 'desc' : 'asc';
    const dir = raw(walk === 'asc' ? 'ASC' : 'DESC');
    const beyond = raw(walk === 'asc' ? '>' : '<');
    const key = req.page.key;
    const cursorRank = key ? rankOf(key[0] ?? null) : null;
    const want = req.page.size + 1;
    const ids: string[] = [];
    const keys = new Map<string, KeyValue[]>();
    for (const segment of forward ? segments : [...segments].reverse()) {
      if (ids.length >= want) break;
      if (cursorRank !== null && (forward ? segment.rank < cursorRank : segment.rank > cursorRank))
        continue;
      let keyset = TRUE;
      if (key && segment.rank === cursorRank) {
        const id = String(key[1]);
        keyset = segment.order
          ? sql`(${segment.order}, ${segment.id}) ${beyond} (${segment.keyParam(key[0] ?? null)}, ${id})`
          : sql`${segment.id} ${beyond} ${id}`;
      }
      const order = segment.order
        ? sql`${segment.order} ${dir}, ${segment.id} ${dir}`
        : sql`${segment.id} ${dir}`;
      const rows = await this.rows(
        sql`SELECT ${segment.id} AS "id", ${segment.output} AS "k" FROM ${segment.from}${this.joins(c)}
            WHERE ${segment.where} AND ${base} AND ${condition} AND ${keyset}
            ORDER BY ${order} LIMIT ${want - ids.length}`,
      );
      for (const row of rows) {
        const runId = String(row.id);
        ids.push(runId);
        keys.set(runId, [segment.decode(row.k), runId]);
      }
    }
    return { ids, keys };
  }

  /** How many runs match the plain filters and the query (COUNT in the database). */
  async count(where: RunWhere, expr: QueryExpr | null, now: number): Promise<number> {
    const c = new QueryCompiler(this.dialect, now, { semiJoin: true });
    const condition = expr ? c.where(expr) : TRUE;
    const base = plainWhere(where, c);
    const q = sql`SELECT COUNT(*) AS "n" FROM "Run" r${this.joins(c)} WHERE ${base} AND ${condition}`;
    const [row] = this.dialect === 'postgresql' ? await this.pgCount(q) : await this.rows(q);
    return Number(row?.n ?? 0);
  }

  /**
   * A PostgreSQL COUNT with {@link COUNT_WORK_MEM} (SET LOCAL in a transaction of its own on one
   * of the pool's connections, so the setting ends with it), or through Prisma without a pool.
   */
  private async pgCount(q: Sql): Promise<Record<string, unknown>[]> {
    const pool = pgPoolOf(this.prisma);
    if (!pool) return this.rows(q);
    const { text, params } = render(q, this.dialect);
    const client = await pool.connect();
    let failed = false;
    try {
      await client.query('BEGIN READ ONLY');
      await client.query(`SET LOCAL work_mem = '${COUNT_WORK_MEM}'`);
      const result = await client.query<Record<string, unknown>>(text, params);
      await client.query('COMMIT');
      return result.rows;
    } catch (err) {
      failed = true;
      await client.query('ROLLBACK').catch(() => undefined);
      throw err;
    } finally {
      // A connection whose ROLLBACK may have failed is not given back to the pool.
      client.release(failed ? true : undefined);
    }
  }
}
