import { describe, expect, it } from 'vitest';
import { documentNesting } from './request-limits';

describe('documentNesting', () => {
  it('counts braces, brackets and parentheses', () => {
    expect(documentNesting('{ a }')).toBe(1);
    expect(documentNesting('query($x: [Int]) { a(b: { c: [1, [2]] }) { d } }')).toBe(5);
    expect(documentNesting(`{ x(v: ${'['.repeat(3000)}1${']'.repeat(3000)}) }`)).toBe(3002);
  });

  it('ignores brackets in strings, block strings and comments', () => {
    expect(documentNesting('{ a(s: "{{{[[[\\"{{") }')).toBe(2);
    expect(documentNesting('{ a(s: """ {{{ [[[ """) }')).toBe(2);
    expect(documentNesting('# {{{{{{\n{ a }')).toBe(1);
  });

  it('stops counting past the limit', () => {
    expect(documentNesting('{'.repeat(10_000), 128)).toBe(129);
  });
});
