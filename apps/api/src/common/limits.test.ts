import { GraphQLError, Kind, parseValue } from 'graphql';
import { describe, expect, it } from 'vitest';
import { JSONScalar, literalDepth } from './json-scalar';
import { forbiddenNameChar, jsonDepth, limits, LIMITS } from './limits';

/** The GraphQLError a call throws (fails the test when it does not throw one). */
function thrown(fn: () => unknown): GraphQLError {
  try {
    fn();
  } catch (err) {
    if (err instanceof GraphQLError) return err;
    throw err;
  }
  throw new Error('expected a GraphQLError');
}

const deep = (depth: number): unknown => {
  let v: unknown = 1;
  for (let i = 0; i < depth; i++) v = i % 2 ? [v] : { a: v };
  return v;
};

describe('limits', () => {
  it('refuses control, bidirectional and invisible characters in names, naming the code point', () => {
    const bad: [string, string][] = [
      ['a\u0000b', 'U+0000'],
      ['tab\there', 'U+0009'],
      ['del\u007f', 'U+007F'],
      ['c1\u0085', 'U+0085'],
      ['evil\u202Etxt.exe', 'U+202E'],
      ['iso\u2066late', 'U+2066'],
      ['mark\u200F', 'U+200F'],
      ['arabic\u061Cmark', 'U+061C'],
      ['zero\u200Bwidth', 'U+200B'],
      ['joiner\u200D', 'U+200D'],
      ['word\u2060joiner', 'U+2060'],
      ['\uFEFFbom', 'U+FEFF'],
      ['lone\uD800', 'U+D800'],
    ];
    for (const [name, code] of bad) {
      expect(forbiddenNameChar(name)?.codePoint).toBe(code);
      const e = thrown(() => limits.name(name, 'name', 200));
      expect(e.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'name', found: code });
      expect(e.message).toContain(`(${code})`);
      expect(e.message).toMatch(/^name contains /);
    }
    // Ordinary non-ASCII text, emoji (surrogate pairs) and right-to-left scripts are fine.
    for (const ok of ['Ünïcødé', 'モデル', 'حساب', 'run 🚀 1', 'T-shirt/top'])
      expect(limits.name(` ${ok} `, 'name', 200)).toBe(ok);
  });

  it('names the field, the limit and what was found', () => {
    const long = thrown(() => limits.name('x'.repeat(201), 'project', 200));
    expect(long.message).toBe('project is 201 characters long; the limit is 200');
    expect(long.extensions).toMatchObject({ field: 'project', limit: 200, found: 201 });
    expect(thrown(() => limits.name('   ', 'name', 200)).message).toBe('name must not be empty');
    const notes = thrown(() => limits.text('é'.repeat(40_000), 'notes', LIMITS.notesBytes));
    expect(notes.message).toBe('notes is 80,000 bytes; the limit is 65,536 bytes');
    expect(thrown(() => limits.text('ok\u0000', 'notes', 100)).message).toMatch(
      /^notes contains a NUL byte \(U\+0000\) at character 3/,
    );
    // Free text keeps newlines, tabs and bidirectional marks (only NUL is refused).
    expect(limits.text('a\n\tb \u202E', 'notes', 100)).toBe('a\n\tb \u202E');
    const tags = thrown(() => limits.tags(Array.from({ length: 101 }, (_, i) => `t${i}`)));
    expect(tags.message).toBe('tags has 101 items; the limit is 100');
    expect(thrown(() => limits.tags(['ok', 'x'.repeat(101)])).message).toBe(
      'tags[1] is 101 characters long; the limit is 100',
    );
    expect(limits.tags(['a', 'b', 'a'])).toEqual(['a', 'b']);
    expect(thrown(() => limits.ids(['ok', 'a\u0000'], 'ids', 10)).message).toMatch(
      /^ids\[1\] contains a NUL byte/,
    );
  });

  it('measures JSON depth without recursion and checks it before serialising', () => {
    expect(jsonDepth(1)).toBe(0);
    expect(jsonDepth({})).toBe(1);
    expect(jsonDepth({ a: [1, { b: [] }] })).toBe(4);
    expect(jsonDepth(deep(100_000))).toBe(100_000);
    expect(jsonDepth(deep(100_000), 32)).toBe(33);
    const e = thrown(() => limits.json(deep(5000), 'hyperparameters', LIMITS.hyperparameters));
    expect(e.message).toBe(
      'hyperparameters is nested more than 32 levels deep (found at least 33); the limit is 32',
    );
    expect(limits.json(deep(32), 'hyperparameters', LIMITS.hyperparameters)).toBe(
      JSON.stringify(deep(32)),
    );
    const big = thrown(() =>
      limits.json({ s: 'x'.repeat(70_000) }, 'hyperparameters', LIMITS.hyperparameters, true),
    );
    expect(big.message).toBe('hyperparameters is 70,008 bytes of JSON; the limit is 65,536 bytes');
    expect(big.extensions).toMatchObject({ limit: 65_536, found: 70_008 });
    expect(
      thrown(() => limits.json([1], 'hyperparameters', LIMITS.hyperparameters, true)).message,
    ).toBe('hyperparameters must be a JSON object, got an array');
  });
});

describe('JSON scalar', () => {
  it('refuses values nested deeper than 64 levels before anything recurses over them', () => {
    expect(JSONScalar.name).toBe('JSON');
    expect(JSONScalar.parseValue(deep(64))).toEqual(deep(64));
    const e = thrown(() => JSONScalar.parseValue(deep(100_000)));
    expect(e.message).toBe(
      'JSON value is nested more than 64 levels deep (found at least 65); the limit is 64',
    );
    expect(e.extensions.code).toBe('BAD_USER_INPUT');
  });

  it('checks literals the same way', () => {
    const text = (depth: number) => '{a: '.repeat(depth) + '1' + '}'.repeat(depth);
    expect(literalDepth(parseValue(text(3)))).toBe(3);
    expect(JSONScalar.parseLiteral(parseValue('{a: [1, "x", true, null]}'), {})).toEqual({
      a: [1, 'x', true, null],
    });
    const ast = parseValue(text(1500));
    expect(ast.kind).toBe(Kind.OBJECT);
    expect(() => JSONScalar.parseLiteral(ast, {})).toThrow(/the limit is 64/);
  });
});
