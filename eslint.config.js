// Lint rules for the whole workspace. Module boundaries are enforced from the Nx project
// tags (see each package.json or project.json "tags"), plus explicit bans on imports each layer must not make.
// TypeScript files are linted with type information (projectService: each file's nearest
// tsconfig.json), so promise mistakes (an un-awaited write, an async event handler) are errors.
import nx from '@nx/eslint-plugin';
import tseslint from 'typescript-eslint';
import prettier from 'eslint-config-prettier';
import reactHooks from 'eslint-plugin-react-hooks';
import checkFile from 'eslint-plugin-check-file';

const banned = (patterns) => [
  'error',
  {
    patterns: patterns.map((group) => ({
      group: [group],
      message: `"${group}" is not allowed in this project (module boundaries, see README).`,
    })),
  },
];

/** The rules of recommendedTypeChecked we hold the code to (the no-unsafe-* family is left out: Prisma and TF.js hand back too many `any`s to be useful yet). */
const typeCheckedRules = {
  '@typescript-eslint/no-floating-promises': 'error',
  '@typescript-eslint/no-misused-promises': 'error',
  '@typescript-eslint/await-thenable': 'error',
  '@typescript-eslint/no-for-in-array': 'error',
  '@typescript-eslint/no-implied-eval': 'error',
  '@typescript-eslint/only-throw-error': 'error',
  '@typescript-eslint/prefer-promise-reject-errors': 'error',
  '@typescript-eslint/no-unnecessary-type-assertion': 'error',
  '@typescript-eslint/no-duplicate-type-constituents': 'error',
  '@typescript-eslint/no-redundant-type-constituents': 'error',
  '@typescript-eslint/no-array-delete': 'error',
  // Off: error messages quote user input with String(value) on purpose, whatever its type.
  '@typescript-eslint/no-base-to-string': 'off',
  '@typescript-eslint/restrict-plus-operands': 'error',
  '@typescript-eslint/unbound-method': 'off',
};

export default tseslint.config(
  {
    ignores: [
      '**/node_modules/**',
      '**/.next/**',
      '**/dist/**',
      'prisma/generated/**',
      // graphql-codegen output (npm run codegen)
      'apps/web/lib/gql/**',
      'libs/ml/src/tracking/gql/**',
      'data/**',
      '**/next-env.d.ts',
      'libs/ml/native/build/**',
    ],
  },
  ...tseslint.configs.recommended,
  { plugins: { '@nx': nx } },
  {
    files: ['**/*.ts', '**/*.tsx'],
    languageOptions: {
      parserOptions: {
        // Files outside every tsconfig (root configs, one-off tools) get a default program.
        projectService: { allowDefaultProject: ['*.ts', 'libs/ml/tools/*.ts'] },
        tsconfigRootDir: import.meta.dirname,
      },
    },
    rules: typeCheckedRules,
  },
  {
    // Small functions: a longer one needs a reason beside it (an eslint-disable comment saying
    // why). Tests are exempt: a describe block is a list, not logic.
    files: ['**/*.ts', '**/*.tsx'],
    ignores: ['**/*.test.ts', '**/*.test.tsx', 'test/**', 'bench/**'],
    rules: {
      'max-lines-per-function': [
        'error',
        { max: 80, skipBlankLines: true, skipComments: true, IIFEs: true },
      ],
    },
  },
  {
    files: ['**/*.ts', '**/*.tsx', '**/*.js'],
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
      '@nx/enforce-module-boundaries': [
        'error',
        {
          allow: [],
          enforceBuildableLibDependency: false,
          depConstraints: [
            // Nx reports the first constraint a dependency breaks, so the structural ones (type,
            // platform) come first and name the layering mistake; scope then narrows who uses what.
            // type: apps sit on top; libraries never reach up into an app.
            { sourceTag: 'type:app', onlyDependOnLibsWithTags: ['type:lib', 'type:data'] },
            { sourceTag: 'type:lib', onlyDependOnLibsWithTags: ['type:lib'] },
            { sourceTag: 'type:data', onlyDependOnLibsWithTags: ['type:data'] },
            // platform: browser code never pulls in Node-only code; platform:any code runs on both.
            {
              sourceTag: 'platform:browser',
              onlyDependOnLibsWithTags: ['platform:browser', 'platform:any'],
            },
            {
              sourceTag: 'platform:node',
              onlyDependOnLibsWithTags: ['platform:node', 'platform:any'],
            },
            { sourceTag: 'platform:any', onlyDependOnLibsWithTags: ['platform:any'] },
            // scope: which part of the product may use which.
            // scope:shared holds the small libraries every side may import (colormaps, schemas).
            { sourceTag: 'scope:shared', onlyDependOnLibsWithTags: ['scope:shared'] },
            { sourceTag: 'scope:viz', onlyDependOnLibsWithTags: ['scope:viz', 'scope:shared'] },
            { sourceTag: 'scope:ml', onlyDependOnLibsWithTags: ['scope:ml', 'scope:shared'] },
            { sourceTag: 'scope:web', onlyDependOnLibsWithTags: ['scope:viz', 'scope:shared'] },
            {
              sourceTag: 'scope:api',
              onlyDependOnLibsWithTags: ['scope:api', 'scope:data', 'scope:shared'],
            },
            // scope:data is prisma/ (schemas, migrations, generated clients): it uses nothing of ours.
            { sourceTag: 'scope:data', onlyDependOnLibsWithTags: [] },
          ],
        },
      ],
    },
  },
  {
    // File names: kebab-case (middle extensions such as .test, .cli, .bench are not part of the name).
    files: ['**/*.ts', '**/*.tsx'],
    plugins: { 'check-file': checkFile },
    rules: {
      'check-file/filename-naming-convention': [
        'error',
        { '**/*.{ts,tsx}': 'KEBAB_CASE' },
        { ignoreMiddleExtensions: true },
      ],
    },
  },
  {
    // React components are PascalCase.tsx; Next.js route files (page.tsx, layout.tsx, not-found.tsx)
    // live under app/ and stay kebab-case as Next requires.
    files: ['apps/web/components/**/*.tsx'],
    rules: {
      'check-file/filename-naming-convention': [
        'error',
        { '**/*.tsx': 'PASCAL_CASE' },
        { ignoreMiddleExtensions: true },
      ],
    },
  },
  {
    files: ['apps/web/**/*.ts', 'apps/web/**/*.tsx'],
    ...reactHooks.configs.flat.recommended,
  },
  {
    // JavaScript files (this config, build scripts) are not type-checked.
    files: ['**/*.js', '**/*.mjs', '**/*.cjs'],
    ...tseslint.configs.disableTypeChecked,
  },
  {
    // Shared libraries run in Node and in the browser: no TF.js, Prisma or Node built-ins.
    files: ['libs/colormap/**', 'libs/schemas/**', 'libs/metrics/**', 'libs/sweep/**'],
    rules: {
      'no-restricted-imports': banned([
        '@tensorflow/*',
        '@prisma/*',
        'node:*',
        '@convscope/ml',
        '@convscope/viz',
        '@convscope/prisma',
      ]),
    },
  },
  {
    files: ['libs/viz/**'],
    rules: {
      'no-restricted-imports': banned([
        '@tensorflow/*',
        '@convscope/ml',
        '@prisma/*',
        '@convscope/prisma',
        'node:*',
      ]),
    },
  },
  {
    files: ['libs/ml/**'],
    rules: {
      'no-restricted-imports': banned([
        '@prisma/*',
        '@convscope/api',
        '@convscope/prisma',
        '**/apps/api/**',
        '**/prisma/generated/**',
      ]),
    },
  },
  {
    files: ['apps/web/**'],
    rules: {
      'no-restricted-imports': banned([
        '@prisma/*',
        '@tensorflow/*',
        '@convscope/ml',
        '@convscope/prisma',
        '**/prisma/generated/**',
      ]),
    },
  },
  prettier,
);
