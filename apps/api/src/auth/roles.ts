// Project roles and what an API key may do at most.
import { z } from 'zod';

/** Project roles, weakest first: viewer reads; editor writes runs; owner manages the project. */
export const ROLES = ['viewer', 'editor', 'owner'] as const;
/** One of {@link ROLES}. */
export type Role = (typeof ROLES)[number];

/** True if `have` includes everything `need` allows. */
export function roleAtLeast(have: Role | null, need: Role): boolean {
  return have !== null && ROLES.indexOf(have) >= ROLES.indexOf(need);
}

/** The weaker of two roles (null = no access). */
export function minRole(a: Role | null, b: Role | null): Role | null {
  if (a === null || b === null) return null;
  return ROLES.indexOf(a) <= ROLES.indexOf(b) ? a : b;
}

/** Parses a role name, or null. */
export function parseRole(value: unknown): Role | null {
  return typeof value === 'string' && (ROLES as readonly string[]).includes(value)
    ? (value as Role)
    : null;
}

/** The most an API key may do: a role, and optionally only some projects. */
export interface KeyCap {
  role: Role;
  /** Project ids the key is limited to; null = every project its user may use. */
  projectIds: string[] | null;
}

const capSchema = z.object({
  role: z.enum(ROLES),
  projectIds: z.array(z.string()).nullable(),
});

/**
 * The cap stored in an API key's metadata. Unreadable metadata gives the weakest cap (viewer,
 * no project) rather than an error: a key never gains rights from a malformed row.
 */
export function parseKeyCap(metadata: unknown): KeyCap {
  let value: unknown = metadata;
  if (typeof metadata === 'string') {
    try {
      value = JSON.parse(metadata);
    } catch {
      value = null;
    }
  }
  const parsed = capSchema.safeParse(value);
  return parsed.success ? parsed.data : { role: 'viewer', projectIds: [] };
}
