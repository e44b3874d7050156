// The launcher starts each part through the command of a project's Nx target: those targets
// exist and name files that exist, and a missing target is an error naming it.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { targetCommand } from '../../tools/launcher/nx-targets';

const root = path.resolve(import.meta.dirname, '../..');

describe('launcher targets', () => {
  it.each([
    ['apps/api', 'serve', 'apps/api/src/main.ts'],
    ['libs/ml', 'train', 'libs/ml/src/cli/train.cli.ts'],
    ['libs/ml', 'explain-worker', 'libs/ml/src/cli/explain-worker.cli.ts'],
  ])('%s:%s runs %s with node --import tsx', (project, target, file) => {
    const cmd = targetCommand(root, project, target);
    expect(cmd).toEqual({ project, target, command: 'node', args: ['--import', 'tsx', file] });
    expect(fs.existsSync(path.join(root, file))).toBe(true);
  });

  it('runs the dashboard with next (build, then start)', () => {
    expect(targetCommand(root, 'apps/web', 'build')).toMatchObject({
      command: 'next',
      args: ['build', 'apps/web'],
    });
    expect(targetCommand(root, 'apps/web', 'serve')).toMatchObject({
      command: 'next',
      args: ['start', 'apps/web'],
    });
  });

  it('names the project and target it cannot find', () => {
    expect(() => targetCommand(root, 'apps/api', 'no-such-target')).toThrow(
      /apps\/api\/package\.json: the Nx target "no-such-target" has no options\.command/,
    );
  });
});
