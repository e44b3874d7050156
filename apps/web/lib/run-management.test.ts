import { describe, expect, it } from 'vitest';
import { parseRunFilter, toGraphQLFilter } from './run-filters';
import { addTag, canWriteRole, moveTargets, RUN_EDIT_LIMITS } from './run-management';

describe('run management helpers', () => {
  it('adds a trimmed tag, ignores empty and duplicate ones, refuses past the limits', () => {
    expect(addTag(['a'], '  b ')).toEqual(['a', 'b']);
    expect(addTag(['a'], '   ')).toBeNull();
    expect(addTag(['a'], 'a')).toBeNull();
    expect(() => addTag([], 'x'.repeat(RUN_EDIT_LIMITS.tag + 1))).toThrow(
      /at most 64 characters \(this one has 65\)/,
    );
    const full = Array.from({ length: RUN_EDIT_LIMITS.tags }, (_, i) => `t${i}`);
    expect(() => addTag(full, 'one-more')).toThrow(/at most 50 tags/);
    expect(addTag(full.slice(1), 'last')).toHaveLength(50);
  });

  it('offers as move targets only the other projects the caller may write, sorted', () => {
    const projects = [
      { name: 'zeta', myRole: 'OWNER' as const },
      { name: 'here', myRole: 'EDITOR' as const },
      { name: 'read-only', myRole: 'VIEWER' as const },
      { name: 'alpha', myRole: 'EDITOR' as const },
      { name: 'unknown', myRole: null },
    ];
    expect(moveTargets(projects, 'here')).toEqual(['alpha', 'zeta']);
    expect(canWriteRole('VIEWER')).toBe(false);
    expect(canWriteRole(undefined)).toBe(false);
  });

  it('reads ?archived= into the runs filter (hidden by default)', () => {
    expect(toGraphQLFilter(parseRunFilter({}))).toBeUndefined();
    expect(parseRunFilter({ archived: 'bogus' })).not.toHaveProperty('archived');
    expect(toGraphQLFilter(parseRunFilter({ archived: 'all' }))).toEqual({ archived: 'ALL' });
    expect(toGraphQLFilter(parseRunFilter({ archived: 'only', project: 'p' }))).toEqual({
      projects: ['p'],
      archived: 'ARCHIVED',
    });
  });
});
