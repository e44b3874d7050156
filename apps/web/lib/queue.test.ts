import { describe, expect, it } from 'vitest';
import { formatAgo, formatConfigText, formatMemoryMb, parseConfigText } from './queue';

describe('queue helpers', () => {
  it('parses the config box as YAML or JSON, nothing when empty', () => {
    expect(parseConfigText('  \n')).toBeUndefined();
    expect(parseConfigText('training:\n  seed: 7\n')).toEqual({ training: { seed: 7 } });
    expect(parseConfigText('{"preset": "vnn"}')).toEqual({ preset: 'vnn' });
    expect(() => parseConfigText('training:\n  seed: [1, 2\n')).toThrow(
      /^Config: not valid YAML or JSON \(line \d+, column \d+\): /,
    );
  });

  it('writes the rest of a config back as YAML that parses to the same', () => {
    expect(formatConfigText({})).toBe('');
    const rest = { training: { seed: 3, augmentation: { zoomRange: [0.9, 1.1] } } };
    expect(parseConfigText(formatConfigText(rest))).toEqual(rest);
  });

  it('says how long ago and how much memory in people’s units', () => {
    const now = Date.parse('2026-12-07T12:00:00Z');
    expect(formatAgo('2026-12-07T11:59:48Z', now)).toBe('12 s ago');
    expect(formatAgo('2026-12-07T11:55:00Z', now)).toBe('5 min ago');
    expect(formatAgo('2026-12-07T09:00:00Z', now)).toBe('3 h ago');
    expect(formatAgo('2026-12-05T12:00:00Z', now)).toBe('2 d ago');
    // A clock slightly ahead of ours is "0 s ago", not negative.
    expect(formatAgo('2026-12-07T12:00:02Z', now)).toBe('0 s ago');
    expect(formatMemoryMb(512)).toBe('512 MB');
    expect(formatMemoryMb(1536)).toBe('1.5 GB');
    expect(formatMemoryMb(32768)).toBe('32 GB');
  });
});
