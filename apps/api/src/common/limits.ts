// Size and character limits of everything the API stores or passes to the database, in one
// place. Services call the helpers at the bottom (`limits.name(...)`, `limits.json(...)`, ...);
// each refuses bad input with BAD_USER_INPUT whose message names the field, the limit and what
// was found (extensions: field, limit, found). Built on zod schemas so a rule is declared once.
import { z } from 'zod';
import { badInput } from './errors';

const KiB = 1024;
const MiB = 1024 * KiB;

/** Every limit the API enforces (see apps/api/README.md, "Limits"). */
export const LIMITS = {
  /** Characters (UTF-16 code units) of names. */
  projectName: 200,
  runName: 200,
  metricName: 200,
  artifactName: 255,
  artifactKind: 100,
  tag: 100,
  className: 200,
  splitName: 100,
  workerId: 200,
  backend: 200,
  clientRequestId: 200,
  /** Ids (cuid) and other opaque keys taken as arguments. */
  id: 100,
  /** Tags per run. */
  tags: 100,
  /** Bytes (UTF-8) of free text. */
  notesBytes: 64 * KiB,
  descriptionBytes: 64 * KiB,
  errorBytes: 64 * KiB,
  backendReasonBytes: 16 * KiB,
  /** Serialised bytes and nesting depth of JSON fields. */
  hyperparameters: { bytes: 64 * KiB, depth: 32 },
  modelSummary: { bytes: 2 * MiB, depth: 32 },
  datasetInfo: { bytes: 256 * KiB, depth: 32 },
  artifactMetadata: { bytes: 64 * KiB, depth: 32 },
  explanationResult: { bytes: 48 * MiB, depth: 32 },
  /** Deepest JSON the JSON scalar accepts at all (before any field's own, lower limit). */
  jsonScalarDepth: 64,
  /** List arguments. */
  runFilterIds: 500,
  runFilterProjects: 100,
  runFilterStatuses: 10,
  metricNamesArg: 200,
  comparedRuns: 50,
  /** Points per logMetrics batch, and distinct metric names in one batch (SQLite binds a few per name). */
  metricPoints: 200_000,
  metricNamesPerBatch: 500,
  /**
   * Rows a run may hold (Run.evaluations, Run.uncertainties and the per-name lists Run.metricNames,
   * Run.summary, Run.metrics are plain lists: bounded by these, not paged).
   */
  evaluationsPerRun: 1000,
  uncertaintiesPerRun: 1000,
  metricNamesPerRun: 1000,
} as const;

/** The per-run row limits; the server takes lower ones as an option (tests). */
export interface RunLimits {
  evaluations: number;
  uncertainties: number;
  metricNames: number;
}

/** The per-run limits of {@link LIMITS}, with `overrides` (each a positive integer) applied. */
export function resolveRunLimits(overrides: Partial<RunLimits> = {}): RunLimits {
  const resolved: RunLimits = {
    evaluations: overrides.evaluations ?? LIMITS.evaluationsPerRun,
    uncertainties: overrides.uncertainties ?? LIMITS.uncertaintiesPerRun,
    metricNames: overrides.metricNames ?? LIMITS.metricNamesPerRun,
  };
  for (const [k, v] of Object.entries(resolved))
    if (!Number.isInteger(v) || v < 1) throw new Error(`runLimits.${k} must be an integer >= 1`);
  return resolved;
}

/**
 * BAD_USER_INPUT for a write that would make run `runId` hold more than `max` rows of a kind
 * (`field`: the Run field that lists them; `what`: the rows in words, plural).
 */
export function runFull(
  runId: string,
  field: string,
  what: string,
  max: number,
  found: number,
): ReturnType<typeof badInput> {
  const err = badInput(
    `Run ${runId} would hold ${found.toLocaleString('en-US')} ${what}; the limit is ${max.toLocaleString('en-US')} per run (Run.${field})`,
    { field, limit: max, found },
  );
  runFullErrors.add(err);
  return err;
}

const runFullErrors = new WeakSet<object>();

/** True for an error of {@link runFull} (an idempotent retry then looks for the stored row). */
export function isRunFull(err: unknown): boolean {
  return typeof err === 'object' && err !== null && runFullErrors.has(err);
}

/** A JSON field's limits. */
export interface JsonLimit {
  bytes: number;
  depth: number;
}

// ---------------------------------------------------------------------------------------------
// Character classes

/** Why a character may not appear in a name, or null when it may. */
function nameCharProblem(code: number): string | null {
  if (code === 0) return 'a NUL byte';
  if (code < 0x20 || code === 0x7f) return 'a control character';
  if (code >= 0x80 && code <= 0x9f) return 'a C1 control character';
  if (code === 0x202e) return 'a right-to-left override';
  if ((code >= 0x202a && code <= 0x202d) || (code >= 0x2066 && code <= 0x2069))
    return 'a bidirectional embedding, override or isolate';
  if (code === 0x200e || code === 0x200f || code === 0x061c) return 'a bidirectional mark';
  if ((code >= 0x200b && code <= 0x200d) || code === 0x2060 || code === 0xfeff)
    return 'a zero-width character';
  if (code === 0x2028 || code === 0x2029) return 'a line or paragraph separator';
  if ((code >= 0x2061 && code <= 0x2064) || (code >= 0x206a && code <= 0x206f))
    return 'an invisible formatting character';
  return null;
}

/** "U+202E" for a code point. */
export function codePointLabel(code: number): string {
  return `U+${code.toString(16).toUpperCase().padStart(4, '0')}`;
}

/**
 * The first character a name may not contain: NUL and other C0/C1 controls, bidirectional
 * controls (U+202A-U+202E, U+2066-U+2069, U+200E, U+200F, U+061C), zero-width and invisible
 * characters (U+200B-U+200D, U+2060, U+FEFF, U+2061-U+2064, U+206A-U+206F), line/paragraph
 * separators and unpaired UTF-16 surrogates (they cannot be stored as UTF-8).
 */
export function forbiddenNameChar(
  s: string,
): { index: number; codePoint: string; what: string } | null {
  for (let i = 0; i < s.length; i++) {
    const code = s.charCodeAt(i);
    if (code >= 0xd800 && code <= 0xdfff) {
      const next = s.charCodeAt(i + 1);
      if (code <= 0xdbff && next >= 0xdc00 && next <= 0xdfff) {
        i += 1; // a valid pair (e.g. an emoji)
        continue;
      }
      return { index: i, codePoint: codePointLabel(code), what: 'an unpaired surrogate' };
    }
    const what = nameCharProblem(code);
    if (what) return { index: i, codePoint: codePointLabel(code), what };
  }
  return null;
}

// ---------------------------------------------------------------------------------------------
// JSON measurements (iterative: a 100,000-deep value must not overflow the stack here)

/**
 * The nesting depth of a JSON value (a scalar is 0, `{}` and `[]` are 1), counted without
 * recursion; stops early and returns a value > `stopAbove` once that is exceeded.
 */
export function jsonDepth(value: unknown, stopAbove = Number.POSITIVE_INFINITY): number {
  let max = 0;
  const stack: [unknown, number][] = [[value, 0]];
  while (stack.length > 0) {
    const [v, d] = stack.pop()!;
    if (typeof v !== 'object' || v === null) continue;
    const depth = d + 1;
    if (depth > max) {
      max = depth;
      if (max > stopAbove) return max;
    }
    const children = Array.isArray(v) ? v : Object.values(v as Record<string, unknown>);
    for (const child of children)
      if (typeof child === 'object' && child !== null) stack.push([child, depth]);
  }
  return max;
}

/** The type of a value in words, for messages. */
function typeWord(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  return typeof v === 'object' ? 'an object' : `a ${typeof v}`;
}

const fmt = (n: number) => n.toLocaleString('en-US');

// ---------------------------------------------------------------------------------------------
// zod schemas (exported so tests and other modules can compose them)

type Issue = { message: string; params: { limit?: number | string; found?: number | string } };

function issue(ctx: z.RefinementCtx, input: unknown, i: Issue): void {
  ctx.addIssue({ code: 'custom', message: i.message, params: i.params, input });
}

/**
 * A name: a string of 1-`max` characters after trimming, without control, bidirectional or
 * invisible characters. Parses to the trimmed string.
 */
export function nameSchema(field: string, max: number) {
  return z
    .string({ error: `${field} must be a string` })
    .superRefine((s, ctx) => {
      // Before trimming: trim() would silently drop a leading U+FEFF or a trailing newline.
      const bad = forbiddenNameChar(s);
      if (bad)
        issue(ctx, s, {
          message:
            `${field} contains ${bad.what} (${bad.codePoint}) at character ${bad.index + 1}; ` +
            'names may not contain control, bidirectional-control or invisible characters',
          params: { found: bad.codePoint },
        });
    })
    .transform((s) => s.trim())
    .superRefine((s, ctx) => {
      if (s.length === 0)
        return issue(ctx, s, {
          message: `${field} must not be empty`,
          params: { limit: max, found: 0 },
        });
      if (s.length > max)
        return issue(ctx, s, {
          message: `${field} is ${fmt(s.length)} characters long; the limit is ${fmt(max)}`,
          params: { limit: max, found: s.length },
        });
    });
}

/** Free text: at most `maxBytes` UTF-8 bytes, no NUL. Kept as sent (not trimmed). */
export function textSchema(field: string, maxBytes: number) {
  return z.string({ error: `${field} must be a string` }).superRefine((s, ctx) => {
    const nul = s.indexOf('\u0000');
    if (nul >= 0)
      return issue(ctx, s, {
        message: `${field} contains a NUL byte (U+0000) at character ${nul + 1}; text may not contain NUL`,
        params: { found: 'U+0000' },
      });
    // Cheap bound first: UTF-8 needs at most 3 bytes per UTF-16 code unit.
    if (s.length * 3 > maxBytes) {
      const bytes = Buffer.byteLength(s, 'utf8');
      if (bytes > maxBytes)
        issue(ctx, s, {
          message: `${field} is ${fmt(bytes)} bytes; the limit is ${fmt(maxBytes)} bytes`,
          params: { limit: maxBytes, found: bytes },
        });
    }
  });
}

/**
 * A JSON value at most `limit.depth` levels deep and `limit.bytes` bytes once serialised
 * (depth is checked first, without recursion, so serialising is safe). With `object`, only a
 * JSON object is accepted. Parses to the serialised text.
 */
export function jsonSchema(field: string, limit: JsonLimit, object = false) {
  return z.unknown().transform((v, ctx) => {
    if (object && (typeof v !== 'object' || v === null || Array.isArray(v))) {
      issue(ctx, v, {
        message: `${field} must be a JSON object, got ${typeWord(v)}`,
        params: { found: typeWord(v) },
      });
      return z.NEVER;
    }
    const depth = jsonDepth(v, limit.depth);
    if (depth > limit.depth) {
      issue(ctx, v, {
        message: `${field} is nested more than ${limit.depth} levels deep (found at least ${fmt(depth)}); the limit is ${limit.depth}`,
        params: { limit: limit.depth, found: depth },
      });
      return z.NEVER;
    }
    let text: string | undefined;
    try {
      text = JSON.stringify(v);
    } catch {
      text = undefined;
    }
    if (text === undefined) {
      issue(ctx, v, {
        message: `${field} is not serialisable JSON`,
        params: { found: typeWord(v) },
      });
      return z.NEVER;
    }
    const bytes = Buffer.byteLength(text, 'utf8');
    if (bytes > limit.bytes) {
      issue(ctx, v, {
        message: `${field} is ${fmt(bytes)} bytes of JSON; the limit is ${fmt(limit.bytes)} bytes`,
        params: { limit: limit.bytes, found: bytes },
      });
      return z.NEVER;
    }
    return text;
  });
}

/** A list of at most `max` items (its length is checked before any item). */
export function listLengthSchema(field: string, max: number) {
  return z.array(z.unknown(), { error: `${field} must be a list` }).superRefine((list, ctx) => {
    if (list.length > max)
      issue(ctx, list, {
        message: `${field} has ${fmt(list.length)} items; the limit is ${fmt(max)}`,
        params: { limit: max, found: list.length },
      });
  });
}

/** An opaque id or key argument: 1-`max` characters without control or invisible characters. */
export function idSchema(field: string, max: number = LIMITS.id) {
  return z.string({ error: `${field} must be a string` }).superRefine((s, ctx) => {
    if (s.length === 0 || s.length > max)
      return issue(ctx, s, {
        message: `${field} must be 1-${max} characters, got ${fmt(s.length)}`,
        params: { limit: max, found: s.length },
      });
    const bad = forbiddenNameChar(s);
    if (bad)
      issue(ctx, s, {
        message: `${field} contains ${bad.what} (${bad.codePoint}) at character ${bad.index + 1}`,
        params: { found: bad.codePoint },
      });
  });
}

/**
 * Parses `value` with `schema`, or throws BAD_USER_INPUT with the first problem: the message
 * names the field (with the list index, if any), and extensions carry `field`, `limit`, `found`.
 */
export function check<T>(schema: z.ZodType<T>, value: unknown, field: string): T {
  const r = schema.safeParse(value);
  if (r.success) return r.data;
  const first = r.error.issues[0];
  // A failed parse has at least one issue; without one there is nothing to name.
  if (!first) throw badInput(`${field} is invalid`, { field });
  const params = (first as { params?: Issue['params'] }).params ?? {};
  const index = first.path.find((p) => typeof p === 'number');
  throw badInput(first.message, {
    field,
    ...(index !== undefined ? { index } : {}),
    ...(params.limit !== undefined ? { limit: params.limit } : {}),
    ...(params.found !== undefined ? { found: params.found } : {}),
  });
}

// ---------------------------------------------------------------------------------------------
// What services call

/** The limit checks services use (each throws BAD_USER_INPUT naming the field). */
export const limits = {
  /** A required name, trimmed (see {@link nameSchema}). */
  name(value: unknown, field: string, max: number): string {
    return check(nameSchema(field, max), value, field);
  },

  /** {@link limits.name} for an optional value (null/undefined stay null). */
  optionalName(value: unknown, field: string, max: number): string | null {
    return value === null || value === undefined ? null : limits.name(value, field, max);
  },

  /** Optional free text (see {@link textSchema}); null/undefined stay null. */
  text(value: string | null | undefined, field: string, maxBytes: number): string | null {
    return value === null || value === undefined
      ? null
      : check(textSchema(field, maxBytes), value, field);
  },

  /** A JSON value's serialised text (see {@link jsonSchema}); null/undefined stay null. */
  json(value: unknown, field: string, limit: JsonLimit, object = false): string | null {
    return value === null || value === undefined
      ? null
      : check(jsonSchema(field, limit, object), value, field);
  },

  /** Checks that a list has at most `max` items. */
  list<T>(values: readonly T[], field: string, max: number): readonly T[] {
    check(listLengthSchema(field, max), values, field);
    return values;
  },

  /** A list of names: its length first, then every item (errors name `field[i]`). */
  names(values: readonly unknown[], field: string, maxItems: number, maxChars: number): string[] {
    limits.list(values, field, maxItems);
    return values.map((v, i) => check(nameSchema(`${field}[${i}]`, maxChars), v, field));
  },

  /** Run tags: at most {@link LIMITS.tags} names of at most {@link LIMITS.tag} characters, deduplicated. */
  tags(tags: readonly unknown[] | null | undefined): string[] {
    if (!tags) return [];
    return [...new Set(limits.names(tags, 'tags', LIMITS.tags, LIMITS.tag))];
  },

  /** An id or opaque key argument (see {@link idSchema}). */
  id(value: unknown, field: string, max: number = LIMITS.id): string {
    return check(idSchema(field, max), value, field);
  },

  /** A list of ids: its length first, then every id. */
  ids(values: readonly unknown[], field: string, maxItems: number): string[] {
    limits.list(values, field, maxItems);
    return values.map((v, i) => check(idSchema(`${field}[${i}]`), v, field));
  },
};
