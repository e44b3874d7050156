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

/** Builds (once) and returns the API's GraphQL schema. */
export async function loadApiSchema(): Promise<GraphQLSchema> {
  let mod: SchemaModule;
  if (decoratorMode === 'legacy') {
    mod = await import('./schema');
  } else {
    const { tsImport } = await import('tsx/esm/api');
    mod = (await tsImport('./schema.ts', {
      parentURL: import.meta.url,
      tsconfig: apiTsconfig,
    })) as SchemaModule;
  }
  return mod.buildApiSchema();
}
