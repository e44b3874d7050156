// Runs from any framework: the PyTorch example trains fmnist-cnn with Debian's python3-torch and
// logs through the Python client (clients/python) to a real API; what the API then serves is
// checked against the data files and the run's own numbers: metrics per epoch, an evaluation the
// API computed from the logged predictions, the test images as samples, the ONNX model
// registered. Also runs the client's unit tests and installs it with pip.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApi, type TestApi } from './test-api';

const PYTHON = '/usr/bin/python3';
const REPO = path.resolve(import.meta.dirname, '..', '..');
const SYSTEM_DATA = '/usr/share/datasets/fashion-mnist';
const DATA = fs.existsSync(SYSTEM_DATA)
  ? SYSTEM_DATA
  : path.join(REPO, 'libs', 'ml', 'data', 'fashion-mnist-subset');
const CLASS_NAMES = [
  'T-shirt/top',
  'Trouser',
  'Pullover',
  'Dress',
  'Coat',
  'Sandal',
  'Shirt',
  'Sneaker',
  'Bag',
  'Ankle boot',
];
const TEST_LIMIT = 200;

const hasTorch = spawnSync(PYTHON, ['-c', 'import torch'], { stdio: 'ignore' }).status === 0;
const hasPip = spawnSync(PYTHON, ['-m', 'pip', '--version'], { stdio: 'ignore' }).status === 0;
// CI has both (.ci/run installs python3-torch): there a missing one fails instead of skipping.
if (process.env.CI && !(hasTorch && hasPip))
  throw new Error(
    `CI needs ${PYTHON} with torch and pip (apt-get install python3-torch python3-pip)`,
  );
if (!hasTorch)
  console.warn(
    `python-client.test.ts: the PyTorch run is skipped: ${PYTHON} cannot import torch (apt-get install python3-torch)`,
  );

/** Runs a command to its end without blocking the event loop (the API answers in-process). */
function run(
  args: string[],
  env: Record<string, string>,
  cwd = REPO,
): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(PYTHON, args, { cwd, env: { ...process.env, ...env } });
    let out = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    child.stderr.on('data', (c: Buffer) => (out += c.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, out }));
  });
}

/** Bytes of an idx .gz file after its header. */
function idx(name: string, offset: number): Buffer {
  return gunzipSync(fs.readFileSync(path.join(DATA, name))).subarray(offset);
}

interface StoredRun {
  status: string;
  backend: string;
  metrics: { name: string; points: { step: number; value: number }[] }[];
  evaluation: {
    split: string;
    numSamples: number;
    accuracy: number;
    classNames: string[];
    confusionMatrix: number[][];
    perClass: { label: string; support: number; precision: number; recall: number }[];
  } | null;
  samples: { count: number; total: number; height: number; width: number; channels: number } | null;
  model: { format: string; artifactName: string; artifactUrl: string } | null;
}

describe.skipIf(!hasTorch)('a PyTorch run through the Python client', () => {
  let t: TestApi;
  let runId: string;
  let stored: StoredRun;

  beforeAll(async () => {
    t = await startTestApi('python', { heartbeatTimeoutS: 30, reaperIntervalMs: 1000 });
    const project = `py-${Date.now()}`;
    const result = await run(
      [
        'examples/pytorch/train_fmnist.py',
        ...['--limit', '2000', '--epochs', '2', '--test-limit', String(TEST_LIMIT)],
        ...['--project', project, '--data-dir', DATA],
      ],
      { CONVSCOPE_API_URL: t.base, CONVSCOPE_API_KEY: t.key },
    );
    expect(result.code, result.out).toBe(0);
    runId = /^run (\S+) /m.exec(result.out)?.[1] ?? '';
    expect(runId, result.out).not.toBe('');
    const data = await t.gql<{ run: StoredRun }>(
      `query($id: ID!) { run(id: $id) {
        status backend
        metrics(names: ["loss", "accuracy", "val_loss", "val_accuracy", "test_accuracy"]) { name points { step value } }
        evaluation { split numSamples accuracy classNames confusionMatrix perClass { label support precision recall } }
        samples { count total height width channels }
        model { format artifactName artifactUrl }
      } }`,
      { id: runId },
    );
    stored = data.run;
  }, 180_000);

  afterAll(async () => {
    await t?.stop();
  });

  it('completes with a point per epoch of every metric', () => {
    expect(stored.status).toBe('COMPLETED');
    expect(stored.backend).toBe('pytorch-cpu');
    const byName = new Map(stored.metrics.map((m) => [m.name, m.points]));
    for (const name of ['loss', 'accuracy', 'val_loss', 'val_accuracy']) {
      const points = byName.get(name) ?? [];
      expect(
        points.map((p) => p.step),
        name,
      ).toEqual([1, 2]);
      for (const p of points) expect(Number.isFinite(p.value)).toBe(true);
    }
    for (const p of byName.get('accuracy') ?? []) expect(p.value).toBeGreaterThan(0.1); // better than chance
    expect(byName.get('test_accuracy')?.[0]?.step).toBe(2);
  });

  it('stores an evaluation the API computed, per class for the 10 Fashion-MNIST names', () => {
    const ev = stored.evaluation;
    expect(ev).not.toBeNull();
    if (!ev) return;
    expect(ev.split).toBe('test');
    expect(ev.numSamples).toBe(TEST_LIMIT);
    expect(ev.classNames).toEqual(CLASS_NAMES);
    expect(ev.perClass.map((c) => c.label)).toEqual(CLASS_NAMES);
    // Supports are the label counts of the first TEST_LIMIT test labels in the data file.
    const labels = idx('t10k-labels-idx1-ubyte.gz', 8).subarray(0, TEST_LIMIT);
    const counts = CLASS_NAMES.map((_, c) => labels.filter((l) => l === c).length);
    expect(ev.perClass.map((c) => c.support)).toEqual(counts);
    expect(ev.confusionMatrix.map((row) => row.reduce((a, b) => a + b, 0))).toEqual(counts);
    const diagonal = ev.confusionMatrix.reduce((s, row, i) => s + (row[i] ?? 0), 0);
    expect(ev.accuracy).toBeCloseTo(diagonal / TEST_LIMIT, 12);
    // The stored test_accuracy metric (computed by PyTorch) is the same number.
    const testAcc = stored.metrics.find((m) => m.name === 'test_accuracy')?.points[0]?.value;
    expect(testAcc).toBeCloseTo(ev.accuracy, 9);
  });

  it('stores the evaluated test images as samples, byte for byte', async () => {
    expect(stored.samples).toEqual({
      count: TEST_LIMIT,
      total: TEST_LIMIT,
      height: 28,
      width: 28,
      channels: 1,
    });
    const res = await fetch(`${t.base}/runs/${runId}/artifacts/test-samples.bin`, {
      headers: { authorization: `Bearer ${t.key}` },
    });
    expect(res.status).toBe(200);
    const bytes = Buffer.from(await res.arrayBuffer());
    const images = idx('t10k-images-idx3-ubyte.gz', 16).subarray(0, TEST_LIMIT * 28 * 28);
    expect(bytes.equals(images)).toBe(true);
  });

  it('registers the exported ONNX model', async () => {
    expect(stored.model).toEqual({
      format: 'ONNX',
      artifactName: 'model.onnx',
      artifactUrl: `${t.base}/runs/${runId}/artifacts/model.onnx`,
    });
    const res = await fetch(stored.model?.artifactUrl ?? '', {
      headers: { authorization: `Bearer ${t.key}` },
    });
    const head = new Uint8Array(await res.arrayBuffer()).subarray(0, 1);
    expect(head[0]).toBe(0x08); // ModelProto field 1 (ir_version)
  });
});

describe('the Python client package', () => {
  it('passes its unit tests (standard library only, against a stub API)', async () => {
    const result = await run(['-m', 'unittest', 'discover', 'clients/python/tests'], {});
    expect(result.code, result.out).toBe(0);
    expect(result.out).toMatch(/Ran \d+ tests/);
  });

  it.skipIf(!hasPip)('installs with pip from its folder, offline, and imports', async () => {
    // A copy, so pip's build folders never land in the repository.
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'convscope-pip-'));
    try {
      const src = path.join(tmp, 'src');
      fs.cpSync(path.join(REPO, 'clients', 'python'), src, {
        recursive: true,
        filter: (f) => !/(build|\.egg-info|__pycache__)$/.test(f),
      });
      const target = path.join(tmp, 'site');
      const pip = ['-m', 'pip', 'install', '--no-deps', '--no-index', '--no-build-isolation'];
      const installed = await run([...pip, '--target', target, src], {});
      expect(installed.code, installed.out).toBe(0);
      const check = await run(
        [
          '-c',
          'import convscope, os; print(os.path.dirname(convscope.__file__), callable(convscope.init))',
        ],
        { PYTHONPATH: target },
        tmp,
      );
      expect(check.code, check.out).toBe(0);
      expect(check.out.trim()).toBe(`${path.join(target, 'convscope')} True`);
    } finally {
      fs.rmSync(tmp, { recursive: true, force: true });
    }
  });
});
