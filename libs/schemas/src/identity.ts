/**
 * Inputs of accounts and API keys, checked the same way by the API (identity service) and by the
 * dashboard's forms before they send them: e-mail, display names, passwords, key role and expiry.
 * Messages are the API's (`expiresInDays must be a whole number of days from 1 to 3650`).
 */
import { z } from 'zod';

/** What an e-mail address must look like (one `@`, no spaces; local part <= 64 characters). */
const EMAIL = /^[^\s@]{1,64}@[^\s@]{1,190}$/;

/** Control, bidirectional and invisible characters, refused in names shown to people. */
const INVISIBLE = /[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2060\u2066-\u2069\ufeff]/;

/** An e-mail address, trimmed and lower-cased. */
export const emailSchema = z
  .string()
  .transform((s) => s.trim().toLowerCase())
  .refine((e) => EMAIL.test(e), {
    error: (iss) => `Not an e-mail address: "${String(iss.input).slice(0, 100)}"`,
  });

/** A name shown to people (user, API key), trimmed: 1-100 characters, none invisible. */
export function displayNameSchema(field = 'name') {
  return z
    .string()
    .transform((s) => s.trim())
    .refine((n) => n.length >= 1 && n.length <= 100, { error: `${field} must be 1-100 characters` })
    .refine((n) => !INVISIBLE.test(n), {
      error: `${field} contains control or invisible characters`,
    });
}

/** A password a user sets: 10-128 characters. */
export const passwordSchema = z
  .string()
  .min(10, { error: 'password must be 10-128 characters' })
  .max(128, { error: 'password must be 10-128 characters' });

/** The roles a project member or an API key may have, weakest first. */
export const PROJECT_ROLES = ['viewer', 'editor', 'owner'] as const;
/** A role in a project. */
export const projectRoleSchema = z.enum(PROJECT_ROLES, {
  error: (iss) => `role must be viewer, editor or owner, got "${String(iss.input)}"`,
});

/** Days until an API key expires, 1-3650; null or absent: never. */
export const expiresInDaysSchema = z
  .number({ error: 'expiresInDays must be a whole number of days from 1 to 3650' })
  .int({ error: 'expiresInDays must be a whole number of days from 1 to 3650' })
  .min(1, { error: 'expiresInDays must be a whole number of days from 1 to 3650' })
  .max(3650, { error: 'expiresInDays must be a whole number of days from 1 to 3650' })
  .nullish();

/** What creating an API key takes. */
export const apiKeyInputSchema = z.object({
  /** 1-100 characters, e.g. "lab worker 3". */
  name: displayNameSchema('name'),
  /** The most the key may do (never more than its user may). */
  role: projectRoleSchema,
  /** Projects to limit the key to (at most 100); null or absent: every project of the user. */
  projects: z
    .array(z.string())
    .max(100, { error: 'A key may be limited to at most 100 projects' })
    .nullish(),
  expiresInDays: expiresInDaysSchema,
});
/** See {@link apiKeyInputSchema}. */
export type ApiKeyInput = z.infer<typeof apiKeyInputSchema>;

/** What creating a user takes (no password: they sign in with a login link). */
export const userInputSchema = z.object({
  email: emailSchema,
  name: displayNameSchema('name'),
  password: passwordSchema.nullish(),
  admin: z.boolean().nullish(),
});
/** See {@link userInputSchema}. */
export type UserInput = z.infer<typeof userInputSchema>;

/** What the sign-in form sends. */
export const signInSchema = z.object({
  email: emailSchema,
  password: z.string().min(1, { error: 'Enter your password.' }),
});

/**
 * The parsed value, or an `Error` whose message is the first problem's (what the API would
 * answer), for forms and services that report one message at a time.
 */
export function parseOrThrow<T extends z.ZodType>(schema: T, value: unknown): z.output<T> {
  const r = schema.safeParse(value);
  if (r.success) return r.data;
  throw new SchemaInputError(
    r.error.issues[0]?.message ?? 'invalid input',
    r.error.issues[0]?.path,
  );
}

/** An input that failed its schema: the first problem's message and the field it concerns. */
export class SchemaInputError extends Error {
  override name = 'SchemaInputError';
  /** The top-level field of the problem (`expiresInDays`), if any. */
  readonly field: string | undefined;

  constructor(message: string, path: readonly PropertyKey[] = []) {
    super(message);
    const [first] = path;
    this.field = first === undefined ? undefined : String(first);
  }
}
