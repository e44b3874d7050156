// A safety net under the guard: every root query and mutation runs in its own async context,
// and one that returns without having asked the AccessGuard fails instead of answering. A new
// resolver that forgets its permission check is caught by the first test that calls it.
import { AsyncLocalStorage } from 'node:async_hooks';
import { defaultFieldResolver, type GraphQLSchema } from 'graphql';

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

/**
 * Wraps every Query and Mutation field of `schema` (in place): a root field that returns
 * without a guard check fails instead of answering. Only root fields: nested fields are reached
 * through a checked root field, and a type-graphql global middleware made every field of every
 * answer async (a 1,000-point series resolved some 3,000 fields through promises).
 */
export function enforceGuardChecks(schema: GraphQLSchema): GraphQLSchema {
  for (const type of [schema.getQueryType(), schema.getMutationType()]) {
    if (!type) continue;
    for (const field of Object.values(type.getFields())) {
      const resolve = field.resolve ?? defaultFieldResolver;
      field.resolve = async (source, args, context, info) => {
        const { value, checked } = await withGuardScope(() =>
          Promise.resolve(resolve(source, args, context, info)),
        );
        if (!checked)
          throw new Error(`${type.name}.${field.name} returned without a permission check`);
        return value;
      };
    }
  }
  return schema;
}
