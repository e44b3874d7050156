// graphql-codegen (client preset): typed documents for the two GraphQL clients, generated from
// the API's emitted schema. `npm run codegen` regenerates the committed folders; `npm run
// codegen:check` fails when a document does not match the schema or the folders are stale.
import type { CodegenConfig } from '@graphql-codegen/cli';

/** Plugin settings both clients share. */
const shared = {
  // Documents are posted as strings with fetch (no Apollo, no parsed ASTs in the bundles).
  documentMode: 'string',
  enumsAsTypes: true,
  useTypeImports: true,
  skipTypename: true,
  // Only the operations' types, their inputs and enums: the full schema types are not a client's.
  onlyOperationTypes: true,
  strictScalars: true,
  scalars: { DateTime: 'string', JSON: 'unknown' },
} as const;

/** The client preset writing `<folder>` from the documents of `globs`. */
function clientTarget(documents: string[]) {
  return {
    preset: 'client' as const,
    documents,
    config: shared,
    // Fragment types are plain object types inside results (no useFragment unmasking step).
    presetConfig: { fragmentMasking: false },
  };
}

const config: CodegenConfig = {
  schema: 'apps/api/schema.graphql',
  // Relative imports without a suffix, like the rest of the code (Next, tsx and vitest resolve them).
  importExtension: '',
  generates: {
    'apps/web/lib/gql/': clientTarget([
      'apps/web/**/*.{ts,tsx}',
      '!apps/web/lib/gql/**',
      '!apps/web/.next/**',
      '!apps/web/node_modules/**',
    ]),
    'libs/ml/src/tracking/gql/': clientTarget([
      'libs/ml/src/**/*.ts',
      '!libs/ml/src/tracking/gql/**',
    ]),
  },
};

export default config;
