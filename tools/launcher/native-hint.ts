// The one line `npm start` prints when training will run on WebAssembly because the optional
// oneDNN addon (libs/ml/native) is not built or does not load: how much faster training would
// be with it, measured, and how to get it.
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

/**
 * fmnist-cnn training images/s on `onednn` and on `wasm`, from the README's "Measured results"
 * throughput table (one `npm run bench` run, 2 shared cores, 2026-11-22). A unit test keeps
 * these equal to the table, so the hint's figure cannot drift from the measurement it cites.
 */
export const MEASURED_FMNIST_TRAIN = { onednn: 2925, wasm: 571 } as const;

/** Where the addon is built (relative to the repository root). */
export const ONEDNN_ADDON_RELATIVE_PATH = 'libs/ml/native/build/Release/convscope_onednn.node';

/**
 * The packages that provide oneDNN's headers, per platform, with the command to install them.
 * The addon builds against oneDNN 2.x and 3.x (Debian 12's 2.6 and Debian 13's 3.7 were run;
 * Homebrew ships 3.x, Fedora's version was not checked).
 * On macOS Apple's clang needs Homebrew's libomp for OpenMP; that build was never run here.
 */
export const ONEDNN_INSTALL_COMMANDS = {
  'Debian/Ubuntu': 'sudo apt-get install libdnnl-dev',
  Fedora: 'sudo dnf install onednn-devel',
  macOS: 'brew install onednn libomp',
} as const;

/** Platforms whose build instructions were never run (said in the hint). */
export const UNVERIFIED_PLATFORMS = ['macOS'] as const;

/**
 * The hint's text.
 * @param options.onednnImagesPerSec and `wasmImagesPerSec`: the measured training rates the
 *   ratio comes from (default: {@link MEASURED_FMNIST_TRAIN})
 * @param options.reason why the addon is unusable, e.g. "not built" (shown in parentheses)
 */
export function onednnHintText(
  options: { onednnImagesPerSec?: number; wasmImagesPerSec?: number; reason?: string } = {},
): string {
  const onednn = options.onednnImagesPerSec ?? MEASURED_FMNIST_TRAIN.onednn;
  const wasm = options.wasmImagesPerSec ?? MEASURED_FMNIST_TRAIN.wasm;
  // Whole numbers from 2x up (the figures move between runs); one decimal below that.
  const ratio = onednn / wasm;
  const about = ratio >= 2 ? String(Math.round(ratio)) : ratio.toFixed(1);
  const unverified = new Set<string>(UNVERIFIED_PLATFORMS);
  const installs = Object.entries(ONEDNN_INSTALL_COMMANDS)
    .map(
      ([platform, cmd]) => `${platform} \`${cmd}\`${unverified.has(platform) ? ' (untested)' : ''}`,
    )
    .join(', ');
  const why = options.reason ? ` (oneDNN addon ${options.reason})` : '';
  return (
    `convscope: training runs on WebAssembly${why}; with oneDNN it is about ${about}x faster ` +
    `(fmnist-cnn, ${onednn.toLocaleString('en-US')} vs ${wasm.toLocaleString('en-US')} images/s in the README's measured results): ` +
    `${installs}, then \`npm run build:native -w @convscope/ml\` ` +
    `(oneDNN 2.x or 3.x; another prefix: CONVSCOPE_DNNL_PREFIX=<prefix>)`
  );
}

/**
 * Why the addon cannot be used, or null when it loads. Loading it here costs a few
 * milliseconds and catches a built addon whose libdnnl has since been removed.
 * @param root repository root
 * @param load how to load a native module (injected by tests)
 */
export function onednnAddonProblem(
  root: string,
  load: (file: string) => unknown = (file) => createRequire(import.meta.url)(file),
): string | null {
  const file = path.join(root, ONEDNN_ADDON_RELATIVE_PATH);
  if (!existsSync(file)) return 'not built';
  try {
    load(file);
    return null;
  } catch (err) {
    const msg = err instanceof Error ? (err.message.split('\n')[0] ?? '') : String(err);
    return `does not load: ${msg.slice(0, 120)}`;
  }
}

/** The line `npm start` prints, or null when the addon loads (training runs on oneDNN). */
export function onednnHint(root: string): string | null {
  const problem = onednnAddonProblem(root);
  return problem === null ? null : onednnHintText({ reason: problem });
}
