// The runs query language compiled to SQL for SQLite and PostgreSQL (pure: builds text and
// parameters, runs nothing). The semantics are those of evaluate.ts, which stays the oracle
// (apps/api/test/runs-query-sql.test.ts compares both on a generated set):
// - a comparison with a missing value, or a value of another type, is false (so NOT of it is
//   true): every NOT wraps its operand in COALESCE(.., FALSE), SQL's NULL never leaks out;
// - hyperparameters are read from their RunParam rows (params.ts: the value each name resolves
//   to, aliases and dotted paths applied when the run was written), one row by (run, name);
// - strings compare by code point (COLLATE "C" on PostgreSQL), `~` is a case-insensitive
//   substring test, dates compare with a date literal's interval, duration in seconds.
// Every value from the query text is a parameter; the SQL text holds only this file's constants.
// Known differences from the evaluator (edge cases; README.md, "Queries at scale"):
// - `~` lower-cases non-ASCII letters in memory but only ASCII ones on SQLite;
// - a NUL in a hyperparameter string reads as U+FFFD (PostgreSQL text cannot hold it);
// - runs stored before migration 20261207210000_run_params: text read as a number follows
//   SQLite's JSON5 numbers / PostgreSQL's decimal numbers instead of Number(), and names over
//   256 bytes read as missing.
import { isMinimised } from './evaluate';
import { paramName } from './params';
import {
  parseDateLiteral,
  type CompareOp,
  type FieldRef,
  type Literal,
  type QueryExpr,
  type RunAttribute,
} from './parser';
import { REPRODUCIBILITY_FIELDS } from '../reproducibility.schema';
import type { KeyValue } from '../../common/keyset';

/** The two databases. */
export type Dialect = 'sqlite' | 'postgresql';

/** SQL text with `?` placeholders and their values, in order of appearance. */
export class Sql {
  constructor(
    readonly text: string,
    readonly params: readonly unknown[],
  ) {}
}

/**
 * Tagged template: interpolated Sql fragments are inlined, any other value becomes a `?`
 * parameter (never text). The literal parts must not contain `?` (render() numbers them).
 */
export function sql(strings: TemplateStringsArray, ...values: unknown[]): Sql {
  let text = strings[0] ?? '';
  const params: unknown[] = [];
  values.forEach((v, i) => {
    if (v instanceof Sql) {
      text += v.text;
      params.push(...v.params);
    } else {
      text += '?';
      params.push(v);
    }
    text += strings[i + 1] ?? '';
  });
  return new Sql(text, params);
}

/** A constant piece of SQL (from this module, never from input). */
export const raw = (text: string): Sql => new Sql(text, []);

/** Fragments joined by a separator. */
export function joinSql(parts: readonly Sql[], separator: string): Sql {
  return new Sql(
    parts.map((p) => p.text).join(separator),
    parts.flatMap((p) => [...p.params]),
  );
}

/** The text and parameters to send: `?` on SQLite, `$1, $2, ...` on PostgreSQL. */
export function render(q: Sql, dialect: Dialect): { text: string; params: unknown[] } {
  if (dialect === 'sqlite') return { text: q.text, params: [...q.params] };
  let n = 0;
  return { text: q.text.replace(/\?/g, () => `$${++n}`), params: [...q.params] };
}

const FALSE = raw('FALSE');
const SQL_OPS: Record<Exclude<CompareOp, '~'>, string> = {
  '=': '=',
  '!=': '<>',
  '<': '<',
  '<=': '<=',
  '>': '>',
  '>=': '>=',
};

/** `a op b` for an operator of the query language other than `~`. */
function cmp(a: Sql, op: Exclude<CompareOp, '~'>, b: unknown): Sql {
  return sql`(${a} ${raw(SQL_OPS[op])} ${b})`;
}

/** Latin-1's upper-case letters (À..Þ without ×), which SQLite's lower() leaves as they are. */
const LATIN1_UPPER = Array.from({ length: 0xde - 0xc0 + 1 }, (_, i) =>
  String.fromCharCode(0xc0 + i),
).filter((c) => c !== '\u00d7');

/** Dialect-specific pieces. */
class DialectSql {
  constructor(readonly dialect: Dialect) {}

  get pg(): boolean {
    return this.dialect === 'postgresql';
  }

  /** A string expression compared by code point. */
  collate(e: Sql): Sql {
    return this.pg ? sql`(${e} COLLATE "C")` : e;
  }

  /** Case-insensitive substring test; `needle` is already lower-cased (in JS). */
  contains(haystack: Sql, needle: string): Sql {
    if (this.pg) return sql`(strpos(lower(${haystack}), ${needle}) > 0)`;
    // SQLite's lower() folds ASCII only: for a non-ASCII needle, Latin-1 letters are folded too.
    let folded = sql`lower(${haystack})`;
    if (/[^\x00-\x7f]/.test(needle))
      for (const c of LATIN1_UPPER)
        folded = sql`replace(${folded}, '${raw(c)}', '${raw(c.toLowerCase())}')`;
    return sql`(instr(${folded}, ${needle}) > 0)`;
  }

  /** An instant as the DateTime column stores it. */
  date(ms: number): Sql {
    const iso = new Date(ms).toISOString();
    return this.pg
      ? sql`CAST(${iso.replace('T', ' ').replace('Z', '')} AS timestamp(3))`
      : sql`${iso.replace('Z', '+00:00')}`;
  }

  /** Epoch milliseconds (an integer) of a DateTime column. */
  epochMs(column: Sql): Sql {
    return this.pg
      ? sql`CAST(EXTRACT(EPOCH FROM ${column}) * 1000 AS bigint)`
      : sql`CAST(round(unixepoch(${column}, 'subsec') * 1000) AS INTEGER)`;
  }

  /** Constant boolean. */
  bool(value: boolean): Sql {
    return raw(value ? 'TRUE' : 'FALSE');
  }
}

/**
 * The views of a value that comparisons and sorting read, each NULL where it does not apply:
 * `num` for number literals (numbers, and text that reads as a number), `text` for string
 * literals and `~` (strings; numbers and objects as their JSON text), `bool` for booleans.
 * `rank` 0 number/boolean, 1 text, 2 missing; `sortNum` (booleans as 0/1) and `sortText`.
 */
interface SqlValue {
  num: Sql;
  text: Sql;
  bool: Sql;
  rank: Sql;
  sortNum: Sql;
  sortText: Sql;
}

/** Longest string a sort compares (evaluate.ts SORT_STRING_CHARS). */
const SORT_CHARS = 256;

/** The views of a hyperparameter's RunParam row `alias` (params.ts); no row: missing. */
function paramValue(alias: Sql): SqlValue {
  const col = (c: string) => sql`${alias}."${raw(c)}"`;
  const text = col('text');
  return {
    num: col('num'),
    text,
    bool: col('bool'),
    rank: sql`(CASE WHEN ${col('sortNum')} IS NOT NULL THEN 0 WHEN ${text} IS NOT NULL THEN 1 ELSE 2 END)`,
    sortNum: col('sortNum'),
    sortText: sql`substr(${text}, 1, ${raw(String(SORT_CHARS))})`,
  };
}

/** A plain value (a column): one of num/text/bool, the others NULL. */
function plainValue(kind: 'num' | 'text' | 'bool', e: Sql): SqlValue {
  const nul = raw('NULL');
  const rank = sql`(CASE WHEN ${e} IS NULL THEN 2 ELSE ${raw(kind === 'text' ? '1' : '0')} END)`;
  return {
    num: kind === 'num' ? e : nul,
    text: kind === 'text' ? e : nul,
    bool: kind === 'bool' ? e : nul,
    rank,
    sortNum: kind === 'text' ? nul : kind === 'bool' ? sql`(CASE WHEN ${e} THEN 1 ELSE 0 END)` : e,
    sortText: kind === 'text' ? e : nul,
  };
}

/** compareValue() of evaluate.ts over a value's views. */
function compareValue(d: DialectSql, v: SqlValue, op: CompareOp, lit: Literal): Sql {
  if (op === '~') return d.contains(v.text, String(lit.value).toLowerCase());
  if (lit.kind === 'boolean')
    return op === '=' || op === '!=' ? cmp(v.bool, op, d.bool(lit.value)) : FALSE;
  if (lit.kind === 'number') return cmp(v.num, op, lit.value);
  return cmp(d.collate(v.text), op, lit.value);
}

/** A Run.reproducibility field: the JSON value at its path (strings, or booleans). */
function reproducibilityValue(d: DialectSql, field: string): SqlValue {
  const spec = REPRODUCIBILITY_FIELDS[field];
  const path = spec?.path;
  // Paths come from REPRODUCIBILITY_FIELDS (letters and digits), never from the query text.
  if (!spec || !path || !path.every((p) => /^[A-Za-z][A-Za-z0-9]*$/.test(p)))
    throw new Error(`unknown reproducibility field ${field}`);
  const boolean = spec.type === 'boolean';
  if (d.pg) {
    const node = raw(`(CAST(r."reproducibility" AS json) #> '{${path.join(',')}}')`);
    const want = boolean ? 'boolean' : 'string';
    const value = raw(
      `(CASE WHEN json_typeof(${node.text}) = '${want}' THEN ${boolean ? `CAST(${node.text} #>> '{}' AS boolean)` : `${node.text} #>> '{}'`} END)`,
    );
    return plainValue(boolean ? 'bool' : 'text', value);
  }
  const p = `'$.${path.join('.')}'`;
  const type = `json_type(r."reproducibility", ${p})`;
  const value = boolean
    ? raw(
        `(CASE WHEN ${type} IN ('true', 'false') THEN json_extract(r."reproducibility", ${p}) END)`,
      )
    : raw(`(CASE WHEN ${type} = 'text' THEN json_extract(r."reproducibility", ${p}) END)`);
  return plainValue(boolean ? 'bool' : 'text', value);
}

/** A date column compared with a date literal's interval (compareDate of evaluate.ts). */
function compareDate(d: DialectSql, column: Sql, op: CompareOp, text: string): Sql {
  const range = parseDateLiteral(text);
  if (!range) return FALSE;
  const start = d.date(range.start);
  const end = d.date(range.end);
  switch (op) {
    case '=':
      return sql`(${column} >= ${start} AND ${column} < ${end})`;
    case '!=':
      return sql`(${column} < ${start} OR ${column} >= ${end})`;
    case '<':
      return sql`(${column} < ${start})`;
    case '<=':
      return sql`(${column} < ${end})`;
    case '>':
      return sql`(${column} >= ${end})`;
    case '>=':
      return sql`(${column} >= ${start})`;
    default:
      return FALSE;
  }
}

/**
 * What a compilation needs besides the expression: the dialect, "now" (running runs'
 * duration), and the metric summaries it reads (each a LEFT JOIN the caller adds).
 */
export class QueryCompiler {
  readonly d: DialectSql;
  /** Metric name → alias of its joined RunMetricSummary row. */
  private readonly metricAliases = new Map<string, string>();
  /** True once a comparison or sort reads the project's name (the caller joins Project p). */
  usesProject = false;
  /** Hyperparameter name → alias of its joined RunParam row. */
  private readonly paramAliases = new Map<string, string>();

  constructor(
    dialect: Dialect,
    private readonly now: number,
    /**
     * semiJoin: compare best./final. and hp.* against the set of matching summaries or
     * RunParam rows (read once through an index; for a COUNT over every run; see semiJoin())
     * instead of a LEFT JOIN per run (for a page that stops at its LIMIT).
     */
    private readonly options: {
      semiJoin?: boolean;
      /**
       * The runs are few (a count walking a small set): each hp.* comparison is tested per run
       * by its RunParam key, never as a join of all its matching rows.
       */
      perRun?: boolean;
      /**
       * A page's segment of a sort by best./final. of `metric`: its summary row is the
       * segment's `ms` (the metric segment: the query's best./final. of that metric read the
       * row walked, so a comparison is an index condition or a filter on it, not one more join
       * per run walked), or the segment holds the runs without one (`missing`: every such
       * comparison is false, and the planner drops what it cannot match).
       */
      sortMetric?: { metric: string; row: 'ms' | 'missing' };
    } = {},
  ) {
    this.d = new DialectSql(dialect);
  }

  /** PostgreSQL semi-joins of a COUNT: each a LEFT JOIN of the summaries that match. */
  private readonly semiJoins: Sql[] = [];

  /** The LEFT JOINs of the metric summaries and hyperparameters compiled so far. */
  valueJoins(): Sql {
    return joinSql(
      [
        ...[...this.metricAliases].map(
          ([name, alias]) =>
            sql` LEFT JOIN "RunMetricSummary" ${raw(alias)} ON ${raw(alias)}."runId" = r."id" AND ${raw(alias)}."name" = ${name}`,
        ),
        ...[...this.paramAliases].map(
          ([name, alias]) =>
            sql` LEFT JOIN "RunParam" ${raw(alias)} ON ${raw(alias)}."runId" = r."id" AND ${raw(alias)}."name" = ${paramName(name)}`,
        ),
        ...this.semiJoins,
      ],
      '',
    );
  }

  /**
   * A comparison as a semi-join on the set of runs whose summary or RunParam row matches (read
   * once through its (name, value) index; a run without the metric or hyperparameter is simply
   * not in it). `matching` selects "runId". SQLite runs
   * `id IN (...)` through an automatic index. On PostgreSQL `IN` under an OR is a SubPlan that
   * is hashed only if the set fits work_mem, else re-read per run (a 1M-run COUNT did not end
   * in 10 minutes): a LEFT JOIN of the set (at most one row per run, (runId, name) is unique)
   * is a hash join whatever its size.
   */
  private semiJoin(matching: Sql): Sql {
    if (!this.d.pg) return sql`(r."id" IN (${matching}))`;
    const alias = raw(`s${this.semiJoins.length}`);
    this.semiJoins.push(sql` LEFT JOIN (${matching}) ${alias} ON ${alias}."runId" = r."id"`);
    return sql`(${alias}."runId" IS NOT NULL)`;
  }

  /**
   * The runs a comparison selects from an index alone, as SQL selecting "runId" (at most one row
   * per run): best./final. against a number (the summary's (name, value) index) and hp.* (its
   * RunParam rows); null for a comparison that reads the run's own row.
   */
  matchingSet(field: FieldRef, op: CompareOp, lit: Literal): Sql | null {
    if ((field.kind === 'best' || field.kind === 'final') && lit.kind === 'number' && op !== '~') {
      const column = raw(`"${metricColumnName(field)}"`);
      return sql`SELECT "runId" FROM "RunMetricSummary" WHERE "name" = ${field.metric} AND ${cmp(column, op, lit.value)}`;
    }
    if (field.kind === 'hp') {
      const x = raw('x');
      return sql`SELECT x."runId" FROM "RunParam" x WHERE x."name" = ${paramName(field.name)} AND ${compareValue(this.d, paramValue(x), op, lit)}`;
    }
    return null;
  }

  /** The joined RunParam row of hp.<name> (alias hpN). */
  paramAlias(name: string): Sql {
    let alias = this.paramAliases.get(name);
    if (!alias) {
      alias = `hp${this.paramAliases.size}`;
      this.paramAliases.set(name, alias);
    }
    return raw(alias);
  }

  /** True when the runs compiled for have no summary of `metric` (options.sortMetric). */
  private missingMetric(metric: string): boolean {
    const m = this.options.sortMetric;
    return m !== undefined && m.row === 'missing' && m.metric === metric;
  }

  private metricColumn(field: { kind: 'best' | 'final'; metric: string }): Sql {
    const m = this.options.sortMetric;
    if (m && m.metric === field.metric)
      return m.row === 'ms'
        ? raw(`ms."${metricColumnName(field)}"`)
        : raw(this.d.pg ? 'CAST(NULL AS float8)' : 'NULL');
    let alias = this.metricAliases.get(field.metric);
    if (!alias) {
      alias = `m${this.metricAliases.size}`;
      this.metricAliases.set(field.metric, alias);
    }
    return raw(`${alias}."${metricColumnName(field)}"`);
  }

  /** Seconds from startedAt to endedAt (or now), NULL if never started (durationSeconds()). */
  duration(): Sql {
    const d = this.d;
    const started = d.epochMs(raw('r."startedAt"'));
    const ended = d.epochMs(raw('r."endedAt"'));
    const now = d.pg ? sql`CAST(${this.now} AS bigint)` : sql`${this.now}`;
    return d.pg
      ? sql`(CAST(COALESCE(${ended}, ${now}) - ${started} AS float8) / 1000)`
      : sql`((COALESCE(${ended}, ${now}) - ${started}) / 1000.0)`;
  }

  /** The value a field reads (fieldValue of evaluate.ts), for comparisons and sorting. */
  value(field: FieldRef): SqlValue {
    switch (field.kind) {
      case 'hp':
        return paramValue(this.paramAlias(field.name));
      case 'best':
      case 'final':
        return plainValue('num', this.metricColumn(field));
      case 'repro':
        return reproducibilityValue(this.d, field.name);
      case 'attr':
        switch (field.name) {
          case 'project':
            this.usesProject = true;
            return plainValue('text', raw('p."name"'));
          case 'name':
            return plainValue('text', raw('r."name"'));
          case 'status':
            return plainValue('text', raw('r."status"'));
          case 'duration':
            return plainValue('num', this.duration());
          case 'created':
          case 'started':
          case 'ended':
            return plainValue('num', this.d.epochMs(raw(`r."${DATE_COLUMNS[field.name]}"`)));
          case 'tag':
            return plainValue('text', raw('NULL'));
        }
    }
    throw new Error('unknown field');
  }

  /** The WHERE condition of a parsed query (compileQuery of evaluate.ts). */
  where(expr: QueryExpr): Sql {
    switch (expr.kind) {
      case 'and':
        return sql`(${this.where(expr.left)} AND ${this.where(expr.right)})`;
      case 'or':
        return sql`(${this.where(expr.left)} OR ${this.where(expr.right)})`;
      case 'not':
        // Two-valued logic: a comparison on a missing value is false, so its NOT is true.
        return sql`(NOT COALESCE(${this.where(expr.expr)}, FALSE))`;
      case 'cmp':
        return this.comparison(expr.field, expr.op, expr.value);
    }
  }

  private comparison(field: FieldRef, op: CompareOp, lit: Literal): Sql {
    const d = this.d;
    // A comparison with a missing value is false (evaluate.ts).
    if ((field.kind === 'best' || field.kind === 'final') && this.missingMetric(field.metric))
      return FALSE;
    if (field.kind === 'attr') {
      switch (field.name) {
        case 'tag':
          return this.tag(op, String(lit.value));
        case 'status':
          if (op === '~') break;
          // The evaluator upper-cases both sides; a stored status is a RunStatus value (upper-case
          // ASCII, the only values the API writes), its own upper(). Without the call the planner
          // reads the column's statistics and a 1M-run scan skips 1M calls (serial CPU of that
          // scan 356 -> 160 ms).
          return cmp(d.collate(raw('r."status"')), op, String(lit.value).toUpperCase());
        case 'created':
        case 'started':
        case 'ended':
          return compareDate(d, raw(`r."${DATE_COLUMNS[field.name]}"`), op, String(lit.value));
        default:
          break;
      }
    }
    if (field.kind === 'repro' && field.name === 'git.commit' && (op === '=' || op === '!=')) {
      const commit = this.value(field).text;
      const wanted = String(lit.value).toLowerCase();
      const same = /^[0-9a-f]{7,63}$/.test(wanted)
        ? sql`(substr(${commit}, 1, ${raw(String(wanted.length))}) = ${wanted})`
        : sql`(${commit} = ${wanted})`;
      return op === '=' ? same : sql`(${commit} IS NOT NULL AND NOT ${same})`;
    }
    const matching = this.options.semiJoin ? this.matchingSet(field, op, lit) : null;
    if (matching) return this.semiJoin(matching);
    if (field.kind === 'hp') {
      // A page tests each run it walks: a LEFT JOIN that the WHERE makes an inner join would
      // let SQLite drive from the RunParam index and sort every match (564 ms at 100k runs).
      const x = raw('x');
      // OFFSET 0 (no row changes) keeps PostgreSQL from turning the test into a semi-join or a
      // hashed subplan over every matching RunParam row (options.perRun).
      const offset = raw(this.options.perRun && d.pg ? ' OFFSET 0' : '');
      return sql`EXISTS (SELECT 1 FROM "RunParam" x WHERE x."runId" = r."id" AND x."name" = ${paramName(field.name)} AND ${compareValue(d, paramValue(x), op, lit)}${offset})`;
    }
    return compareValue(d, this.value(field), op, lit);
  }

  private tag(op: CompareOp, wanted: string): Sql {
    const d = this.d;
    if (op === '~') {
      const needle = wanted.toLowerCase();
      return d.pg
        ? sql`EXISTS (SELECT 1 FROM jsonb_array_elements_text(CAST(r."tags" AS jsonb)) t(v) WHERE ${d.contains(raw('t.v'), needle)})`
        : sql`EXISTS (SELECT 1 FROM json_each(r."tags") t WHERE ${d.contains(raw('t.value'), needle)})`;
    }
    // Tags are stored as JSON.stringify(tags) writes them, so a run with the tag holds the tag's
    // JSON text: a substring test first skips parsing the tags of almost every other run.
    const quoted = JSON.stringify(wanted);
    const has = d.pg
      ? sql`(strpos(r."tags", ${quoted}) > 0 AND jsonb_exists(CAST(r."tags" AS jsonb), ${wanted}))`
      : sql`(instr(r."tags", ${quoted}) > 0 AND EXISTS (SELECT 1 FROM json_each(r."tags") t WHERE t.value = ${wanted}))`;
    return op === '!=' ? sql`(NOT ${has})` : has;
  }
}

const DATE_COLUMNS = { created: 'createdAt', started: 'startedAt', ended: 'endedAt' } as const;

/** The RunMetricSummary column a best./final. field reads: min for minimised metrics. */
export function metricColumnName(field: { kind: 'best' | 'final'; metric: string }): string {
  if (field.kind === 'final') return 'last';
  return isMinimised(field.metric) ? 'min' : 'max';
}

/** The rank of a sort value (keyset.ts compareKeys): numbers, then strings, then missing. */
export function rankOf(value: KeyValue): 0 | 1 | 2 {
  if (value === null) return 2;
  return typeof value === 'string' ? 1 : 0;
}

/**
 * The runs with one rank of sort value, sortable by an index-friendly expression. A sort
 * walks the segments of its field in rank order (nulls last in both directions, as
 * compareKeys); a cursor resumes inside the segment of its value's rank.
 */
export interface SortSegment {
  rank: 0 | 1 | 2;
  /** FROM clause (Run is `r`; the metric segment drives from its summary index). */
  from: Sql;
  /** Which runs belong to the segment. */
  where: Sql;
  /** ORDER BY and keyset expression (null for the missing-value segment). */
  order: Sql | null;
  /** The id tie-breaker (same value as r."id"; the summary's runId where it drives). */
  id: Sql;
  /** The cursor's value as SQL comparable with `order`. */
  keyParam(value: KeyValue): Sql;
  /** The sort value selected for the cursor (decoded by `decode`). */
  output: Sql;
  /** The selected value as the cursor holds it (evaluate.ts sortValue). */
  decode(raw: unknown): KeyValue;
}

const RUN = raw('"Run" r');
const RUN_ID = raw('r."id"');

/** A DateTime read by a raw query (a Date on PostgreSQL, ISO text on SQLite) as epoch ms. */
function epochOf(value: unknown): KeyValue {
  if (value === null || value === undefined) return null;
  return value instanceof Date ? value.getTime() : new Date(String(value)).getTime();
}

const asNumber = (v: unknown): KeyValue =>
  v === null || v === undefined ? null : typeof v === 'bigint' ? Number(v) : Number(v);
const asString = (v: unknown): KeyValue => (v === null || v === undefined ? null : String(v));

/** The segments a sort by `field` walks, in rank order. */
export function sortSegments(c: QueryCompiler, field: FieldRef): SortSegment[] {
  const d = c.d;
  const nullSegment = (where: Sql): SortSegment => ({
    rank: 2,
    from: RUN,
    where,
    order: null,
    id: RUN_ID,
    keyParam: () => raw('NULL'),
    output: raw('NULL'),
    decode: () => null,
  });
  const numbers = (where: Sql, order: Sql): SortSegment => ({
    rank: 0,
    from: RUN,
    where,
    order,
    id: RUN_ID,
    keyParam: (v) => sql`${v}`,
    // REAL on SQLite: the driver types a raw column by its first value, so an integer first
    // would truncate the fractions after it.
    output: d.pg ? order : sql`CAST(${order} AS REAL)`,
    decode: asNumber,
  });
  const strings = (where: Sql, order: Sql): SortSegment => ({
    rank: 1,
    from: RUN,
    where,
    order: d.collate(order),
    id: RUN_ID,
    keyParam: (v) => sql`${v}`,
    output: order,
    decode: asString,
  });
  if (field.kind === 'best' || field.kind === 'final') {
    const column = raw(`ms."${metricColumnName(field)}"`);
    return [
      {
        rank: 0,
        from: raw('"RunMetricSummary" ms JOIN "Run" r ON r."id" = ms."runId"'),
        where: sql`ms."name" = ${field.metric}`,
        order: column,
        id: raw('ms."runId"'),
        keyParam: (v) => sql`${v}`,
        output: column,
        decode: asNumber,
      },
      nullSegment(
        sql`NOT EXISTS (SELECT 1 FROM "RunMetricSummary" x WHERE x."runId" = r."id" AND x."name" = ${field.metric})`,
      ),
    ];
  }
  if (field.kind === 'repro') {
    // One type per field: its segment and the missing values (PostgreSQL refuses ORDER BY NULL).
    const v = c.value(field);
    const boolean = REPRODUCIBILITY_FIELDS[field.name]?.type === 'boolean';
    return [
      boolean ? numbers(sql`${v.rank} = 0`, v.sortNum) : strings(sql`${v.rank} = 1`, v.sortText),
      nullSegment(sql`${v.rank} = 2`),
    ];
  }
  if (field.kind === 'hp') {
    const v = c.value(field);
    const alias = c.paramAlias(field.name);
    // Numbers and booleans walk the (name, sortNum) index; text and missing values the runs.
    const column = raw('ps."sortNum"');
    return [
      {
        rank: 0,
        from: raw('"RunParam" ps JOIN "Run" r ON r."id" = ps."runId"'),
        where: sql`ps."name" = ${paramName(field.name)} AND ${column} IS NOT NULL`,
        order: column,
        id: raw('ps."runId"'),
        keyParam: (value) => sql`${value}`,
        output: d.pg ? column : sql`CAST(${column} AS REAL)`,
        decode: asNumber,
      },
      strings(sql`${alias}."sortNum" IS NULL AND ${alias}."text" IS NOT NULL`, v.sortText),
      nullSegment(sql`${alias}."runId" IS NULL`),
    ];
  }
  if (field.kind === 'attr') return attributeSegments(c, field, { nullSegment, numbers, strings });
  throw new Error('unknown sort field');
}

/** The segment makers of sortSegments(). */
interface SegmentMakers {
  nullSegment(where: Sql): SortSegment;
  numbers(where: Sql, order: Sql): SortSegment;
  strings(where: Sql, order: Sql): SortSegment;
}

/** The segments of a sort by a run attribute (created, name, duration, ...). */
function attributeSegments(
  c: QueryCompiler,
  field: { kind: 'attr'; name: RunAttribute },
  { nullSegment, numbers, strings }: SegmentMakers,
): SortSegment[] {
  const d = c.d;
  switch (field.name) {
    case 'created':
    case 'started':
    case 'ended': {
      const column = raw(`r."${DATE_COLUMNS[field.name]}"`);
      const segment: SortSegment = {
        ...numbers(sql`${column} IS NOT NULL`, column),
        keyParam: (v) => (typeof v === 'number' ? d.date(v) : raw('NULL')),
        output: column,
        decode: epochOf,
      };
      return field.name === 'created'
        ? [{ ...segment, where: raw('TRUE') }]
        : [segment, nullSegment(sql`${column} IS NULL`)];
    }
    case 'duration':
      return [
        numbers(raw('r."startedAt" IS NOT NULL'), c.duration()),
        nullSegment(raw('r."startedAt" IS NULL')),
      ];
    case 'project':
      c.usesProject = true;
      return [strings(raw('TRUE'), raw('p."name"'))];
    case 'name':
      return [strings(raw('TRUE'), raw('r."name"'))];
    case 'status':
      return [strings(raw('TRUE'), raw('r."status"'))];
    case 'tag':
      throw new Error('runs cannot be sorted by tag');
  }
}
