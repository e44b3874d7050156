// What a run records about how it was made (Run.reproducibility): the zod schema that checks a
// createRun input, its limits, and the fields the runs query language reads from it.
import { z } from 'zod';
import { badInput } from '../common/errors';
import { check, jsonSchema, nameSchema, textSchema } from '../common/limits';

const KiB = 1024;

/** Limits of Run.reproducibility (also stated in the schema's descriptions). */
export const REPRODUCIBILITY_LIMITS = {
  /** The whole record, serialised. */
  bytes: 512 * KiB,
  /** `git diff HEAD` text (the client truncates beyond this and says so). */
  diffBytes: 256 * KiB,
  /** The config file's text. */
  configTextBytes: 64 * KiB,
  /** The resolved config object, serialised, and its nesting. */
  resolvedConfig: { bytes: 64 * KiB, depth: 32 },
  /** Command-line arguments, and characters of each. */
  commandArgs: 256,
  commandArgChars: 4096,
  /** Paths (config file, dataset files, git root): characters. */
  pathChars: 1024,
  /** Dataset files listed by name (the fingerprint covers every file read). */
  datasetFiles: 200,
  /** Host, OS and version strings: characters. */
  shortText: 255,
} as const;

const L = REPRODUCIBILITY_LIMITS;

const sha256 = (field: string) =>
  z
    .string({ error: `${field} must be a string` })
    .regex(/^[0-9a-f]{64}$/, { error: `${field} must be 64 lowercase hexadecimal characters` });

const count = (field: string) =>
  z
    .number({ error: `${field} must be a number` })
    .int({ error: `${field} must be an integer` })
    .min(0, { error: `${field} must be >= 0` })
    .max(Number.MAX_SAFE_INTEGER, { error: `${field} is too large` });

const nullish = <T extends z.ZodType>(schema: T) => schema.nullish().transform((v) => v ?? null);

const resolvedConfigSchema = jsonSchema('reproducibility.resolvedConfig', L.resolvedConfig, true);

/** The zod schema of a reproducibility record as sent at createRun. */
export const reproducibilitySchema = z.object({
  configFile: nullish(
    z.object({
      path: nameSchema('reproducibility.configFile.path', L.pathChars),
      text: textSchema('reproducibility.configFile.text', L.configTextBytes),
      sha256: sha256('reproducibility.configFile.sha256'),
      truncated: z.boolean(),
    }),
  ),
  resolvedConfig: z.unknown().transform((v, ctx): Record<string, unknown> | null => {
    if (v === null || v === undefined) return null;
    const r = resolvedConfigSchema.safeParse(v);
    if (!r.success) {
      // Passed on as they are: check() reports the first one's message, limit and size.
      for (const i of r.error.issues) ctx.addIssue({ ...i });
      return z.NEVER;
    }
    return JSON.parse(r.data) as Record<string, unknown>;
  }),
  git: nullish(
    z.object({
      commit: z
        .string({ error: 'reproducibility.git.commit must be a string' })
        .regex(/^[0-9a-f]{7,64}$/, {
          error: 'reproducibility.git.commit must be 7-64 lowercase hexadecimal characters',
        }),
      branch: nullish(nameSchema('reproducibility.git.branch', L.shortText)),
      dirty: z.boolean({ error: 'reproducibility.git.dirty must be true or false' }),
      diff: nullish(textSchema('reproducibility.git.diff', L.diffBytes)),
      diffBytes: count('reproducibility.git.diffBytes'),
      diffTruncated: z.boolean(),
    }),
  ),
  command: z
    .array(
      textSchema('reproducibility.command[]', L.commandArgChars * 4).refine(
        (s) => s.length <= L.commandArgChars,
        { error: `reproducibility.command[] items are at most ${L.commandArgChars} characters` },
      ),
    )
    .max(L.commandArgs, { error: `reproducibility.command has more than ${L.commandArgs} items` }),
  host: nameSchema('reproducibility.host', L.shortText),
  os: z.object({
    platform: nameSchema('reproducibility.os.platform', L.shortText),
    release: nameSchema('reproducibility.os.release', L.shortText),
    arch: nameSchema('reproducibility.os.arch', L.shortText),
  }),
  node: nameSchema('reproducibility.node', L.shortText),
  tfjs: nullish(nameSchema('reproducibility.tfjs', L.shortText)),
  backend: nullish(nameSchema('reproducibility.backend', L.shortText)),
  dataset: nullish(
    z.object({
      sha256: sha256('reproducibility.dataset.sha256'),
      fileCount: count('reproducibility.dataset.fileCount'),
      bytesRead: count('reproducibility.dataset.bytesRead'),
      truncated: z.boolean(),
      files: z
        .array(
          z.object({
            path: nameSchema('reproducibility.dataset.files[].path', L.pathChars),
            bytes: count('reproducibility.dataset.files[].bytes'),
            sha256: sha256('reproducibility.dataset.files[].sha256'),
          }),
        )
        .max(L.datasetFiles, {
          error: `reproducibility.dataset.files has more than ${L.datasetFiles} items`,
        }),
    }),
  ),
});

/** A checked reproducibility record (what Run.reproducibility stores and returns). */
export type Reproducibility = z.output<typeof reproducibilitySchema>;

/**
 * Checks a createRun `reproducibility` input: every field against its limits, then the whole
 * record against {@link REPRODUCIBILITY_LIMITS.bytes}.
 * @returns the JSON text to store, or null when none was sent
 * @throws BAD_USER_INPUT naming the field and the limit
 */
export function prepareReproducibility(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  const parsed = check(reproducibilitySchema, value, 'reproducibility');
  const text = JSON.stringify(parsed);
  const bytes = Buffer.byteLength(text, 'utf8');
  if (bytes > L.bytes)
    throw badInput(
      `reproducibility is ${bytes.toLocaleString('en-US')} bytes of JSON; the limit is ${L.bytes.toLocaleString('en-US')} bytes`,
      { field: 'reproducibility', limit: L.bytes, found: bytes },
    );
  return text;
}

/** A stored record as read back; a corrupt or foreign value reads as null. */
export function parseReproducibility(text: string | null | undefined): Reproducibility | null {
  if (!text) return null;
  try {
    const r = reproducibilitySchema.safeParse(JSON.parse(text));
    return r.success ? r.data : null;
  } catch {
    return null;
  }
}

/** Type of a reproducibility field the query language reads. */
export type ReproducibilityFieldType = 'string' | 'boolean';

/**
 * The reproducibility fields the runs query language reads (`repro.<path>`, or `git.<x>` for
 * `repro.git.<x>`), with their JSON paths in the stored record.
 */
export const REPRODUCIBILITY_FIELDS: Readonly<
  Record<string, { path: readonly string[]; type: ReproducibilityFieldType }>
> = {
  'git.commit': { path: ['git', 'commit'], type: 'string' },
  'git.dirty': { path: ['git', 'dirty'], type: 'boolean' },
  'git.branch': { path: ['git', 'branch'], type: 'string' },
  host: { path: ['host'], type: 'string' },
  'os.platform': { path: ['os', 'platform'], type: 'string' },
  'os.release': { path: ['os', 'release'], type: 'string' },
  'os.arch': { path: ['os', 'arch'], type: 'string' },
  node: { path: ['node'], type: 'string' },
  tfjs: { path: ['tfjs'], type: 'string' },
  backend: { path: ['backend'], type: 'string' },
  'dataset.sha256': { path: ['dataset', 'sha256'], type: 'string' },
  'config.path': { path: ['configFile', 'path'], type: 'string' },
  'config.sha256': { path: ['configFile', 'sha256'], type: 'string' },
};
