// 'tensorflow-gpu' is chosen only when tfjs-node-gpu's backend reports a GPU device in use. The
// package is not installable here (its install downloads libtensorflow), so a fake import
// registers a stand-in "tensorflow" backend: a CPU backend carrying the isUsingGpuDevice flag
// that tfjs-node 4.x's NodeJSKernelBackend sets from its binding.
import * as tf from '@tensorflow/tfjs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { describeTensorflowGpu, nvidiaGpuNames } from './gpu-probe';
import { BackendUnavailableError, selectBackend, type BackendProbes } from './select-backend';

/** A fake `import()` of tfjs-node-gpu that registers a backend with the given device flag. */
function fakeTfjsNodeGpu(isUsingGpuDevice: unknown): BackendProbes {
  return {
    importPackage: async (pkg) => {
      if (pkg !== '@tensorflow/tfjs-node-gpu') throw new Error(`Cannot find package '${pkg}'`);
      tf.registerBackend('tensorflow', () => {
        const cpu = tf.findBackend('cpu');
        const backend = new (cpu.constructor as new () => tf.KernelBackend)();
        return Object.assign(backend, { isUsingGpuDevice });
      });
    },
    gpuNames: () => ['NVIDIA H100 80GB HBM3'],
  };
}

let tensorsBefore = 0;
beforeEach(async () => {
  await tf.setBackend('cpu');
  tensorsBefore = tf.memory().numTensors;
});
afterEach(async () => {
  await tf.setBackend('cpu');
  if (tf.engine().registryFactory.tensorflow) tf.removeBackend('tensorflow');
  expect(tf.memory().numTensors).toBe(tensorsBefore);
});

describe('tensorflow-gpu selection', () => {
  it('is chosen when libtensorflow reports a GPU device, with its name', async () => {
    const sel = await selectBackend({ requested: 'tensorflow-gpu', probes: fakeTfjsNodeGpu(true) });
    expect(sel.backend).toBe('tensorflow-gpu');
    expect(sel.reason).toContain('libtensorflow runs on a GPU (NVIDIA H100 80GB HBM3)');
    expect(tf.getBackend()).toBe('tensorflow');
  });

  it('is refused when libtensorflow runs on the CPU, and the active backend stays', async () => {
    const attempt = selectBackend({ requested: 'tensorflow-gpu', probes: fakeTfjsNodeGpu(false) });
    await expect(attempt).rejects.toBeInstanceOf(BackendUnavailableError);
    await expect(attempt).rejects.toThrow(/no GPU device visible/);
    expect(tf.getBackend()).toBe('cpu');
  });

  it('is skipped with its reason when choosing automatically', async () => {
    const sel = await selectBackend({ probes: fakeTfjsNodeGpu(false) });
    expect(sel.backend).not.toMatch(/^tensorflow/);
    expect(sel.skipped.slice(0, 2)).toEqual([
      {
        backend: 'tensorflow-gpu',
        why: expect.stringContaining('libtensorflow loaded but no GPU device visible'),
      },
      { backend: 'tensorflow', why: 'not installed' },
    ]);
    expect(sel.reason).toContain('skipped tensorflow-gpu (libtensorflow loaded but no GPU');
  });
});

describe('describeTensorflowGpu', () => {
  it('needs the backend to say which device it uses', () => {
    expect(() => describeTensorflowGpu({})).toThrow(/does not report its device/);
    expect(() => describeTensorflowGpu(null)).toThrow(/did not start/);
    expect(describeTensorflowGpu({ isUsingGpuDevice: true }, { gpuNames: () => null })).toBe(
      'libtensorflow runs on a GPU',
    );
  });

  it("reads GPU names from nvidia-smi's CSV, or none", () => {
    expect(nvidiaGpuNames(() => 'NVIDIA H100 80GB HBM3\nNVIDIA A10\n')).toEqual([
      'NVIDIA H100 80GB HBM3',
      'NVIDIA A10',
    ]);
    expect(nvidiaGpuNames(() => null)).toBeNull();
    expect(nvidiaGpuNames(() => '\n')).toBeNull();
  });
});
