// A safety net under the guard: every root query and mutation runs in its own async context,
// and one that returns without having asked the AccessGuard fails instead of answering. A new
// resolver that forgets its permission check is caught by the first test that calls it.
import { AsyncLocalStorage } from 'node:async_hooks';
import type { MiddlewareFn } from 'type-graphql';

// One store per process, not per module instance: under `tsx` (npm start, npm run api) the schema's
// module graph is loaded a second time through tsImport (schema-loader.ts), so the resolvers'
// middleware and the AccessGuard would otherwise each see their own store and every root field
// would fail as unchecked.
const STORE_KEY = Symbol.for('convscope.api.guard-check-scope');
const store: AsyncLocalStorage<{ checked: boolean }> = ((
  globalThis as { [STORE_KEY]?: AsyncLocalStorage<{ checked: boolean }> }
)[STORE_KEY] ??= new AsyncLocalStorage<{ checked: boolean }>());

/** Called by every AccessGuard check. */
export function markGuardChecked(): void {
  const s = store.getStore();
  if (s) s.checked = true;
}

/** Runs `fn` in a fresh check scope and reports whether a guard check happened. */
export async function withGuardScope<T>(
  fn: () => Promise<T>,
): Promise<{ value: T; checked: boolean }> {
  const scope = { checked: false };
  const value = await store.run(scope, fn);
  return { value, checked: scope.checked };
}

/** Global type-graphql middleware: root fields must consult the guard. */
export const requireGuardCheck: MiddlewareFn = async ({ info }, next) => {
  const root = info.parentType.name;
  if (root !== 'Query' && root !== 'Mutation') return next();
  if (info.fieldName === '__typename') return next();
  const { value, checked } = await withGuardScope(() => next() as Promise<unknown>);
  if (!checked) throw new Error(`${root}.${info.fieldName} returned without a permission check`);
  return value;
};
