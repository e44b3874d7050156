/**
 * The argument handling every CLI of the lib shares, on `node:util` parseArgs: `-h/--help` prints
 * the usage and exits 0; an unknown flag, a missing value or a bad number prints `error: ...`
 * (naming the flag) and the usage, and exits 2. Exit code 1 stays for failures of the work.
 */
import { parseArgs, type ParseArgsConfig } from 'node:util';

/** Bad usage: the message names the flag; the CLI prints it with its usage and exits 2. */
export class UsageError extends Error {
  override name = 'UsageError';
}

/** The options a CLI declares (parseArgs's), `help`/`-h` being added by {@link parseCli}. */
export type CliOptions = NonNullable<ParseArgsConfig['options']>;

const HELP = { help: { type: 'boolean', short: 'h' } } as const;

type Config<O extends CliOptions> = {
  options: O & typeof HELP;
  allowPositionals: true;
  strict: true;
};

/** The parsed flags and positionals of a CLI (typed from its option declarations). */
export type CliArgs<O extends CliOptions> = ReturnType<typeof parseArgs<Config<O>>>;

/** What a CLI declares to {@link parseCli}. */
export interface CliSpec<O extends CliOptions> {
  /** The text `--help` prints, also shown after a usage error. */
  usage: string;
  /** Its flags (without help). */
  options: O;
  /** How many positional arguments it takes at most (default 0: a stray word is an error). */
  maxPositionals?: number;
  /** The arguments (default `process.argv.slice(2)`). */
  argv?: string[];
}

/** Either the parsed arguments, or the exit code when the CLI must stop (help: 0, bad usage: 2). */
export type CliParse<O extends CliOptions> =
  { ok: true; args: CliArgs<O> } | { ok: false; exitCode: 0 | 2 };

/** Prints a usage error the way every CLI does, and gives exit code 2. */
export function usageFailure(usage: string, message: string): 2 {
  console.error(`error: ${message}\n\n${usage}`);
  return 2;
}

/**
 * Parses a CLI's arguments: prints the usage for `--help`, and for an unknown flag (parseArgs
 * names it), a flag without its value or an extra positional prints the error and the usage.
 */
export function parseCli<O extends CliOptions>(spec: CliSpec<O>): CliParse<O> {
  // Parsed with the general config type: the precise result type of `O` is known only to the
  // caller, which receives it below (same object, the values parseArgs built from `O`).
  const config: ParseArgsConfig = {
    args: spec.argv ?? process.argv.slice(2),
    options: { ...spec.options, ...HELP },
    allowPositionals: true,
    strict: true,
  };
  let parsed: ReturnType<typeof parseArgs<ParseArgsConfig>>;
  try {
    parsed = parseArgs(config);
    const extra = parsed.positionals[spec.maxPositionals ?? 0];
    if (extra !== undefined) throw new UsageError(`unexpected argument "${extra}"`);
  } catch (err) {
    return { ok: false, exitCode: usageFailure(spec.usage, (err as Error).message) };
  }
  if (parsed.values.help === true) {
    console.log(spec.usage);
    return { ok: false, exitCode: 0 };
  }
  return { ok: true, args: parsed as CliArgs<O> };
}

/** Bounds of a numeric flag. */
export interface NumberFlagOptions {
  /** Whole numbers only (default true). */
  integer?: boolean;
  /** Smallest value allowed (default none). */
  min?: number;
}

/**
 * A numeric flag's value, undefined when absent; a value that is not a number in range throws a
 * {@link UsageError} naming the flag (`--epochs expects an integer >= 0, got "x"`).
 */
export function numberFlag(
  value: string | undefined,
  flag: string,
  options: NumberFlagOptions = {},
): number | undefined {
  if (value === undefined) return undefined;
  const { integer = true, min } = options;
  const n = Number(value);
  if (
    value.trim() === '' ||
    !Number.isFinite(n) ||
    (integer && !Number.isInteger(n)) ||
    (min !== undefined && n < min)
  ) {
    const what = `${integer ? 'an integer' : 'a number'}${min === undefined ? '' : ` >= ${min}`}`;
    throw new UsageError(`${flag} expects ${what}, got "${value}"`);
  }
  return n;
}

/** A flag the command needs: its value, or a {@link UsageError} naming it. */
export function requiredFlag(value: string | undefined, flag: string): string {
  if (value === undefined || value === '') throw new UsageError(`${flag} is required`);
  return value;
}

/** The API origin: `--api`, else `$API_URL`, else the local default. */
export function apiUrlFlag(value: string | undefined): string {
  return value ?? process.env.API_URL ?? 'http://localhost:4000';
}
