// The runs query language: a hand-written lexer and recursive-descent parser (pure, no I/O).
//
//   query      := or EOF
//   or         := and (("OR" | "||") and)*
//   and        := not (("AND" | "&&") not)*
//   not        := ("NOT" | "!") not | primary
//   primary    := "(" or ")" | comparison
//   comparison := field op literal
//   field      := hp.<name> | best.<metric> | final.<metric> | tag | status | project | name
//                 | created | started | ended | duration          (<name> may be a "quoted string")
//                 | repro.<field> | git.<commit|dirty|branch>     (Run.reproducibility; see REPRODUCIBILITY_FIELDS)
//   op         := = | == | != | < | <= | > | >= | ~
//   literal    := number | "string" | true | false
//
// Precedence: NOT binds tighter than AND, AND tighter than OR. Keywords are case-insensitive.
//
// Limits (each a QuerySyntaxError naming it): the parser and the evaluator recurse over the
// tree, and the SQL that loads the runs joins one table per metric (SQLite allows 64 tables).

/** Longest accepted query text, in characters. */
export const MAX_QUERY_LENGTH = 10_000;
/** Deepest nesting of parentheses and NOT. */
export const MAX_QUERY_DEPTH = 32;
/** Most comparisons in one query. */
export const MAX_QUERY_CONDITIONS = 256;
/** Most distinct metrics (best.x / final.x) one query reads. */
export const MAX_QUERY_METRICS = 32;

import { forbiddenNameChar } from '../../common/limits';
import { REPRODUCIBILITY_FIELDS } from '../reproducibility.schema';

/** Position of a token in the query text. */
export interface Position {
  /** 0-based character offset. */
  offset: number;
  /** 1-based line. */
  line: number;
  /** 1-based column. */
  column: number;
}

/** A syntax (or field/type) error with where and why. */
export class QuerySyntaxError extends Error {
  constructor(
    /** Why, without the position, e.g. `expected a value after "<"`. */
    readonly reason: string,
    readonly position: Position,
    /** The offending line with a caret under the position. */
    readonly excerpt: string,
  ) {
    super(`${reason} at ${position.line}:${position.column}\n${excerpt}`);
    this.name = 'QuerySyntaxError';
  }
}

/** Comparison operators. */
export type CompareOp = '=' | '!=' | '<' | '<=' | '>' | '>=' | '~';

/** A literal value. */
export type Literal =
  | { kind: 'number'; value: number }
  | { kind: 'string'; value: string }
  | { kind: 'boolean'; value: boolean };

/** Run attributes a query can compare. */
export type RunAttribute =
  'tag' | 'status' | 'project' | 'name' | 'created' | 'started' | 'ended' | 'duration';

/** What a comparison reads from a run. */
export type FieldRef =
  | { kind: 'hp'; name: string }
  | { kind: 'best' | 'final'; metric: string }
  | { kind: 'attr'; name: RunAttribute }
  /** A field of Run.reproducibility, by its key in REPRODUCIBILITY_FIELDS (`git.commit`, `host`). */
  | { kind: 'repro'; name: string };

/** The parsed query. */
export type QueryExpr =
  | { kind: 'and' | 'or'; left: QueryExpr; right: QueryExpr }
  | { kind: 'not'; expr: QueryExpr }
  | { kind: 'cmp'; field: FieldRef; op: CompareOp; value: Literal; position: Position };

const ATTRIBUTES: readonly RunAttribute[] = [
  'tag',
  'status',
  'project',
  'name',
  'created',
  'started',
  'ended',
  'duration',
];
const FIELD_HELP =
  'hp.<name>, best.<metric>, final.<metric>, repro.<field>, git.<commit|dirty|branch>, tag, status, project, name, created, started, ended, duration';

type TokenKind =
  | 'field'
  | 'number'
  | 'string'
  | 'true'
  | 'false'
  | 'and'
  | 'or'
  | 'not'
  | 'op'
  | 'lparen'
  | 'rparen'
  | 'eof';

interface Token {
  kind: TokenKind;
  /** Source text of the token. */
  text: string;
  offset: number;
  /** field: dot-separated segments; op: the operator; number/string: the value. */
  segments?: string[];
  op?: CompareOp;
  number?: number;
  string?: string;
}

/** Line/column of an offset, and the caret excerpt. */
function locate(source: string, offset: number): { position: Position; excerpt: string } {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset && i < source.length; i++) {
    if (source[i] === '\n') {
      line += 1;
      lineStart = i + 1;
    }
  }
  let lineEnd = source.indexOf('\n', lineStart);
  if (lineEnd < 0) lineEnd = source.length;
  const column = offset - lineStart + 1;
  // Long lines are cut to a window around the column (an error message is no place for 10k characters).
  const from = Math.max(lineStart, Math.min(offset - 60, lineEnd - 120));
  const to = Math.min(lineEnd, from + 120);
  const cut =
    (from > lineStart ? '...' : '') + source.slice(from, to) + (to < lineEnd ? '...' : '');
  const text = cut.replace(/\t/g, ' ');
  const caret = offset - from + (from > lineStart ? 3 : 0);
  return { position: { offset, line, column }, excerpt: `  ${text}\n  ${' '.repeat(caret)}^` };
}

function fail(source: string, offset: number, reason: string): never {
  const { position, excerpt } = locate(source, offset);
  throw new QuerySyntaxError(reason, position, excerpt);
}

// Characters past the end (undefined) are none of these.
const isIdentStart = (c: string | undefined) => c !== undefined && /[A-Za-z_]/.test(c);
const isIdentPart = (c: string | undefined) => c !== undefined && /[A-Za-z0-9_\-/]/.test(c);
const isDigit = (c: string | undefined) => c !== undefined && c >= '0' && c <= '9';

/** A token read at some offset, and the offset just after it. */
interface Read {
  token: Token;
  end: number;
}

/** A token reader: the token starting at `start`, or null when the text there is not its kind. */
type TokenReader = (source: string, start: number) => Read | null;

/** Single-character escapes inside a string (JSON's, as `\uXXXX` is too). */
const SIMPLE_ESCAPES: Readonly<Record<string, string>> = {
  '"': '"',
  '\\': '\\',
  '/': '/',
  n: '\n',
  t: '\t',
  r: '\r',
  b: '\b',
  f: '\f',
};

/** The escape sequence at `j` (a backslash): its character and the offset after it. */
function readEscape(source: string, j: number): { char: string; next: number } {
  const e = source[j + 1];
  const simple = e === undefined ? undefined : SIMPLE_ESCAPES[e];
  if (simple !== undefined) return { char: simple, next: j + 2 };
  const hex = source.slice(j + 2, j + 6);
  if (e === 'u' && /^[0-9a-fA-F]{4}$/.test(hex))
    return { char: String.fromCharCode(parseInt(hex, 16)), next: j + 6 };
  return fail(source, j, `invalid escape "\\${e ?? ''}" in string`);
}

/** The double-quoted string opening at `start`: its value and the offset after the closing quote. */
function readQuoted(source: string, start: number): { value: string; end: number } {
  const n = source.length;
  let j = start + 1;
  let value = '';
  while (j < n && source[j] !== '"') {
    const c = source[j];
    if (c === '\n') fail(source, start, 'unterminated string (strings cannot span lines)');
    if (c === '\\') {
      const { char, next } = readEscape(source, j);
      value += char;
      j = next;
    } else {
      value += c;
      j += 1;
    }
  }
  if (j >= n) fail(source, start, 'unterminated string (missing closing ")');
  return { value, end: j + 1 };
}

const readParen: TokenReader = (source, start) => {
  const c = source[start];
  if (c !== '(' && c !== ')') return null;
  return {
    token: { kind: c === '(' ? 'lparen' : 'rparen', text: c, offset: start },
    end: start + 1,
  };
};

const readLogicalSymbol: TokenReader = (source, start) => {
  const two = source.slice(start, start + 2);
  if (two !== '&&' && two !== '||') return null;
  return { token: { kind: two === '&&' ? 'and' : 'or', text: two, offset: start }, end: start + 2 };
};

const readTwoCharOp: TokenReader = (source, start) => {
  const two = source.slice(start, start + 2);
  if (two !== '!=' && two !== '<=' && two !== '>=' && two !== '==') return null;
  const op = two === '==' ? '=' : two;
  return { token: { kind: 'op', text: two, offset: start, op }, end: start + 2 };
};

const readBang: TokenReader = (source, start) =>
  source[start] === '!'
    ? { token: { kind: 'not', text: '!', offset: start }, end: start + 1 }
    : null;

const readOneCharOp: TokenReader = (source, start) => {
  const c = source[start];
  if (c !== '=' && c !== '<' && c !== '>' && c !== '~') return null;
  return { token: { kind: 'op', text: c, offset: start, op: c }, end: start + 1 };
};

const readString: TokenReader = (source, start) => {
  if (source[start] !== '"') return null;
  const { value, end } = readQuoted(source, start);
  return {
    token: { kind: 'string', text: source.slice(start, end), offset: start, string: value },
    end,
  };
};

/** A digit, or a sign or dot followed by a digit (or by ".digit"). */
function startsNumber(source: string, i: number): boolean {
  const c = source[i];
  if (isDigit(c)) return true;
  if (c !== '-' && c !== '+' && c !== '.') return false;
  return isDigit(source[i + 1]) || (source[i + 1] === '.' && isDigit(source[i + 2]));
}

const readNumber: TokenReader = (source, start) => {
  if (!startsNumber(source, start)) return null;
  const m = /^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?/.exec(source.slice(start));
  // startsNumber() saw at least one digit, so the pattern matches.
  const text = m?.[0] ?? fail(source, start, 'expected a number');
  const end = start + text.length;
  const after = source[end] ?? '';
  if (isIdentPart(after) || after === '.')
    fail(source, end, `unexpected "${after}" in number "${text}"`);
  return { token: { kind: 'number', text, offset: start, number: Number(text) }, end };
};

/** The dot-separated segments of a name starting at `start` (a segment may be "quoted"). */
function readSegments(source: string, start: number): { segments: string[]; end: number } {
  const n = source.length;
  const segments: string[] = [];
  let j = start;
  for (;;) {
    if (source[j] === '"') {
      const { value, end } = readQuoted(source, j);
      segments.push(value);
      j = end;
    } else if (j < n && isIdentPart(source[j])) {
      let k = j + 1;
      while (k < n && isIdentPart(source[k])) k += 1;
      segments.push(source.slice(j, k));
      j = k;
    } else {
      fail(source, j, `expected a name after "." in "${source.slice(start, j)}"`);
    }
    if (source[j] !== '.') return { segments, end: j };
    j += 1;
  }
}

const KEYWORDS: ReadonlySet<string> = new Set(['and', 'or', 'not', 'true', 'false']);
const isKeyword = (word: string): word is 'and' | 'or' | 'not' | 'true' | 'false' =>
  KEYWORDS.has(word);

/** A keyword (one segment, any case) or a field. */
const readWord: TokenReader = (source, start) => {
  if (!isIdentStart(source[start])) return null;
  const { segments, end } = readSegments(source, start);
  const text = source.slice(start, end);
  const keyword = segments.length === 1 ? text.toLowerCase() : '';
  const token: Token = isKeyword(keyword)
    ? { kind: keyword, text, offset: start }
    : { kind: 'field', text, offset: start, segments };
  return { token, end };
};

/** Tried in order at each token's start; the first that matches reads the token. */
const TOKEN_READERS: readonly TokenReader[] = [
  readParen,
  readLogicalSymbol,
  readTwoCharOp,
  readBang,
  readOneCharOp,
  readString,
  readNumber,
  readWord,
];

/** The token starting at `start` (a non-blank character). */
function readToken(source: string, start: number): Read {
  for (const reader of TOKEN_READERS) {
    const read = reader(source, start);
    if (read) return read;
  }
  return fail(source, start, `unexpected character "${source[start] ?? ''}"`);
}

const isBlank = (c: string | undefined) => c === ' ' || c === '\t' || c === '\n' || c === '\r';

/** Splits the query into tokens (the last is always `eof`). */
export function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < source.length) {
    if (isBlank(source[i])) {
      i += 1;
      continue;
    }
    const { token, end } = readToken(source, i);
    tokens.push(token);
    i = end;
  }
  // Errors at the end point just after the last non-blank character, not past trailing newlines.
  tokens.push({ kind: 'eof', text: '', offset: source.trimEnd().length });
  return tokens;
}

/** Describes a token for error messages. */
function describe(t: Token): string {
  if (t.kind === 'eof') return 'the end of the query';
  return t.kind === 'string' ? t.text : `"${t.text}"`;
}

/** Resolves the segments of a field token to what it reads (throws on unknown fields). */
function resolveField(source: string, t: Token): FieldRef {
  const [head, ...rest] = t.segments ?? [];
  if (head === undefined) throw new Error(`field token "${t.text}" has no segments`);
  const root = head.toLowerCase();
  if (root === 'hp' || root === 'hyperparameters') {
    if (rest.length === 0)
      fail(
        source,
        t.offset,
        `expected a hyperparameter name after "${head}." (e.g. hp.learningRate)`,
      );
    return { kind: 'hp', name: rest.join('.') };
  }
  if (root === 'best' || root === 'final') {
    if (rest.length === 0)
      fail(source, t.offset, `expected a metric name after "${head}." (e.g. ${root}.val_accuracy)`);
    const metric = rest.join('.');
    // Metric names are looked up in the database: the same characters as logMetrics accepts.
    const bad = forbiddenNameChar(metric);
    if (bad)
      fail(
        source,
        t.offset,
        `metric name "${metric.slice(0, 40)}" contains ${bad.what} (${bad.codePoint}); metric names may not contain control, bidirectional-control or invisible characters`,
      );
    return { kind: root, metric };
  }
  if (root === 'repro' || root === 'reproducibility' || (root === 'git' && rest.length > 0)) {
    const name = (root === 'git' ? ['git', ...rest] : rest).join('.');
    if (!Object.prototype.hasOwnProperty.call(REPRODUCIBILITY_FIELDS, name))
      fail(
        source,
        t.offset,
        `unknown reproducibility field "${t.text}" (expected repro.<field> with <field> one of ${Object.keys(REPRODUCIBILITY_FIELDS).join(', ')}; git.<x> is short for repro.git.<x>)`,
      );
    return { kind: 'repro', name };
  }
  if (rest.length === 0 && (ATTRIBUTES as readonly string[]).includes(root))
    return { kind: 'attr', name: root as RunAttribute };
  return fail(source, t.offset, `unknown field "${t.text}" (expected one of ${FIELD_HELP})`);
}

/** Checks that the operator and literal make sense for the field (e.g. no `tag < 3`). */
function checkComparison(
  source: string,
  field: FieldRef,
  opToken: Token,
  value: Literal,
  valueToken: Token,
): void {
  const op = opToken.op!;
  const where = valueToken.offset;
  const name =
    field.kind === 'attr'
      ? field.name
      : field.kind === 'hp' || field.kind === 'repro'
        ? `${field.kind}.${field.name}`
        : `${field.kind}.${field.metric}`;
  if (field.kind === 'repro') {
    // Every reproducibility field is a string or a boolean (REPRODUCIBILITY_FIELDS).
    const type = REPRODUCIBILITY_FIELDS[field.name]?.type;
    if (type === 'boolean') {
      if (op !== '=' && op !== '!=')
        fail(source, opToken.offset, `${name} is true or false: use = or !=, not "${op}"`);
      if (value.kind !== 'boolean')
        fail(
          source,
          where,
          `expected true or false to compare with ${name}, got ${describe(valueToken)}`,
        );
      return;
    }
    if (value.kind !== 'string')
      fail(source, where, `expected a string to compare with ${name}, got ${describe(valueToken)}`);
    return;
  }
  if (
    field.kind === 'best' ||
    field.kind === 'final' ||
    (field.kind === 'attr' && field.name === 'duration')
  ) {
    if (op === '~')
      fail(source, opToken.offset, `operator "~" needs text, but ${name} is a number`);
    if (value.kind !== 'number')
      fail(source, where, `expected a number to compare with ${name}, got ${describe(valueToken)}`);
    return;
  }
  if (
    field.kind === 'attr' &&
    (field.name === 'created' || field.name === 'started' || field.name === 'ended')
  ) {
    if (op === '~') fail(source, opToken.offset, `operator "~" needs text, but ${name} is a date`);
    if (value.kind !== 'string' || parseDateLiteral(value.value) === null) {
      fail(
        source,
        where,
        `expected an ISO date string such as "2026-11-01" or "2026-11-01T12:00:00Z" for ${name}, got ${describe(valueToken)}`,
      );
    }
    return;
  }
  if (field.kind === 'attr' && field.name === 'tag') {
    if (op !== '=' && op !== '!=' && op !== '~')
      fail(source, opToken.offset, `tag supports only =, != and ~, not "${op}"`);
  }
  if (field.kind === 'attr' && value.kind !== 'string') {
    fail(source, where, `expected a string to compare with ${name}, got ${describe(valueToken)}`);
  }
  if (op === '~' && value.kind !== 'string')
    fail(source, where, `operator "~" needs a string, got ${describe(valueToken)}`);
}

/**
 * A date literal as the half-open interval of instants it names: a date-only literal
 * ("2026-11-01") is that whole UTC day, a full timestamp is one millisecond.
 */
export function parseDateLiteral(text: string): { start: number; end: number } | null {
  if (/^\d{4}-\d{2}-\d{2}$/.test(text)) {
    const start = Date.parse(`${text}T00:00:00Z`);
    return Number.isNaN(start) ? null : { start, end: start + 86_400_000 };
  }
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/.test(text)) return null;
  const start = Date.parse(text);
  return Number.isNaN(start) ? null : { start, end: start + 1 };
}

/** Refuses a query or sort key longer than {@link MAX_QUERY_LENGTH} (before tokenizing it). */
function checkLength(source: string, what: string): void {
  if (source.length > MAX_QUERY_LENGTH)
    fail(
      source,
      MAX_QUERY_LENGTH,
      `the ${what} is ${source.length.toLocaleString('en-US')} characters long; the limit is ${MAX_QUERY_LENGTH.toLocaleString('en-US')}`,
    );
}

/** Whether a token can begin a condition (after AND, OR or NOT). */
function startsOperand(t: Token): boolean {
  return t.kind === 'field' || t.kind === 'lparen' || t.kind === 'not';
}

/** The literal a value token stands for (errors name the operator before it). */
function literalOf(source: string, vt: Token, opToken: Token): Literal {
  if (vt.kind === 'number' && vt.number !== undefined) return { kind: 'number', value: vt.number };
  if (vt.kind === 'string' && vt.string !== undefined) return { kind: 'string', value: vt.string };
  if (vt.kind === 'true' || vt.kind === 'false')
    return { kind: 'boolean', value: vt.kind === 'true' };
  if (vt.kind === 'field')
    fail(
      source,
      vt.offset,
      `expected a value after "${opToken.text}" (strings need double quotes: "${vt.text}")`,
    );
  return fail(source, vt.offset, `expected a value after "${opToken.text}"`);
}

/**
 * Recursive descent over the tokens, one method per precedence level (see the grammar at the top),
 * counting nesting, comparisons and metrics against the limits as it goes.
 */
class QueryParser {
  private pos = 0;
  /** Nesting of "(" and NOT so far. */
  private depth = 0;
  /** Comparisons so far. */
  private conditions = 0;
  /** Distinct metrics the comparisons so far read. */
  private readonly metrics = new Set<string>();

  constructor(
    private readonly source: string,
    private readonly tokens: readonly Token[],
  ) {}

  /** query := or EOF */
  parse(): QueryExpr {
    if (this.peek().kind === 'eof') fail(this.source, 0, 'the query is empty');
    const expr = this.parseOr();
    const rest = this.peek();
    if (rest.kind !== 'eof') {
      const reason =
        rest.kind === 'rparen'
          ? 'unbalanced ")"'
          : `expected AND, OR or the end of the query, got ${describe(rest)}`;
      fail(this.source, rest.offset, reason);
    }
    return expr;
  }

  // The parser never reads past the final eof token (it stops there), so `at` always finds one.
  private at(i: number): Token {
    const t = this.tokens[i];
    if (!t) throw new Error(`query parser read past the end token (position ${i})`);
    return t;
  }

  private peek(): Token {
    return this.at(this.pos);
  }

  private next(): Token {
    return this.at(this.pos++);
  }

  /** Consumes the operator token `op` and checks that a condition follows it. */
  private operator(): Token {
    const op = this.next();
    const t = this.peek();
    if (!startsOperand(t))
      fail(this.source, t.offset, `expected a condition after "${op.text}", got ${describe(t)}`);
    return op;
  }

  private enter(t: Token): void {
    this.depth += 1;
    if (this.depth > MAX_QUERY_DEPTH)
      fail(
        this.source,
        t.offset,
        `the query nests parentheses and NOT more than ${MAX_QUERY_DEPTH} levels deep; the limit is ${MAX_QUERY_DEPTH}`,
      );
  }

  /** or := and (("OR" | "||") and)* */
  private parseOr(): QueryExpr {
    let left = this.parseAnd();
    while (this.peek().kind === 'or') {
      this.operator();
      left = { kind: 'or', left, right: this.parseAnd() };
    }
    return left;
  }

  /** and := not (("AND" | "&&") not)* */
  private parseAnd(): QueryExpr {
    let left = this.parseNot();
    while (this.peek().kind === 'and') {
      this.operator();
      left = { kind: 'and', left, right: this.parseNot() };
    }
    return left;
  }

  /** not := ("NOT" | "!") not | primary */
  private parseNot(): QueryExpr {
    if (this.peek().kind !== 'not') return this.parsePrimary();
    const op = this.operator();
    this.enter(op);
    const expr = this.parseNot();
    this.depth -= 1;
    return { kind: 'not', expr };
  }

  /** primary := "(" or ")" | comparison */
  private parsePrimary(): QueryExpr {
    const t = this.peek();
    if (t.kind !== 'lparen') return this.parseComparison();
    this.next();
    this.enter(t);
    if (this.peek().kind === 'rparen')
      fail(this.source, this.peek().offset, 'expected a condition inside "( )"');
    const inner = this.parseOr();
    this.depth -= 1;
    const close = this.peek();
    if (close.kind !== 'rparen') {
      const { line, column } = locate(this.source, t.offset).position;
      fail(
        this.source,
        close.offset,
        `expected ")" to close "(" at ${line}:${column}, got ${describe(close)}`,
      );
    }
    this.next();
    return inner;
  }

  /** comparison := field op literal */
  private parseComparison(): QueryExpr {
    const t = this.peek();
    if (t.kind !== 'field') {
      fail(
        this.source,
        t.offset,
        `expected a field such as hp.lr, best.val_accuracy or tag, got ${describe(t)}`,
      );
    }
    this.next();
    const field = resolveField(this.source, t);
    this.count(field, t);
    const opToken = this.peek();
    if (opToken.kind !== 'op' || opToken.op === undefined) {
      fail(
        this.source,
        opToken.offset,
        `expected a comparison operator (=, !=, <, <=, >, >=, ~) after "${t.text}", got ${describe(opToken)}`,
      );
    }
    this.next();
    const vt = this.peek();
    const value = literalOf(this.source, vt, opToken);
    this.next();
    checkComparison(this.source, field, opToken, value, vt);
    const position = locate(this.source, t.offset).position;
    return { kind: 'cmp', field, op: opToken.op, value, position };
  }

  /** Counts one more comparison (and the metric it reads) against the limits. */
  private count(field: FieldRef, t: Token): void {
    this.conditions += 1;
    if (this.conditions > MAX_QUERY_CONDITIONS)
      fail(
        this.source,
        t.offset,
        `the query has more than ${MAX_QUERY_CONDITIONS} comparisons; the limit is ${MAX_QUERY_CONDITIONS}`,
      );
    if (field.kind !== 'best' && field.kind !== 'final') return;
    this.metrics.add(field.metric);
    if (this.metrics.size > MAX_QUERY_METRICS)
      fail(
        this.source,
        t.offset,
        `the query reads more than ${MAX_QUERY_METRICS} different metrics; the limit is ${MAX_QUERY_METRICS}`,
      );
  }
}

/** Parses a query; throws QuerySyntaxError with position and reason (limits included). */
export function parseQuery(source: string): QueryExpr {
  checkLength(source, 'query');
  return new QueryParser(source, tokenize(source)).parse();
}

/** A sort key (`best.val_accuracy`, `hp.learningRate`, `created`, ...). */
export function parseSortKey(source: string): FieldRef {
  checkLength(source, 'sort key');
  const tokens = tokenize(source);
  // tokenize() always ends with an eof token, so there is a first one.
  const [first, second] = tokens as [Token, ...Token[]];
  if (tokens.length !== 2 || first.kind !== 'field') {
    const bad = first.kind === 'field' && second ? second : first;
    fail(
      source,
      bad.offset,
      `expected one field such as best.val_accuracy, hp.learningRate, created, name or duration, got ${describe(bad)}`,
    );
  }
  return resolveField(source, first);
}

/** Reproducibility fields a query or sort key reads (so only those are loaded). */
export function reproducibilityFields(expr: QueryExpr | null, sort?: FieldRef | null): string[] {
  const out = new Set<string>();
  const visit = (e: QueryExpr): void => {
    if (e.kind === 'cmp') {
      if (e.field.kind === 'repro') out.add(e.field.name);
    } else if (e.kind === 'not') visit(e.expr);
    else {
      visit(e.left);
      visit(e.right);
    }
  };
  if (expr) visit(expr);
  if (sort?.kind === 'repro') out.add(sort.name);
  return [...out];
}

/** Metric names a query or sort key reads (so only those summaries are loaded). */
export function metricNames(expr: QueryExpr | null, sort?: FieldRef | null): string[] {
  const out = new Set<string>();
  const visit = (e: QueryExpr): void => {
    if (e.kind === 'cmp') {
      if (e.field.kind === 'best' || e.field.kind === 'final') out.add(e.field.metric);
    } else if (e.kind === 'not') visit(e.expr);
    else {
      visit(e.left);
      visit(e.right);
    }
  };
  if (expr) visit(expr);
  if (sort && (sort.kind === 'best' || sort.kind === 'final')) out.add(sort.metric);
  return [...out];
}
