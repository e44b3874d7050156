// The runs query language compiled to SQL for SQLite and PostgreSQL (pure: builds text and
// parameters, runs nothing). The semantics are those of evaluate.ts, which stays the oracle
// (apps/api/test/runs-query-sql.test.ts compares both on a generated set):
// - a comparison with a missing value, or a value of another type, is false (so NOT of it is
//   true): every NOT wraps its operand in COALESCE(.., FALSE), SQL's NULL never leaks out;
// - hyperparameters are read from the JSON text (SQLite json_type/json_extract/->, PostgreSQL's
//   `json` type, which keeps numbers' and objects' original text as JSON.stringify wrote it),
//   following the aliases and dotted paths of evaluate.ts `hyperparameter()`;
// - strings compare by code point (COLLATE "C" on PostgreSQL), `~` is a case-insensitive
//   substring test, dates compare with a date literal's interval, duration in seconds.
// Every value from the query text is a parameter; the SQL text holds only this file's constants.
// Known differences from the evaluator (edge cases; README.md, "Queries at scale"):
// - a hyperparameter key containing `"` or `\` reads as missing on SQLite (JSON path syntax);
// - `~` lower-cases non-ASCII letters in memory but only ASCII ones on SQLite;
// - text read as a number: the evaluator takes anything Number() takes; SQLite takes JSON5
//   numbers (no leading zeros such as "007"), PostgreSQL decimal numbers (no hex such as "0x10");
// - a number hyperparameter compared with a string literal reads as JSON.stringify wrote it
//   (SQLite, PostgreSQL), and a whole object/array hyperparameter as its stored JSON text.
import { isMinimised } from './evaluate';
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

/** Largest finite double: text read as a number must be finite, as Number.isFinite wants. */
const MAX_DOUBLE = '1.7976931348623157e308';
/** PostgreSQL: decimal number text (what Number() reads, less hex/binary/octal and Infinity). */
const PG_NUMBER_RE = '^\\s*[+-]?([0-9]+\\.?[0-9]*|\\.[0-9]+)([eE][+-]?[0-9]{1,4})?\\s*$';

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

  /** Text read as a number (as compareValue does with Number()), else NULL. */
  numberFromText(t: Sql): Sql {
    if (this.pg)
      return sql`(CASE WHEN ${t} ~ ${PG_NUMBER_RE} THEN (CASE WHEN CAST(${t} AS numeric) = 0 OR abs(CAST(${t} AS numeric)) BETWEEN 1e-307 AND 1e308 THEN CAST(${t} AS float8) END) END)`;
    // JSON5 numbers are JavaScript's, less a signed hex ("-0x10": NaN in JavaScript).
    const v = sql`json_extract(${t}, '$')`;
    return sql`(CASE WHEN json_valid(${t}, 2) AND json_type(${t}) IN ('integer', 'real') AND ${t} NOT GLOB '*[+-]0[xX]*' THEN (CASE WHEN abs(${v}) <= ${raw(MAX_DOUBLE)} THEN ${v} END) END)`;
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

/** Hyperparameter aliases (evaluate.ts HP_ALIASES). */
const HP_ALIASES: readonly (readonly string[])[] = [
  ['learningRate', 'lr', 'learning_rate'],
  ['batchSize', 'batch_size'],
];

/** The key paths `hyperparameter(hp, name)` tries, in order (a key itself, then its dotted path). */
export function hyperparameterPaths(name: string): string[][] {
  const group = HP_ALIASES.find((g) => g.includes(name)) ?? [];
  const out: string[][] = [];
  const seen = new Set<string>();
  for (const key of [name, ...group]) {
    for (const path of key.includes('.') ? [[key], key.split('.')] : [[key]]) {
      const id = JSON.stringify(path);
      if (!seen.has(id)) {
        seen.add(id);
        out.push(path);
      }
    }
  }
  return out;
}

/** One path into the hyperparameters' JSON: presence, JSON type and the value's views. */
interface JsonNode {
  present: Sql;
  value: SqlValue;
}

function sqliteNode(d: DialectSql, doc: Sql, path: string[]): JsonNode | null {
  // A JSON path label cannot hold `"` or `\` in SQLite: such a key reads as missing.
  if (path.some((p) => /["\\]/.test(p))) return null;
  const p = `$${path.map((s) => `."${s}"`).join('')}`;
  const type = sql`json_type(${doc}, ${p})`;
  const extract = sql`json_extract(${doc}, ${p})`;
  const jsonText = sql`(${doc} -> ${p})`;
  const text = sql`(CASE WHEN ${type} IN ('integer', 'real', 'object', 'array') THEN ${jsonText} WHEN ${type} = 'text' THEN ${extract} END)`;
  return {
    present: sql`(${type} IS NOT NULL)`,
    value: {
      num: sql`(CASE WHEN ${type} IN ('integer', 'real') THEN ${extract} WHEN ${type} = 'text' THEN ${d.numberFromText(extract)} END)`,
      text,
      bool: sql`(CASE WHEN ${type} IN ('true', 'false') THEN ${extract} END)`,
      rank: sql`(CASE WHEN ${type} IN ('integer', 'real', 'true', 'false') THEN 0 WHEN ${type} IN ('text', 'object', 'array') THEN 1 ELSE 2 END)`,
      sortNum: sql`(CASE WHEN ${type} IN ('integer', 'real', 'true', 'false') THEN ${extract} END)`,
      sortText: sql`substr(${text}, 1, ${raw(String(SORT_CHARS))})`,
    },
  };
}

function postgresNode(d: DialectSql, path: string[]): JsonNode {
  const at = sql`ARRAY[${joinSql(
    path.map((p) => sql`CAST(${p} AS text)`),
    ', ',
  )}]`;
  // The jsonb of the run's hyperparameters, parsed once per row (HP_LATERAL); numbers and
  // objects read as text come from the json type, which keeps JSON.stringify's text.
  const node = sql`(h."hp" #> ${at})`;
  const type = sql`jsonb_typeof(${node})`;
  const scalar = sql`(${node} #>> '{}')`;
  const original = sql`((CAST(r."hyperparameters" AS json) #> ${at}) #>> '{}')`;
  const text = sql`(CASE ${type} WHEN 'string' THEN ${scalar} WHEN 'number' THEN ${original} WHEN 'object' THEN ${original} WHEN 'array' THEN ${original} END)`;
  const asNumber = sql`(CASE ${type} WHEN 'number' THEN CAST(${scalar} AS float8) WHEN 'boolean' THEN (CASE WHEN ${scalar} = 'true' THEN 1 ELSE 0 END) END)`;
  return {
    present: sql`(${node} IS NOT NULL)`,
    value: {
      num: sql`(CASE ${type} WHEN 'number' THEN CAST(${scalar} AS float8) WHEN 'string' THEN ${d.numberFromText(scalar)} END)`,
      text,
      bool: sql`(CASE WHEN ${type} = 'boolean' THEN CAST(${scalar} AS boolean) END)`,
      rank: sql`(CASE WHEN ${type} IN ('number', 'boolean') THEN 0 WHEN ${type} IN ('string', 'object', 'array') THEN 1 ELSE 2 END)`,
      sortNum: asNumber,
      sortText: sql`left(${text}, ${raw(String(SORT_CHARS))})`,
    },
  };
}

/** PostgreSQL: the hyperparameters as jsonb `h."hp"`, cast once per row (OFFSET 0 keeps it so). */
export const HP_LATERAL = raw(
  ' CROSS JOIN LATERAL (SELECT CAST(r."hyperparameters" AS jsonb) AS "hp" OFFSET 0) h',
);

/** The value of hp.<name>: the first of its paths present in the run's hyperparameters. */
function hyperparameterValue(d: DialectSql, name: string): SqlValue {
  const doc = raw(`r."hyperparameters"`);
  const nodes = hyperparameterPaths(name)
    .map((path) => (d.pg ? postgresNode(d, path) : sqliteNode(d, doc, path)))
    .filter((n): n is JsonNode => n !== null);
  const pick = (view: keyof SqlValue, otherwise: Sql): Sql => {
    const [only] = nodes;
    if (nodes.length === 0) return otherwise;
    if (nodes.length === 1 && only) return only.value[view];
    const arms = joinSql(
      nodes.map((n) => sql`WHEN ${n.present} THEN ${n.value[view]}`),
      ' ',
    );
    return sql`(CASE ${arms} ELSE ${otherwise} END)`;
  };
  return {
    num: pick('num', raw('NULL')),
    text: pick('text', raw('NULL')),
    bool: pick('bool', raw('NULL')),
    rank: pick('rank', raw('2')),
    sortNum: pick('sortNum', raw('NULL')),
    sortText: pick('sortText', raw('NULL')),
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
  /** True once hp.* is read (on PostgreSQL the caller adds HP_LATERAL). */
  usesHyperparameters = false;

  constructor(
    dialect: Dialect,
    private readonly now: number,
    /**
     * metricSemiJoin: compare best./final. against the set of matching summaries (read once;
     * for a COUNT over every run; see metricMatch) instead of a LEFT JOIN per run (for a page
     * that stops at its LIMIT).
     */
    private readonly options: { metricSemiJoin?: boolean } = {},
  ) {
    this.d = new DialectSql(dialect);
  }

  /** PostgreSQL semi-joins of a COUNT: each a LEFT JOIN of the summaries that match. */
  private readonly semiJoins: Sql[] = [];

  /** The LEFT JOINs of the metric summaries compiled so far. */
  metricJoins(): Sql {
    return joinSql(
      [
        ...[...this.metricAliases].map(
          ([name, alias]) =>
            sql` LEFT JOIN "RunMetricSummary" ${raw(alias)} ON ${raw(alias)}."runId" = r."id" AND ${raw(alias)}."name" = ${name}`,
        ),
        ...this.semiJoins,
      ],
      '',
    );
  }

  /**
   * `field op value` as a semi-join on the summary's (name, value) index: the set of runs whose
   * value matches is read once, and a run without the metric is simply not in it. SQLite runs
   * `id IN (...)` through an automatic index. On PostgreSQL `IN` under an OR is a SubPlan that
   * is hashed only if the set fits work_mem, else re-read per run (a 1M-run COUNT did not end
   * in 10 minutes): a LEFT JOIN of the set (at most one row per run, (runId, name) is unique)
   * is a hash join whatever its size.
   */
  private metricMatch(
    field: { kind: 'best' | 'final'; metric: string },
    op: Exclude<CompareOp, '~'>,
    value: unknown,
  ): Sql {
    const column = raw(`"${metricColumnName(field)}"`);
    const matching = sql`SELECT "runId" FROM "RunMetricSummary" WHERE "name" = ${field.metric} AND ${cmp(column, op, value)}`;
    if (!this.d.pg) return sql`(r."id" IN (${matching}))`;
    const alias = raw(`s${this.semiJoins.length}`);
    this.semiJoins.push(sql` LEFT JOIN (${matching}) ${alias} ON ${alias}."runId" = r."id"`);
    return sql`(${alias}."runId" IS NOT NULL)`;
  }

  private metricColumn(field: { kind: 'best' | 'final'; metric: string }): Sql {
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
        this.usesHyperparameters = true;
        return hyperparameterValue(this.d, field.name);
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
    if (field.kind === 'attr') {
      switch (field.name) {
        case 'tag':
          return this.tag(op, String(lit.value));
        case 'status':
          if (op === '~') break;
          return cmp(d.collate(raw('upper(r."status")')), op, String(lit.value).toUpperCase());
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
    if (
      this.options.metricSemiJoin &&
      (field.kind === 'best' || field.kind === 'final') &&
      lit.kind === 'number' &&
      op !== '~'
    ) {
      return this.metricMatch(field, op, lit.value);
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
    const has = d.pg
      ? sql`jsonb_exists(CAST(r."tags" AS jsonb), ${wanted})`
      : sql`EXISTS (SELECT 1 FROM json_each(r."tags") t WHERE t.value = ${wanted})`;
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
    // A name SQLite cannot read is NULL throughout: only the missing-value segment is left.
    if (v.sortNum.text === 'NULL') return [nullSegment(raw('TRUE'))];
    return [
      numbers(sql`${v.rank} = 0`, v.sortNum),
      strings(sql`${v.rank} = 1`, v.sortText),
      nullSegment(sql`${v.rank} = 2`),
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
