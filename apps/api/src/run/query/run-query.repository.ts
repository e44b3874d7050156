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
   * How many runs match the plain filters and the query (COUNT in the database). Each
   * comparison the query requires (a conjunct of its top-level AND) that an index answers alone
   * (hp.*, best./final. against a number) is first read up to {@link SMALL_SET} runs: when one
   * such set is small, the count walks its runs (their ids as a parameter, first) and tests the
   * rest of the query per run, as a page does (indexed lookups by run id). Otherwise every
   * index-answered comparison is a semi-join on its whole set (sql.ts semiJoin()). The
   * databases' own estimates of such sets come from statistics over every metric or
   * hyperparameter name (one histogram of "max" for losses and accuracies): at 1M runs
   * 'hp.lr < 0.01 and best.val_accuracy >= 0.9795' (1,238 runs) was hash-joined over every run
   * on PostgreSQL (618-884 ms at load 7-15) and walked 571k runs on SQLite (1.2-2.4 s).
   */
  async count(where: RunWhere, expr: QueryExpr | null, now: number): Promise<number> {
    const required = expr ? conjuncts(expr) : [];
    const probe = new QueryCompiler(this.dialect, now);
    const small = await Promise.all(
      required.map((e) =>
        this.smallSet(e.kind === 'cmp' ? probe.matchingSet(e.field, e.op, e.value) : null),
      ),
    );
    const walk = small.some((ids) => ids !== null);
    const c = new QueryCompiler(this.dialect, now, { semiJoin: !walk, perRun: walk });
    const driving: Sql[] = [];
    const rest: Sql[] = [];
    required.forEach((e, i) => {
      const ids = small[i];
      if (!ids) rest.push(c.where(e));
      else if (!ids.length) driving.push(raw('FALSE'));
      else
        driving.push(
          this.dialect === 'postgresql'
            ? sql`(r."id" = ANY(CAST(${ids} AS text[])))`
            : sql`(r."id" IN (SELECT value FROM json_each(${JSON.stringify(ids)})))`,
        );
    });
    // SQLite drives from the first IN of the WHERE: the small sets come first.
    const condition = joinSql([...driving, plainWhere(where, c), ...rest], ' AND ');
    const [row] = await this.rows(
      sql`SELECT COUNT(*) AS "n" FROM "Run" r${this.joins(c)} WHERE ${condition}`,
    );
    return Number(row?.n ?? 0);
  }

  /**
   * The run ids a matchingSet() selects when there are at most smallSetSize, else null: one
   * row back either way (a large set is only counted up to the limit, no ids travel).
   */
  private async smallSet(matching: Sql | null): Promise<string[] | null> {
    if (!matching) return null;
    const limited = sql`(SELECT m."runId" FROM (${matching}) m LIMIT ${this.smallSetSize + 1}) q`;
    const [row] = await this.rows(
      this.dialect === 'postgresql'
        ? sql`SELECT CASE WHEN COUNT(*) <= ${this.smallSetSize} THEN COALESCE(array_agg(q."runId"), CAST(ARRAY[] AS text[])) END AS "ids" FROM ${limited}`
        : sql`SELECT CASE WHEN COUNT(*) <= ${this.smallSetSize} THEN json_group_array(q."runId") END AS "ids" FROM ${limited}`,
    );
    const ids: unknown = typeof row?.ids === 'string' ? JSON.parse(row.ids) : row?.ids;
    return Array.isArray(ids) ? ids.map(String) : null;
  }
}

/**
 * Largest set of runs a COUNT walks run by run (RunQueryRepository.count): reading up to this
 * many index entries costs about a millisecond, and so many runs are tested one by one in tens.
 */
export const SMALL_SET = 5000;

/** The conjuncts of an expression's top-level AND (the expression itself if it is no AND). */
function conjuncts(expr: QueryExpr): QueryExpr[] {
  return expr.kind === 'and' ? [...conjuncts(expr.left), ...conjuncts(expr.right)] : [expr];
}
