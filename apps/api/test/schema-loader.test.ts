// loadApiSchema where `tsx` runs the API from the repository root (npm start, the browser tests'
// API host): schema.ts is imported through tsx's API with the API's tsconfig, and that import
// happens once per process. Each import compiled the module graph again (seconds per server
// start). Vitest compiles with legacy decorators and never takes that path, so a child process
// does.
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const LOADER = path.join(ROOT, 'apps/api/src/schema-loader.ts');
const TSX = path.join(ROOT, 'node_modules/.bin/tsx');

const SCRIPT = `
const { decoratorMode } = await import(${JSON.stringify(path.join(ROOT, 'apps/api/src/common/decorator-mode.ts'))});
const { loadApiSchema } = await import(${JSON.stringify(LOADER)});
const [a, b] = [await loadApiSchema(), await loadApiSchema()];
const c = await loadApiSchema();
console.log(JSON.stringify({
  decoratorMode,
  same: a === b && b === c,
  hasRun: Boolean(a.getType('Run')),
}));
`;

describe('loadApiSchema under tsx', () => {
  let dir: string | undefined;
  afterAll(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('imports the schema module once and answers the same schema every time', async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'convscope-schema-loader-'));
    const script = path.join(dir, 'load-twice.mts');
    await writeFile(script, SCRIPT);
    const stdout = await new Promise<string>((resolve, reject) =>
      execFile(TSX, [script], { cwd: ROOT }, (err, out, errOut) =>
        err ? reject(new Error(`${err.message}\n${errOut}`)) : resolve(out),
      ),
    );
    const result = JSON.parse(stdout.trim().split('\n').at(-1)!) as Record<string, unknown>;
    // The path under test: TC39 decorators, so the loader imports schema.ts through tsx's API.
    expect(result).toEqual({ decoratorMode: 'standard', same: true, hasRun: true });
  });
});
