// Lint rules for the whole workspace. Module boundaries are enforced from the Nx project
// tags (see each package.json "nx.tags"), plus explicit bans on imports each layer must not make.
import nx from '@nx/eslint-plugin';
import tseslint from 'typescript-eslint';
import prettier from 'eslint-config-prettier';

const banned = (patterns) => [
  'error',
  {
    patterns: patterns.map((group) => ({
      group: [group],
      message: `"${group}" is not allowed in this project (module boundaries, see README).`,
    })),
  },
];

export default tseslint.config(
  {
    ignores: [
      '**/node_modules/**',
      '**/.next/**',
      '**/dist/**',
      'prisma/generated/**',
      'data/**',
      '**/next-env.d.ts',
      'libs/ml/native/build/**',
    ],
  },
  ...tseslint.configs.recommended,
  { plugins: { '@nx': nx } },
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
            // scope:shared holds the small libraries every side may import (colormaps, schemas).
            { sourceTag: 'scope:shared', onlyDependOnLibsWithTags: ['scope:shared'] },
            { sourceTag: 'scope:viz', onlyDependOnLibsWithTags: ['scope:viz', 'scope:shared'] },
            { sourceTag: 'scope:ml', onlyDependOnLibsWithTags: ['scope:ml', 'scope:shared'] },
            { sourceTag: 'scope:web', onlyDependOnLibsWithTags: ['scope:viz', 'scope:shared'] },
            { sourceTag: 'scope:api', onlyDependOnLibsWithTags: ['scope:api', 'scope:shared'] },
          ],
        },
      ],
    },
  },
  {
    // Shared libraries run in Node and in the browser: no TF.js, Prisma or Node built-ins.
    files: ['libs/colormap/**', 'libs/schemas/**'],
    rules: {
      'no-restricted-imports': banned([
        '@tensorflow/*',
        '@prisma/*',
        'node:*',
        '@convscope/ml',
        '@convscope/viz',
      ]),
    },
  },
  {
    files: ['libs/viz/**'],
    rules: {
      'no-restricted-imports': banned(['@tensorflow/*', '@convscope/ml', '@prisma/*', 'node:*']),
    },
  },
  {
    files: ['libs/ml/**'],
    rules: {
      'no-restricted-imports': banned([
        '@prisma/*',
        '@convscope/api',
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
        '**/prisma/generated/**',
      ]),
    },
  },
  prettier,
);
