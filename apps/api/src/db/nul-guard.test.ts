import { describe, expect, it } from 'vitest';
import { findNul } from './nul-guard';

describe('findNul', () => {
  it('finds the first string holding U+0000 in query arguments, by path', () => {
    expect(findNul({ where: { id: 'ok', name: { in: ['a', 'b\u0000'] } } })).toBe(
      'args.where.name.in[1]',
    );
    expect(findNul(['SELECT 1', 'x', 'y\u0000z'], 'params')).toBe('params[2]');
    expect(findNul({ data: { when: new Date(0), bytes: Buffer.from([0]), n: 0 } })).toBeNull();
    expect(findNul({ where: { id: 'a\u0001b' } })).toBeNull();
  });
});
