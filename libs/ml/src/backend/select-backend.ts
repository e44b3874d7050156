import * as tf from '@tensorflow/tfjs';
import { describeTensorflowGpu } from './gpu-probe';

/** Backends the product can train on, in order of preference. */
export const BACKEND_PREFERENCE = [
  'tensorflow-gpu',
  'tensorflow',
  'onednn',
  'wasm',
  'cpu',
] as const;

/** A backend name as accepted by `--backend`. */
export type BackendChoice = (typeof BACKEND_PREFERENCE)[number];

/** The outcome of backend selection, recorded on the run. */
export interface BackendSelection {
  /** Name of the active TF.js backend, e.g. `wasm`. */
  backend: BackendChoice;
  /** Why this backend was chosen, in one sentence (shown in the dashboard). */
  reason: string;
  /** Backends tried before it and why they were not used. */
  skipped: { backend: BackendChoice; why: string }[];
}

/** Raised when `--backend` names a backend that cannot be used on this machine. */
export class BackendUnavailableError extends Error {
  constructor(backend: string, why: string) {
    super(`backend "${backend}" is not available: ${why}`);
    this.name = 'BackendUnavailableError';
  }
}

/** Imports an optional package by name (tests inject a fake). */
export type PackageImporter = (pkg: string) => Promise<unknown>;

/** How selection reaches what it cannot assume is installed (tests inject fakes). */
export interface BackendProbes {
  /** Imports `@tensorflow/tfjs-node(-gpu)`; default: a dynamic `import()`. */
  importPackage?: PackageImporter;
  /** GPU names for the record; default: nvidia-smi. */
  gpuNames?: () => string[] | null;
}

// Imported by name at run time so that neither package is ever a hard dependency:
// their install downloads libtensorflow, which fails on many machines.
const importByName: PackageImporter = (pkg) => import(/* @vite-ignore */ pkg);

async function tryTfjsNode(
  pkg: '@tensorflow/tfjs-node-gpu' | '@tensorflow/tfjs-node',
  probes: BackendProbes,
): Promise<string | void> {
  await (probes.importPackage ?? importByName)(pkg);
  // findBackend starts the backend (libtensorflow lists its devices) without activating it,
  // so a GPU package running on the CPU is skipped before it becomes the active backend.
  const backend = tf.findBackend('tensorflow');
  if (!backend) throw new Error(`${pkg} loaded but registered no "tensorflow" backend`);
  const gpu =
    pkg === '@tensorflow/tfjs-node-gpu'
      ? describeTensorflowGpu(backend, { gpuNames: probes.gpuNames })
      : undefined;
  if (!(await tf.setBackend('tensorflow'))) throw new Error('tf.setBackend("tensorflow") failed');
  return gpu ? `@tensorflow/tfjs-node-gpu is installed and ${gpu}` : undefined;
}

async function tryWasm(): Promise<void> {
  const { initWasmBackend } = await import('./wasm-setup');
  await initWasmBackend();
  // initWasmBackend activates 'wasm' only on its first call; after 'onednn' (which initialises
  // wasm underneath) or any other backend, switch explicitly.
  if (tf.getBackend() !== 'wasm' && !(await tf.setBackend('wasm')))
    throw new Error('tf.setBackend("wasm") failed');
}

// Only when the optional native addon (libs/ml/native) is built; otherwise it throws with
// build instructions and selection goes on to 'wasm' exactly as before.
async function tryOnednn(): Promise<void> {
  const { initOnednnBackend } = await import('./onednn/setup');
  await initOnednnBackend();
}

async function tryCpu(): Promise<void> {
  if (!(await tf.setBackend('cpu'))) throw new Error('tf.setBackend("cpu") failed');
}

/** Activates one backend; may return a sentence that replaces its default reason. */
type Attempt = (probes: BackendProbes) => Promise<string | void>;

const ATTEMPTS: Record<BackendChoice, Attempt> = {
  'tensorflow-gpu': (probes) => tryTfjsNode('@tensorflow/tfjs-node-gpu', probes),
  tensorflow: (probes) => tryTfjsNode('@tensorflow/tfjs-node', probes),
  onednn: tryOnednn,
  wasm: tryWasm,
  cpu: tryCpu,
};

const REASONS: Record<BackendChoice, string> = {
  'tensorflow-gpu': '@tensorflow/tfjs-node-gpu is installed and libtensorflow runs on a GPU',
  tensorflow: '@tensorflow/tfjs-node is installed and loads (native libtensorflow)',
  onednn:
    'WebAssembly backend with convolutions, pooling and matmuls on native oneDNN (the libs/ml/native addon is built)',
  wasm: "portable WebAssembly backend with the project's training kernels (no native TensorFlow available)",
  cpu: 'plain JavaScript fallback (slow)',
};

function short(err: unknown): string {
  const msg = err instanceof Error ? err.message : String(err);
  if (/Cannot find (package|module)/.test(msg)) return 'not installed';
  return (msg.split('\n')[0] ?? '').slice(0, 200);
}

/**
 * Activates the best available TF.js backend, or the requested one.
 * @param options.requested a backend name from `--backend`; when set, nothing else is tried and
 *   an unavailable backend is an error that says why
 * @param options.probes how optional packages are reached (tests inject fakes)
 */
export async function selectBackend(
  options: { requested?: string; probes?: BackendProbes } = {},
): Promise<BackendSelection> {
  const { requested, probes = {} } = options;
  if (requested) {
    if (!(BACKEND_PREFERENCE as readonly string[]).includes(requested)) {
      throw new BackendUnavailableError(
        requested,
        `unknown backend; choose one of ${BACKEND_PREFERENCE.join(', ')}`,
      );
    }
    const name = requested as BackendChoice;
    let detail: string | void;
    try {
      detail = await ATTEMPTS[name](probes);
    } catch (err) {
      throw new BackendUnavailableError(name, short(err));
    }
    return {
      backend: name,
      reason: `requested with --backend (${detail ?? REASONS[name]})`,
      skipped: [],
    };
  }
  const skipped: BackendSelection['skipped'] = [];
  for (const name of BACKEND_PREFERENCE) {
    try {
      const detail = await ATTEMPTS[name](probes);
      const why = skipped.length
        ? `; skipped ${skipped.map((s) => `${s.backend} (${s.why})`).join(', ')}`
        : '';
      return { backend: name, reason: `${detail ?? REASONS[name]}${why}`, skipped };
    } catch (err) {
      skipped.push({ backend: name, why: short(err) });
    }
  }
  throw new Error(
    `no TF.js backend could be activated: ${skipped.map((s) => `${s.backend}: ${s.why}`).join('; ')}`,
  );
}
