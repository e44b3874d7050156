// Loads schema.ts with legacy decorators whatever runs us. Vitest compiles with the API's
// tsconfig (experimentalDecorators); `tsx` started from the repository root finds no
// tsconfig.json there and would compile TC39 decorators, which type-graphql cannot use. In
// that case the schema module graph is imported through tsx's API with apps/api/tsconfig.json.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { GraphQLSchema } from 'graphql';
import { decoratorMode } from './common/decorator-mode';

type SchemaModule = typeof import('./schema');

const apiTsconfig = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '..',
  'tsconfig.json',
);

async function importSchemaModule(): Promise<SchemaModule> {
  if (decoratorMode === 'legacy') return import('./schema');
  const { tsImport } = await import('tsx/esm/api');
  return (await tsImport('./schema.ts', {
    parentURL: import.meta.url,
    tsconfig: apiTsconfig,
  })) as SchemaModule;
}

// Every tsImport call compiles and loads the schema's module graph again, in a namespace of its
// own (so schema.ts's own cache never hit): seconds per server start, for every API started in
// one process (the browser tests' API host starts one per test).
let schema: Promise<GraphQLSchema> | undefined;

/** Builds (once per process) and returns the API's GraphQL schema. */
export function loadApiSchema(): Promise<GraphQLSchema> {
  schema ??= importSchemaModule()
    .then((mod) => mod.buildApiSchema())
    .catch((err: unknown) => {
      schema = undefined; // a later start tries again
      throw err;
    });
  return schema;
}
