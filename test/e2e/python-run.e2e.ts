// Runs from any framework in the dashboard: a run logged by the Python client (clients/python,
// as examples/pytorch/train_fmnist.py logs one) next to the seeded TF.js run of the same
// architecture. The API computed the Python run's evaluation from its predictions; the compare
// page shows both with per-class deltas, the Python run's page shows its evaluation and sample
// gallery, and its explanations page says which methods need a TF.js model.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { expect, shot, test } from './fixtures';
import { apiGql } from './fixtures/auth';
import {
  DATASET_INFO,
  EVAL_SAMPLES,
  epochPoints,
  evaluationFixture,
  sampleImages,
} from './fixtures/dashboard-data';

const REPO = path.resolve(import.meta.dirname, '..', '..');

/**
 * The seeded TF.js evaluation's confusion matrix with Pullover better (recall 15 → 18 of 20) and
 * Shirt worse (13 → 11 of 20): deltas +0.150 and −0.100 against the TF.js run. 173 of 200 right.
 */
function pythonConfusion(): number[][] {
  return evaluationFixture().report.confusionMatrix.map((row, i) =>
    i === 2 ? [0, 0, 18, 0, 1, 0, 1, 0, 0, 0] : i === 6 ? [4, 0, 3, 0, 1, 0, 11, 0, 1, 0] : row,
  );
}

// Logs a run through the Python client from what stdin holds; prints its id and accuracy.
const CLIENT_SCRIPT = `
import json, os, sys, tempfile
sys.path.insert(0, os.path.join(os.getcwd(), "clients", "python"))
import convscope
d = json.load(sys.stdin)
raw = bytes.fromhex(d["imagesHex"])
images = [[[raw[k * 784 + y * 28 + x] for x in range(28)] for y in range(28)] for k in range(len(d["labels"]))]
with convscope.init(project="fashion-pytorch", config=d["config"], name="pytorch-small-cnn",
                    tags=["pytorch"], backend="pytorch-cpu", dataset_info=d["datasetInfo"]) as run:
    for p in d["points"]:
        run.log({p["name"]: p["value"]}, step=p["step"])
    ev = run.log_predictions(d["labels"], d["probabilities"], d["datasetInfo"]["classNames"], images=images)
    with tempfile.TemporaryDirectory() as tmp:
        model = os.path.join(tmp, "model.onnx")
        with open(model, "wb") as f:
            f.write(bytes([0x08, 0x07, 0x12, 0x07]) + b"pytorch")
        run.log_artifact(model, kind="model")
        run.register_model("model.onnx", format="ONNX")
print(json.dumps({"id": run.id, "accuracy": ev["accuracy"]}))
`;

/** Runs the client script against the test's API; resolves with the run id. */
function logPythonRun(api: { origin: string; localKey: string }): Promise<string> {
  const { labels, probabilities } = evaluationFixture(pythonConfusion(), 'unused');
  const points = [];
  for (let e = 1; e <= 8; e++) points.push(...epochPoints(e));
  const input = JSON.stringify({
    config: {
      preset: 'small-cnn',
      framework: 'pytorch',
      epochs: 8,
      batchSize: 64,
      learningRate: 0.001,
      optimizer: 'adam',
      seed: 1,
    },
    datasetInfo: DATASET_INFO,
    points,
    labels,
    probabilities,
    imagesHex: Buffer.from(sampleImages(labels)).toString('hex'),
  });
  return new Promise((resolve, reject) => {
    const child = spawn('python3', ['-c', CLIENT_SCRIPT], {
      cwd: REPO,
      env: { ...process.env, CONVSCOPE_API_URL: api.origin, CONVSCOPE_API_KEY: api.localKey },
    });
    let out = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    child.stderr.on('data', (c: Buffer) => (out += c.toString()));
    child.on('error', reject);
    child.stdin.end(input);
    child.on('close', (code) => {
      const last = out.trim().split('\n').at(-1) ?? '';
      if (code !== 0) return reject(new Error(`python client exited ${code}: ${out}`));
      const { id, accuracy } = JSON.parse(last) as { id: string; accuracy: number };
      if (accuracy !== 173 / EVAL_SAMPLES)
        reject(new Error(`accuracy ${accuracy}, expected 0.865`));
      resolve(id);
    });
  });
}

test('a Python run next to a TF.js run: compare, evaluation, samples, explanations', async ({
  ownerPage: page,
  api,
  seeded,
}, testInfo) => {
  const pythonRun = await logPythonRun(api);

  // Compare: both runs, per-class deltas of the Python run against the TF.js one.
  await page.goto(`/compare?runs=${seeded.completed},${pythonRun}`);
  const headers = page.locator('[data-testid="compare-runs"] .compare-run');
  await expect(headers, 'two run headers').toHaveCount(2);
  await expect(page.locator('[data-testid="compare-runs"]')).toContainText('fashion-pytorch');
  await expect(page.locator('[data-testid="compare-runs"]')).toContainText('pytorch-small-cnn');
  const tiles = page.locator('[data-testid="class-tile"]');
  await expect(tiles, 'two class tiles').toHaveCount(2);
  const delta = (cls: string, metric: string) =>
    tiles
      .nth(1)
      .locator(`tr[data-class="${cls}"] td[data-metric="${metric}"] [data-testid="class-delta"]`);
  await expect(delta('Pullover', 'recall')).toHaveText('+0.150');
  await expect(delta('Pullover', 'recall')).toHaveClass(/better/);
  await expect(delta('Shirt', 'recall')).toHaveText('−0.100');
  await expect(delta('Shirt', 'recall')).toHaveClass(/worse/);
  await page.mouse.move(0, 0);
  await shot(page, testInfo, 'python-compare');

  // The Python run's page: the evaluation the API computed, its sample gallery, the model note.
  await page.goto(`/runs/${pythonRun}`);
  await expect(page.locator('[data-testid="evaluation"]')).toBeVisible();
  const gallery = page.locator('[data-testid="misclassified"][data-total="27"]');
  await expect(gallery.locator('[data-testid="mistake-tile"]')).toHaveCount(24); // the first page
  await gallery.scrollIntoViewIfNeeded(); // the images load lazily
  await expect
    .poll(() =>
      gallery
        .locator('img')
        .evaluateAll((els) =>
          (els as HTMLImageElement[]).every((img) => img.complete && img.naturalWidth > 0),
        ),
    )
    .toBe(true);
  const note = page.locator('[data-testid="tfjs-model-required"]');
  await expect(note).toHaveAttribute('data-model-format', 'ONNX');
  await expect(note).toContainText('Grad-CAM');

  // Explanations: which methods need TF.js, instead of a failure or the pack hint.
  await page.goto(`/runs/${pythonRun}/explain`);
  const explain = page.locator('[data-testid="tfjs-model-required"]');
  await expect(explain).toContainText('Explanations need a TF.js model');
  for (const method of ['Grad-CAM', 'saliency maps', 'LIME', 'layer activations', 'filters'])
    await expect(explain).toContainText(method);
  await expect(explain).toContainText("This run's model is ONNX (model.onnx)");
  await shot(page, testInfo, 'python-explain');
});

const PYTHON = '/usr/bin/python3';
const hasTorch = spawnSync(PYTHON, ['-c', 'import torch'], { stdio: 'ignore' }).status === 0;
const SYSTEM_DATA = '/usr/share/datasets/fashion-mnist';

/** Trains the PyTorch example on a small slice against the test's API; resolves with its run id. */
function trainPytorchExample(api: { origin: string; localKey: string }): Promise<string> {
  const data = fs.existsSync(SYSTEM_DATA)
    ? SYSTEM_DATA
    : path.join(REPO, 'libs', 'ml', 'data', 'fashion-mnist-subset');
  const args = ['examples/pytorch/train_fmnist.py', '--limit', '1000', '--epochs', '1'];
  args.push('--test-limit', '200', '--project', 'fashion-pytorch', '--data-dir', data);
  return new Promise((resolve, reject) => {
    const child = spawn(PYTHON, args, {
      cwd: REPO,
      env: { ...process.env, CONVSCOPE_API_URL: api.origin, CONVSCOPE_API_KEY: api.localKey },
    });
    let out = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    child.stderr.on('data', (c: Buffer) => (out += c.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      const id = /run ([a-z0-9]{20,})/i.exec(out)?.[1];
      if (code !== 0 || !id) reject(new Error(`train_fmnist.py exited ${code}: ${out}`));
      else resolve(id);
    });
  });
}

type ClassRecall = { label: string; recall: number };

async function recalls(api: Parameters<typeof apiGql>[0], id: string): Promise<ClassRecall[]> {
  const answer = await apiGql(
    api,
    'query($id: ID!) { run(id: $id) { evaluation { perClass { label recall } } } }',
    {
      variables: { id },
    },
  );
  const run = answer.data?.run as { evaluation: { perClass: ClassRecall[] } | null } | undefined;
  if (!run?.evaluation) throw new Error(`run ${id} has no evaluation: ${JSON.stringify(answer)}`);
  return run.evaluation.perClass;
}

test('the PyTorch example, trained for real, beside the TF.js run with per-class deltas', async ({
  ownerPage: page,
  api,
  seeded,
}, testInfo) => {
  // CI installs python3-torch; elsewhere the test says what it needs.
  test.skip(
    !hasTorch && !process.env.CI,
    `${PYTHON} cannot import torch (apt-get install python3-torch)`,
  );
  test.setTimeout(180_000);
  const pythonRun = await trainPytorchExample(api);
  const base = await recalls(api, seeded.completed);
  const py = new Map((await recalls(api, pythonRun)).map((c) => [c.label, c.recall]));

  await page.goto(`/compare?runs=${seeded.completed},${pythonRun}`);
  const tiles = page.locator('[data-testid="class-tile"]');
  await expect(tiles, 'two class tiles').toHaveCount(2);
  await expect(page.locator('[data-testid="compare-runs"]')).toContainText('fashion-pytorch');
  // Every class the runs share: the delta the page shows is the PyTorch run's recall minus the
  // TF.js run's, as the API stored them (a shown delta only where they differ by 0.0005 or more).
  let shown = 0;
  for (const { label, recall } of base) {
    const other = py.get(label);
    expect(other, `the PyTorch run has class ${label}`).toBeDefined();
    const expected = (other ?? 0) - recall;
    const cell = tiles.nth(1).locator(`tr[data-class="${label}"] td[data-metric="recall"]`);
    const delta = cell.locator('[data-testid="class-delta"]');
    if (Math.abs(expected) < 0.0005) continue;
    await expect(delta).toHaveClass(expected > 0 ? /better/ : /worse/);
    expect(Number(await delta.getAttribute('data-delta'))).toBeCloseTo(expected, 9);
    shown++;
  }
  expect(shown, 'at least one class differs between the two runs').toBeGreaterThan(0);
  await shot(page, testInfo, 'pytorch-example-compare');
});
