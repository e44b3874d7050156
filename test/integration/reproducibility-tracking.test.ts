// A tracked training run records how it was made (Run.reproducibility), its resolved config as
// dotted hyperparameters and system/* metrics, against the real API.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FASHION_MNIST_FILES, FASHION_MNIST_SUBSET_DIR, trainExperiment } from '@convscope/ml';
import { startTestApi, type TestApi } from './test-api';

let t: TestApi;

beforeAll(async () => {
  t = await startTestApi('repro', { heartbeatTimeoutS: 30, reaperIntervalMs: 1000 });
});
afterAll(async () => {
  await t?.stop();
});

interface RunAnswer {
  run: {
    hyperparameters: Record<string, unknown>;
    metricNames: string[];
    reproducibility: {
      git: { commit: string; dirty: boolean } | null;
      command: string[];
      node: string;
      tfjs: string | null;
      backend: string | null;
      configFile: unknown;
      resolvedConfig: { training: { epochs: number } };
      dataset: { sha256: string; fileCount: number; files: { path: string }[] } | null;
    } | null;
  };
}

/** The fingerprint of the committed subset, computed here without libs/ml. */
async function subsetSha256(): Promise<string> {
  const h = createHash('sha256');
  for (const name of Object.values(FASHION_MNIST_FILES).sort()) {
    const bytes = await readFile(path.join(FASHION_MNIST_SUBSET_DIR, name));
    h.update(`${name}\u0000${bytes.length}\u0000`).update(bytes);
  }
  return h.digest('hex');
}

describe('reproducibility of a tracked run', () => {
  it('stores git, versions, the dataset fingerprint, dotted hyperparameters and system metrics', async () => {
    const result = await trainExperiment({
      preset: 'fmnist-cnn',
      epochs: 1,
      trainLimit: 128,
      testLimit: 50,
      apiUrl: t.base,
      project: 'repro',
      runName: 'repro-run',
      backend: 'wasm',
      heartbeatMs: 500,
      explanations: { samples: 0 },
      // Off: not what this test reads (each has its own test).
      snapshots: false,
      layerStats: false,
      projector: false,
      systemMetrics: { intervalMs: 200 },
    });
    const d = await t.gql<RunAnswer>(
      `query($id: ID!) { run(id: $id) { hyperparameters metricNames reproducibility {
        git { commit dirty } command node tfjs backend configFile { path } resolvedConfig
        dataset { sha256 fileCount files { path } } } } }`,
      { id: result.runId },
    );
    const r = d.run.reproducibility!;
    const head = execFileSync('git', ['rev-parse', 'HEAD']).toString().trim();
    expect(r.git?.commit).toBe(head);
    expect(typeof r.git?.dirty).toBe('boolean');
    expect(r.node).toBe(process.version);
    expect(r.tfjs).toBe('4.22.0');
    expect(r.backend).toBe('wasm');
    expect(r.configFile).toBeNull();
    expect(r.command).toEqual(process.argv);
    expect(r.resolvedConfig.training.epochs).toBe(1);
    expect(r.dataset?.sha256).toBe(await subsetSha256());
    expect(r.dataset?.files.map((f) => f.path)).toEqual(Object.values(FASHION_MNIST_FILES).sort());
    // The old keys stay; every resolved value joins them under a dotted key.
    expect(d.run.hyperparameters).toMatchObject({
      preset: 'fmnist-cnn',
      epochs: 1,
      'training.epochs': 1,
      'training.trainLimit': 128,
      'model.layers.0.type': 'conv2d',
      'data.source': 'fashion-mnist',
    });
    expect(d.run.metricNames).toContain('system/process_rss_mb');
    // The run is found by a short commit in the query language.
    const found = await t.gql<{ runs: { nodes: { id: string }[] } }>(
      `query($q: String) { runs(filter: { query: $q }) { nodes { id } } }`,
      { q: `git.commit = "${head.slice(0, 8)}" and hp."model.layers.0.type" = "conv2d"` },
    );
    expect(found.runs.nodes.map((n) => n.id)).toContain(result.runId);
  });
});
