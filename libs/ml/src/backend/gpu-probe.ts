// Whether `@tensorflow/tfjs-node-gpu` really trains on a GPU. Its libtensorflow falls back to
// the CPU, silently, when no CUDA device or no CUDA/cuDNN libraries are found; the package
// loading proves nothing. Its backend (NodeJSKernelBackend, tfjs-node 4.x) records what
// libtensorflow's device list held when it started: `isUsingGpuDevice`, from the binding's
// `isUsingGpuDevice()`, true only when a device of type GPU was listed and ops go to it.
import { spawnSync } from 'node:child_process';

/** The part of tfjs-node's backend this module reads. */
export interface TfjsNodeDeviceInfo {
  /** Set by tfjs-node(-gpu) 4.x from its binding; absent on other backends. */
  isUsingGpuDevice?: unknown;
}

/** Runs a command, returning its stdout or null (absent, failed, or over 5 s). */
export type CommandRunner = (cmd: string, args: string[]) => string | null;

const runCommand: CommandRunner = (cmd, args) => {
  const r = spawnSync(cmd, args, { encoding: 'utf8', timeout: 5000 });
  return r.status === 0 ? r.stdout : null;
};

/**
 * Names of the NVIDIA GPUs the driver lists (`nvidia-smi`), e.g. `NVIDIA H100 80GB HBM3`, or
 * null when nvidia-smi is absent or fails. Only for the record: libtensorflow decides itself.
 */
export function nvidiaGpuNames(run: CommandRunner = runCommand): string[] | null {
  const out = run('nvidia-smi', ['--query-gpu=name', '--format=csv,noheader']);
  if (out === null) return null;
  const names = out
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);
  return names.length ? names : null;
}

/**
 * The device sentence of a `tensorflow-gpu` selection, when tfjs-node-gpu's backend runs on a
 * GPU; throws with the reason to skip it otherwise.
 * @param backend the backend tfjs-node-gpu registered as "tensorflow" (`tf.findBackend`)
 * @param options.gpuNames where GPU names come from (default: nvidia-smi)
 */
export function describeTensorflowGpu(
  backend: unknown,
  options: { gpuNames?: () => string[] | null } = {},
): string {
  if (backend === null || typeof backend !== 'object')
    throw new Error('@tensorflow/tfjs-node-gpu loaded but its "tensorflow" backend did not start');
  const flag = (backend as TfjsNodeDeviceInfo).isUsingGpuDevice;
  if (typeof flag !== 'boolean')
    throw new Error(
      'libtensorflow loaded but its backend does not report its device (no isUsingGpuDevice)',
    );
  if (!flag)
    throw new Error(
      'libtensorflow loaded but no GPU device visible (no CUDA device, or CUDA 11.2 / cuDNN 8.1 libraries not found)',
    );
  const names = (options.gpuNames ?? nvidiaGpuNames)();
  return `libtensorflow runs on a GPU${names ? ` (${names.join(', ')})` : ''}`;
}
