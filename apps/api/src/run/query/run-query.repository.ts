// The runs query language's reads (the only Prisma calls of run/query): one keyset page and the
// matching count, both compiled to SQL by sql.ts and run in the database, so a request reads
// about a page of rows whatever the number of runs (bench/scale-runs-query.bench.ts).
import type { Db } from '../../db/prisma';
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
    /** The largest set count() passes as ids ({@link SMALL_SET}; tests lower it). */
    private readonly smallSetSize = SMALL_SET,
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
    // Each segment compiled on its own: in a sort by best./final. of a metric, the query's
    // comparisons on that metric read the walked summary row (the metric segment) or are false
    // (the runs without one), instead of a join per run walked. A query matching none of the
    // 1M runs sorted by its own metric walked both segments in full (17 s at load 8).
    const sort = req.sort;
    const compiled = (sortMetric?: 'ms' | 'missing') => {
      const c = new QueryCompiler(
        this.dialect,
        req.now,
        sortMetric && (sort.kind === 'best' || sort.kind === 'final')
          ? { sortMetric: { metric: sort.metric, row: sortMetric } }
          : {},
      );
      const condition = req.expr ? c.where(req.expr) : TRUE;
      const segments = sortSegments(c, sort);
      return segments.map((segment) => ({ segment, c, condition, base: plainWhere(req.where, c) }));
    };
    const segments =
      sort.kind === 'best' || sort.kind === 'final'
        ? [compiled('ms')[0], compiled('missing')[1]].filter(
            (s): s is NonNullable<typeof s> => s !== undefined,
          )
        : compiled();
    const forward = req.page.direction === 'forward';
    const walk = forward ? req.direction : req.direction === 'asc' ? 'desc' : 'asc';
    const dir = raw(walk === 'asc' ? 'ASC' : 'DESC');
    const beyond = raw(walk === 'asc' ? '>' : '<');
    const key = req.page.key;
    const cursorRank = key ? rankOf(key[0] ?? null) : null;
    const want = req.page.size + 1;
    const ids: string[] = [];
    const keys = new Map<string, KeyValue[]>();
    for (const { segment, c, condition, base } of forward ? segments : [...segments].reverse()) {
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

  /**
   * How many runs match the plain filters and the query (COUNT in the database). On PostgreSQL
   * each comparison the query requires (a conjunct of its top-level AND) that an index answers
   * alone (hp.*, best./final. against a number) is first read with a LIMIT: a set of at most
   * {@link SMALL_SET} runs is passed as its ids (`r.id = ANY(...)`), so the planner knows it is
   * small and looks the few runs up. Its own estimate of such a set comes from statistics over
   * every metric or hyperparameter name (one histogram of "max" for losses and accuracies), so a
   * query for the 0.2% best runs by one metric was estimated at a third of all summaries and
   * counted with hash joins over every run (1M runs: 884 ms at load 15, for 1,238 runs).
   */
  async count(where: RunWhere, expr: QueryExpr | null, now: number): Promise<number> {
    const c = new QueryCompiler(this.dialect, now, { semiJoin: true });
    const required = expr ? conjuncts(expr) : [];
    const small = await Promise.all(
      required.map((e) =>
        this.smallSet(
          this.dialect === 'postgresql' && e.kind === 'cmp'
            ? c.matchingSet(e.field, e.op, e.value)
            : null,
        ),
      ),
    );
    const condition = required.length
      ? joinSql(
          required.map((e, i) => {
            const ids = small[i];
            if (!ids) return c.where(e);
            return ids.length ? sql`(r."id" = ANY(CAST(${ids} AS text[])))` : raw('FALSE');
          }),
          ' AND ',
        )
      : TRUE;
    const base = plainWhere(where, c);
    const [row] = await this.rows(
      sql`SELECT COUNT(*) AS "n" FROM "Run" r${this.joins(c)} WHERE ${base} AND ${condition}`,
    );
    return Number(row?.n ?? 0);
  }

  /**
   * The run ids a matchingSet() selects when there are at most smallSetSize, else null: one
   * row back either way (a large set is only counted up to the limit, no ids travel).
   */
  private async smallSet(matching: Sql | null): Promise<string[] | null> {
    if (!matching) return null;
    const [row] = await this.rows(
      sql`SELECT CASE WHEN COUNT(*) <= ${this.smallSetSize} THEN COALESCE(array_agg(q."runId"), CAST(ARRAY[] AS text[])) END AS "ids"
          FROM (SELECT m."runId" FROM (${matching}) m LIMIT ${this.smallSetSize + 1}) q`,
    );
    const ids = row?.ids;
    return Array.isArray(ids) ? ids.map(String) : null;
  }
}

/**
 * Largest set of runs a COUNT passes as ids (RunQueryRepository.count): reading up to this many
 * index entries costs about a millisecond, and so many runs are looked up one by one in a few.
 */
export const SMALL_SET = 5000;

/** The conjuncts of an expression's top-level AND (the expression itself if it is no AND). */
function conjuncts(expr: QueryExpr): QueryExpr[] {
  return expr.kind === 'and' ? [...conjuncts(expr.left), ...conjuncts(expr.right)] : [expr];
}
