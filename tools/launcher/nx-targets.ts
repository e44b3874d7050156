// The commands of the Nx targets the launcher runs (`serve` of apps/api and apps/web, `build`
// of apps/web, `train` and `explain-worker` of libs/ml), read from each project's package.json.
// One definition: `npx nx run @convscope/api:serve` runs the same command. The launcher spawns
// the command itself rather than `nx run`, so signals and the API's IPC channel reach the
// process it supervises (an `nx` process in between would hide its pid and swallow the IPC).
import { readFileSync } from 'node:fs';
import path from 'node:path';

/** A command to spawn: the executable and its arguments. */
export interface TargetCommand {
  /** Project folder, relative to the repository root (e.g. apps/api). */
  project: string;
  target: string;
  command: string;
  args: string[];
}

interface PackageJsonWithTargets {
  nx?: { targets?: Record<string, { options?: { command?: unknown } } | undefined> };
}

/**
 * The command of `target` in `<root>/<project>/package.json` (nx.targets.<target>.options.command),
 * split on spaces (these commands hold no quoting).
 * @throws Error naming the project and target when it has no command
 */
export function targetCommand(root: string, project: string, target: string): TargetCommand {
  const file = path.join(root, project, 'package.json');
  const pkg = JSON.parse(readFileSync(file, 'utf8')) as PackageJsonWithTargets;
  const command = pkg.nx?.targets?.[target]?.options?.command;
  if (typeof command !== 'string' || command.trim() === '')
    throw new Error(`${file}: the Nx target "${target}" has no options.command`);
  const [cmd, ...args] = command.trim().split(/\s+/);
  if (!cmd) throw new Error(`${file}: the Nx target "${target}" has an empty command`);
  return { project, target, command: cmd, args };
}
