import * as tf from '@tensorflow/tfjs';

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

// Imported by name at run time so that neither package is ever a hard dependency:
// their install downloads libtensorflow, which fails on many machines.
async function tryTfjsNode(
  pkg: '@tensorflow/tfjs-node-gpu' | '@tensorflow/tfjs-node',
): Promise<void> {
  await import(/* @vite-ignore */ pkg);
  if (!tf.findBackend('tensorflow'))
    throw new Error(`${pkg} loaded but registered no "tensorflow" backend`);
  if (!(await tf.setBackend('tensorflow'))) throw new Error('tf.setBackend("tensorflow") failed');
  // Both packages register a backend named "tensorflow"; make sure ours is the one with a GPU if asked.
  if (pkg === '@tensorflow/tfjs-node-gpu' && !tf.env().getBool('IS_NODE'))
    throw new Error('not running in Node');
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

const ATTEMPTS: Record<BackendChoice, () => Promise<void>> = {
  'tensorflow-gpu': () => tryTfjsNode('@tensorflow/tfjs-node-gpu'),
  tensorflow: () => tryTfjsNode('@tensorflow/tfjs-node'),
  onednn: tryOnednn,
  wasm: tryWasm,
  cpu: tryCpu,
};

const REASONS: Record<BackendChoice, string> = {
  'tensorflow-gpu': '@tensorflow/tfjs-node-gpu is installed and loads (libtensorflow with CUDA)',
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
 */
export async function selectBackend(
  options: { requested?: string } = {},
): Promise<BackendSelection> {
  const { requested } = options;
  if (requested) {
    if (!(BACKEND_PREFERENCE as readonly string[]).includes(requested)) {
      throw new BackendUnavailableError(
        requested,
        `unknown backend; choose one of ${BACKEND_PREFERENCE.join(', ')}`,
      );
    }
    const name = requested as BackendChoice;
    try {
      await ATTEMPTS[name]();
    } catch (err) {
      throw new BackendUnavailableError(name, short(err));
    }
    return { backend: name, reason: `requested with --backend (${REASONS[name]})`, skipped: [] };
  }
  const skipped: BackendSelection['skipped'] = [];
  for (const name of BACKEND_PREFERENCE) {
    try {
      await ATTEMPTS[name]();
      const why = skipped.length
        ? `; skipped ${skipped.map((s) => `${s.backend} (${s.why})`).join(', ')}`
        : '';
      return { backend: name, reason: `${REASONS[name]}${why}`, skipped };
    } catch (err) {
      skipped.push({ backend: name, why: short(err) });
    }
  }
  throw new Error(
    `no TF.js backend could be activated: ${skipped.map((s) => `${s.backend}: ${s.why}`).join('; ')}`,
  );
}
