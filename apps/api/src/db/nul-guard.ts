// Text with a NUL byte (U+0000) cannot be stored or even compared on PostgreSQL: the driver
// fails the whole statement ("invalid byte sequence for encoding UTF8: 0x00"), which surfaced as
// an internal error wherever an id, name or filter reached a query before its own check (route
// guards, lookups by name, list filters). This Prisma extension refuses such input before any
// statement is sent, on both databases alike, as BAD_USER_INPUT naming where it was found.
// Services still check their fields first (common/limits.ts) with messages naming the field.
import { badInput } from '../common/errors';

/**
 * Where the first string holding U+0000 is inside a query's arguments (`where.id`,
 * `params[2]`, ...), or null. Iterative; Dates, buffers and other non-plain objects are skipped.
 */
export function findNul(value: unknown, root = 'args'): string | null {
  const stack: [unknown, string][] = [[value, root]];
  while (stack.length > 0) {
    const [v, path] = stack.pop()!;
    if (typeof v === 'string') {
      if (v.includes('\u0000')) return path;
    } else if (Array.isArray(v)) {
      for (let i = v.length - 1; i >= 0; i--) stack.push([v[i], `${path}[${i}]`]);
    } else if (typeof v === 'object' && v !== null) {
      const proto = Object.getPrototypeOf(v);
      if (proto !== Object.prototype && proto !== null) continue;
      for (const [k, child] of Object.entries(v)) stack.push([child, `${path}.${k}`]);
    }
  }
  return null;
}

/** The client with every operation (model queries and raw SQL) refusing text that holds NUL. */
export function refuseNul<T extends { $extends: (...args: never[]) => unknown }>(prisma: T): T {
  const extend = prisma.$extends as unknown as (ext: unknown) => T;
  return extend.call(prisma, {
    name: 'refuse-nul',
    query: {
      async $allOperations({
        args,
        query,
        operation,
        model,
      }: {
        args: unknown;
        query: (args: unknown) => Promise<unknown>;
        operation: string;
        model?: string;
      }) {
        const where = findNul(args, model ? 'args' : 'params');
        if (where)
          throw badInput(
            `Invalid input: a text value contains a NUL byte (U+0000), which cannot be stored or searched for (${model ?? 'sql'}.${operation} ${where})`,
            { found: 'U+0000' },
          );
        return query(args);
      },
    },
  });
}
