import { describe, expect, it } from 'vitest';
import {
  MAX_QUERY_CONDITIONS,
  MAX_QUERY_DEPTH,
  MAX_QUERY_LENGTH,
  MAX_QUERY_METRICS,
  parseQuery,
  parseSortKey,
  QuerySyntaxError,
  tokenize,
  type QueryExpr,
} from './parser';

/** A compact, fully parenthesised rendering of the tree (shows precedence). */
function show(e: QueryExpr): string {
  switch (e.kind) {
    case 'and':
    case 'or':
      return `(${show(e.left)} ${e.kind.toUpperCase()} ${show(e.right)})`;
    case 'not':
      return `NOT ${show(e.expr)}`;
    case 'cmp': {
      const f =
        e.field.kind === 'attr'
          ? e.field.name
          : e.field.kind === 'hp' || e.field.kind === 'repro'
            ? `${e.field.kind}.${e.field.name}`
            : `${e.field.kind}.${e.field.metric}`;
      return `${f}${e.op}${JSON.stringify(e.value.value)}`;
    }
  }
}

function syntaxError(query: string): QuerySyntaxError {
  try {
    parseQuery(query);
  } catch (err) {
    if (err instanceof QuerySyntaxError) return err;
    throw err;
  }
  throw new Error(`expected a syntax error for ${query}`);
}

describe('runs query parser', () => {
  it('parses the example query', () => {
    expect(
      show(parseQuery('hp.lr < 0.01 and (best.val_accuracy >= 0.9 or tag = "baseline")')),
    ).toBe('(hp.lr<0.01 AND (best.val_accuracy>=0.9 OR tag="baseline"))');
  });

  it('gives NOT precedence over AND, and AND over OR', () => {
    expect(show(parseQuery('tag = "a" or tag = "b" and tag = "c"'))).toBe(
      '(tag="a" OR (tag="b" AND tag="c"))',
    );
    expect(show(parseQuery('tag = "a" and tag = "b" or tag = "c"'))).toBe(
      '((tag="a" AND tag="b") OR tag="c")',
    );
    expect(show(parseQuery('not tag = "a" and tag = "b"'))).toBe('(NOT tag="a" AND tag="b")');
    expect(show(parseQuery('NOT (tag = "a" OR tag = "b")'))).toBe('NOT (tag="a" OR tag="b")');
    expect(show(parseQuery('!tag = "a" || tag = "b" && !!tag = "c"'))).toBe(
      '(NOT tag="a" OR (tag="b" AND NOT NOT tag="c"))',
    );
  });

  it('is left-associative and accepts keywords in any case', () => {
    expect(show(parseQuery('tag="a" AnD tag="b" aND tag="c"'))).toBe(
      '((tag="a" AND tag="b") AND tag="c")',
    );
    expect(show(parseQuery('tag="a" Or tag="b" OR tag="c"'))).toBe(
      '((tag="a" OR tag="b") OR tag="c")',
    );
  });

  it('reads every operator, literal kind and field', () => {
    expect(
      show(
        parseQuery(
          'hp.a = 1 and hp.b == 2 and hp.c != 3 and hp.d <= -4.5e-3 and hp.e > .5 and hp.f >= 1e3',
        ),
      ),
    ).toBe('(((((hp.a=1 AND hp.b=2) AND hp.c!=3) AND hp.d<=-0.0045) AND hp.e>0.5) AND hp.f>=1000)');
    expect(
      show(parseQuery('hp.augment = true and hp.dropout = false and hp.optimizer ~ "ad"')),
    ).toBe('((hp.augment=true AND hp.dropout=false) AND hp.optimizer~"ad")');
    expect(
      show(parseQuery('status = "COMPLETED" and project = "p" and name ~ "cnn" and duration < 60')),
    ).toBe('(((status="COMPLETED" AND project="p") AND name~"cnn") AND duration<60)');
    expect(
      show(
        parseQuery(
          'created >= "2026-11-01" and started < "2026-11-02T10:00:00Z" and ended <= "2026-12-01"',
        ),
      ),
    ).toBe('((created>="2026-11-01" AND started<"2026-11-02T10:00:00Z") AND ended<="2026-12-01")');
    expect(
      show(
        parseQuery('final.loss < 0.3 and best."val/acc.top5" > 0.1 and hp.optimizer.name = "adam"'),
      ),
    ).toBe('((final.loss<0.3 AND best.val/acc.top5>0.1) AND hp.optimizer.name="adam")');
    expect(show(parseQuery('name = "say \\"hi\\"\\n\\u0041"'))).toBe('name="say \\"hi\\"\\nA"');
  });

  it('tokenizes with offsets', () => {
    expect(tokenize('hp.lr<=1').map((t) => [t.kind, t.offset])).toEqual([
      ['field', 0],
      ['op', 5],
      ['number', 7],
      ['eof', 8],
    ]);
  });

  it('reports where and why', () => {
    const e = syntaxError('hp.lr <');
    expect(e.message.split('\n')[0]).toBe('expected a value after "<" at 1:8');
    expect(e.position).toEqual({ offset: 7, line: 1, column: 8 });
    expect(e.excerpt).toBe('  hp.lr <\n         ^');

    const cases: [string, string, number][] = [
      ['', 'the query is empty', 0],
      ['hp.lr < 0.01 and', 'expected a condition after "and", got the end of the query', 16],
      ['(tag = "x"', 'expected ")" to close "(" at 1:1, got the end of the query', 10],
      ['tag = "x")', 'unbalanced ")"', 9],
      ['tag = "x" tag = "y"', 'expected AND, OR or the end of the query, got "tag"', 10],
      ['hp.x = "abc', 'unterminated string (missing closing ")', 7],
      [
        'hp.lr 0.1',
        'expected a comparison operator (=, !=, <, <=, >, >=, ~) after "hp.lr", got "0.1"',
        6,
      ],
      ['hp.lr < 0.1 and # 1', 'unexpected character "#"', 16],
      ['hp.x = adam', 'expected a value after "=" (strings need double quotes: "adam")', 7],
      ['() or tag = "a"', 'expected a condition inside "( )"', 1],
      ['and tag = "a"', 'expected a field such as hp.lr, best.val_accuracy or tag, got "and"', 0],
      ['hp.lr < 1x', 'unexpected "x" in number "1"', 9],
    ];
    for (const [query, reason, offset] of cases) {
      const err = syntaxError(query);
      expect({ query, reason: err.reason, offset: err.position.offset }).toEqual({
        query,
        reason,
        offset,
      });
    }
  });

  it('counts lines and columns across newlines', () => {
    const e = syntaxError('tag = "a"\n  and hp.lr <\n');
    expect(e.position).toMatchObject({ line: 2, column: 14, offset: 23 });
    expect(e.excerpt).toBe('    and hp.lr <\n               ^');
  });

  it('rejects unknown fields and mistyped comparisons', () => {
    expect(syntaxError('accuracy > 0.9').reason).toMatch(/^unknown field "accuracy"/);
    expect(syntaxError('hp > 1').reason).toMatch(/expected a hyperparameter name after "hp\."/);
    expect(syntaxError('best > 1').reason).toMatch(/expected a metric name after "best\."/);
    expect(syntaxError('tags = "a"').reason).toMatch(/^unknown field "tags"/);
    expect(syntaxError('tag < "a"').reason).toBe('tag supports only =, != and ~, not "<"');
    expect(syntaxError('best.acc > "high"').reason).toBe(
      'expected a number to compare with best.acc, got "high"',
    );
    expect(syntaxError('duration ~ "1"').reason).toBe(
      'operator "~" needs text, but duration is a number',
    );
    expect(syntaxError('created >= "yesterday"').reason).toMatch(/^expected an ISO date string/);
    expect(syntaxError('status = 3').reason).toBe(
      'expected a string to compare with status, got "3"',
    );
    expect(syntaxError('hp.x ~ 3').reason).toBe('operator "~" needs a string, got "3"');
  });

  it('refuses queries past its limits with the limit in the reason, without overflowing the stack', () => {
    // At the limit: accepted.
    const deepest = '('.repeat(MAX_QUERY_DEPTH) + 'tag = "a"' + ')'.repeat(MAX_QUERY_DEPTH);
    expect(parseQuery(deepest)).toMatchObject({ kind: 'cmp' });
    expect(parseQuery('not '.repeat(MAX_QUERY_DEPTH) + 'tag = "a"')).toMatchObject({ kind: 'not' });
    const cases: [string, RegExp, number][] = [
      // These overflowed the stack (an internal error) before the limits.
      ['('.repeat(2000) + 'tag = "a"' + ')'.repeat(2000), /more than 32 levels deep/, 32],
      ['!'.repeat(8000) + 'tag = "a"', /parentheses and NOT more than 32 levels/, 32],
      ['not '.repeat(MAX_QUERY_DEPTH + 1) + 'tag = "a"', /the limit is 32$/, 128],
      [
        Array.from({ length: MAX_QUERY_CONDITIONS + 1 }, () => 'tag="a"').join(' or '),
        /more than 256 comparisons; the limit is 256/,
        256 * 11,
      ],
      [
        Array.from({ length: MAX_QUERY_METRICS + 1 }, (_, i) => `best.m${i} > 0`).join(' and '),
        /more than 32 different metrics; the limit is 32/,
        // The first comparison past the limit: best.m32.
        Array.from({ length: MAX_QUERY_METRICS }, (_, i) => `best.m${i} > 0 and `).join('').length,
      ],
      ['tag = "a" or '.repeat(1000) + 'tag = "b"', /characters long; the limit is 10,000/, 10_000],
    ];
    for (const [query, reason, offset] of cases) {
      const err = syntaxError(query);
      expect(err.reason).toMatch(reason);
      expect(err.position.offset).toBe(offset);
      // The excerpt stays short whatever the length of the line.
      expect(err.excerpt.length).toBeLessThan(300);
    }
    // The same metric read many times counts once.
    expect(() =>
      parseQuery(Array.from({ length: 100 }, () => 'best.acc > 0').join(' or ')),
    ).not.toThrow();
    expect(() => parseSortKey('x'.repeat(MAX_QUERY_LENGTH + 1))).toThrow(/the limit is 10,000/);
    // Metric names reach SQL: a NUL (PostgreSQL cannot even compare it) or a bidi control is refused.
    expect(syntaxError('best."a\\u0000" > 1').reason).toMatch(/contains a NUL byte \(U\+0000\)/);
    expect(syntaxError('final."acc\u202e" > 1').reason).toMatch(/\(U\+202E\)/);
  });

  it('parses sort keys', () => {
    expect(parseSortKey('best.val_accuracy')).toEqual({ kind: 'best', metric: 'val_accuracy' });
    expect(parseSortKey('hp.learningRate')).toEqual({ kind: 'hp', name: 'learningRate' });
    expect(parseSortKey('created')).toEqual({ kind: 'attr', name: 'created' });
    expect(() => parseSortKey('best.a desc')).toThrow(QuerySyntaxError);
    expect(() => parseSortKey('nope')).toThrow(/unknown field "nope"/);
  });
});
