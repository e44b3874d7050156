import { afterEach, describe, expect, it, vi } from 'vitest';
import { numberFlag, parseCli, requiredFlag, UsageError } from './cli-args';

const USAGE = 'Usage: tool --run ID [--steps N]';
const OPTIONS = {
  run: { type: 'string' },
  steps: { type: 'string' },
  once: { type: 'boolean' },
} as const;

function capture() {
  const out = vi.spyOn(console, 'log').mockImplementation(() => undefined);
  const err = vi.spyOn(console, 'error').mockImplementation(() => undefined);
  return {
    stdout: () => out.mock.calls.map((c) => String(c[0])).join('\n'),
    stderr: () => err.mock.calls.map((c) => String(c[0])).join('\n'),
  };
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe('parseCli', () => {
  it('returns typed values and positionals', () => {
    const r = parseCli({
      usage: USAGE,
      options: OPTIONS,
      maxPositionals: 1,
      argv: ['go', '--run', 'r1', '--once'],
    });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.args.values).toEqual({ run: 'r1', once: true });
    expect(r.args.positionals).toEqual(['go']);
  });

  it('prints the usage on stdout for --help and -h, exit code 0', () => {
    for (const flag of ['--help', '-h']) {
      const io = capture();
      expect(parseCli({ usage: USAGE, options: OPTIONS, argv: [flag] })).toEqual({
        ok: false,
        exitCode: 0,
      });
      expect(io.stdout()).toBe(USAGE);
      expect(io.stderr()).toBe('');
      vi.restoreAllMocks();
    }
  });

  it('names an unknown flag, prints the usage on stderr, exit code 2', () => {
    const io = capture();
    expect(
      parseCli({ usage: USAGE, options: OPTIONS, argv: ['--run', 'r', '--stpes', '3'] }),
    ).toEqual({
      ok: false,
      exitCode: 2,
    });
    expect(io.stderr()).toMatch(/^error: .*'--stpes'/);
    expect(io.stderr()).toContain(USAGE);
    expect(io.stdout()).toBe('');
  });

  it('rejects a missing value and a stray argument, exit code 2', () => {
    const io = capture();
    expect(parseCli({ usage: USAGE, options: OPTIONS, argv: ['--run'] })).toMatchObject({
      exitCode: 2,
    });
    expect(io.stderr()).toMatch(/--run/);
    expect(parseCli({ usage: USAGE, options: OPTIONS, argv: ['extra'] })).toMatchObject({
      exitCode: 2,
    });
    expect(io.stderr()).toMatch(/unexpected argument "extra"/);
  });
});

describe('flag values', () => {
  it('parses numbers in range and names the flag otherwise', () => {
    expect(numberFlag(undefined, '--epochs')).toBeUndefined();
    expect(numberFlag('3', '--epochs', { min: 0 })).toBe(3);
    expect(numberFlag('0.5', '--lr', { integer: false, min: 0 })).toBe(0.5);
    expect(() => numberFlag('2.5', '--epochs')).toThrow('--epochs expects an integer, got "2.5"');
    expect(() => numberFlag('-1', '--epochs', { min: 0 })).toThrow(
      '--epochs expects an integer >= 0, got "-1"',
    );
    expect(() => numberFlag('', '--seed')).toThrow(UsageError);
    expect(() => requiredFlag(undefined, '--run')).toThrow('--run is required');
    expect(requiredFlag('x', '--run')).toBe('x');
  });
});
