// The layering rules of the README, checked through the real ESLint configuration: each forbidden
// import, placed in a file of the project that must not make it, is reported.
import { beforeAll, describe, expect, it } from 'vitest';
import { ESLint } from 'eslint';
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import tseslint from 'typescript-eslint';

const root = path.resolve(import.meta.dirname, '../..');

// @nx/enforce-module-boundaries reads Nx's cached project graph and silently skips its checks
// when there is none (a fresh clone where no nx command ran yet): compute it first.
beforeAll(() => {
  execFileSync(
    process.execPath,
    [path.join(root, 'node_modules/nx/dist/bin/nx.js'), 'show', 'projects'],
    {
      cwd: root,
      stdio: 'ignore',
    },
  );
}, 120_000);

// The probe files do not exist, so no tsconfig holds them: the boundary rules need no types,
// and the type-aware rules are switched off for these checks only.
const eslint = new ESLint({
  cwd: root,
  overrideConfig: [tseslint.configs.disableTypeChecked],
});

async function problems(file: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, {
    filePath: path.resolve(import.meta.dirname, '../..', file),
  });
  if (!result) throw new Error(`eslint returned no result for ${file}`);
  return result.messages.filter((m) => m.severity === 2).map((m) => m.message);
}

describe('module boundaries', () => {
  it.each([
    [
      'libs/viz/src/probe.ts',
      "import * as tf from '@tensorflow/tfjs';\nexport const x = tf;\n",
      /@tensorflow/,
    ],
    [
      'libs/viz/src/probe.ts',
      "import { PRESETS } from '@convscope/ml';\nexport const x = PRESETS;\n",
      /scope:viz|@convscope\/ml/,
    ],
    [
      'apps/web/lib/probe.ts',
      "import { PrismaClient } from '@prisma/client';\nexport const x = PrismaClient;\n",
      /@prisma/,
    ],
    [
      'apps/web/lib/probe.ts',
      "import * as tf from '@tensorflow/tfjs';\nexport const x = tf;\n",
      /@tensorflow/,
    ],
    [
      'apps/web/lib/probe.ts',
      "import { PRESETS } from '@convscope/ml';\nexport const x = PRESETS;\n",
      /@convscope\/ml|scope:web/,
    ],
    [
      'libs/ml/src/probe.ts',
      "import { PrismaClient } from '@prisma/client';\nexport const x = PrismaClient;\n",
      /@prisma/,
    ],
    // The tag constraints (type:*, platform:*), each where scope alone would not say why.
    [
      'libs/ml/src/probe.ts',
      "import { applyMigrations } from '@convscope/prisma';\nexport const x = applyMigrations;\n",
      /tagged with "type:lib" can only depend on libs tagged with "type:lib"/,
    ],
    [
      'apps/web/lib/probe.ts',
      "import { applyMigrations } from '@convscope/prisma';\nexport const x = applyMigrations;\n",
      /tagged with "platform:browser" can only depend on libs tagged with "platform:browser", "platform:any"/,
    ],
    [
      'libs/schemas/src/probe.ts',
      "import { formatDuration } from '@convscope/viz';\nexport const x = formatDuration;\n",
      /tagged with "platform:any" can only depend on libs tagged with "platform:any"/,
    ],
    [
      'prisma/probe.ts',
      "import { z } from '@convscope/schemas';\nexport const x = z;\n",
      /tagged with "type:data" can only depend on libs tagged with "type:data"/,
    ],
    // prisma/ is reached through its entry point, never by a relative path into it.
    [
      'apps/api/src/probe.ts',
      "import { applyMigrations } from '../../../prisma/migrate';\nexport const x = applyMigrations;\n",
      /relative or absolute path/,
    ],
    // File names: kebab-case .ts, PascalCase components.
    [
      'apps/api/src/someProbe.ts',
      'export const x = 1;\n',
      /"someProbe.ts" does not match the "KEBAB_CASE"/,
    ],
    [
      'apps/web/components/probe-view.tsx',
      'export const x = 1;\n',
      /"probe-view.tsx" does not match the "PASCAL_CASE"/,
    ],
  ])('%s may not import: %s', async (file, code, expected) => {
    const messages = await problems(file, code);
    expect(messages.join('\n')).toMatch(expected);
  });

  it('allows what the layering permits', async () => {
    expect(
      await problems(
        'apps/web/lib/probe.ts',
        "import { formatDuration } from '@convscope/viz';\nexport const x = formatDuration;\n",
      ),
    ).toEqual([]);
    expect(
      await problems(
        'apps/api/src/probe.ts',
        "import { applyMigrations } from '@convscope/prisma';\nexport const x = applyMigrations;\n",
      ),
    ).toEqual([]);
    expect(await problems('apps/web/app/runs/[id]/not-found.tsx', 'export const x = 1;\n')).toEqual(
      [],
    );
    expect(
      await problems(
        'libs/ml/src/probe.ts',
        "import * as tf from '@tensorflow/tfjs';\nexport const x = tf;\n",
      ),
    ).toEqual([]);
  });
});
