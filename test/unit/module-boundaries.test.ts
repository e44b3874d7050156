// The layering rules of the README, checked through the real ESLint configuration: each forbidden
// import, placed in a file of the project that must not make it, is reported.
import { describe, expect, it } from 'vitest';
import { ESLint } from 'eslint';
import path from 'node:path';
import tseslint from 'typescript-eslint';

// The probe files do not exist, so no tsconfig holds them: the boundary rules need no types,
// and the type-aware rules are switched off for these checks only.
const eslint = new ESLint({
  cwd: path.resolve(import.meta.dirname, '../..'),
  overrideConfig: [tseslint.configs.disableTypeChecked],
});

async function problems(file: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, {
    filePath: path.resolve(import.meta.dirname, '../..', file),
  });
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
        'libs/ml/src/probe.ts',
        "import * as tf from '@tensorflow/tfjs';\nexport const x = tf;\n",
      ),
    ).toEqual([]);
  });
});
