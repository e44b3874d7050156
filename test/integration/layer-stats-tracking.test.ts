// Layer statistics of a real training run, on by default: the fmnist-cnn preset trained 3 epochs
// against the real API stores one histograms.e000N.json per epoch and the grad_norm/,
// weight_norm/ and dead_relu/ points at each epoch's step, agreeing with each other; the
// statistics' cost per epoch is printed (LAYER_STATS_COST) for the README.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { trainExperiment, type LayerStatsEpoch } from '@convscope/ml';
import { startTestApi, type TestApi } from './test-api';

let t: TestApi;

beforeAll(async () => {
  t = await startTestApi('layer-stats', { heartbeatTimeoutS: 10, reaperIntervalMs: 500 });
});

afterAll(async () => {
  await t?.stop();
});

interface RunQuery {
  run: {
    metricNames: string[];
    metrics: { name: string; points: { step: number; value: number }[] }[];
    artifacts: { nodes: { name: string; kind: string; bytes: number; url: string }[] };
  };
}

describe('layer statistics of a tracked run', () => {
  it('stores an artifact per epoch and the per-layer metrics at the epoch steps', async () => {
    const result = await trainExperiment({
      preset: 'fmnist-cnn',
      epochs: 3,
      trainLimit: 640,
      testLimit: 100,
      apiUrl: t.base,
      project: 'layer-stats',
      backend: 'wasm',
      heartbeatMs: 300,
      systemMetrics: false,
      explanations: { samples: 0 },
      snapshots: false, // its own test (training-snapshots.test.ts)
      projector: false, // its own test (projector-tracking.test.ts)
    });
    const { run } = await t.gql<RunQuery>(
      `query($id: ID!) { run(id: $id) { metricNames metrics(maxPoints: 10) { name points { step value } }
        artifacts(first: 50) { nodes { name kind bytes url } } } }`,
      { id: result.runId },
    );
    const files = run.artifacts.nodes.filter((a) => a.kind === 'layer-stats');
    expect(files.map((f) => f.name).sort()).toEqual([
      'histograms.e0001.json',
      'histograms.e0002.json',
      'histograms.e0003.json',
    ]);
    const layers = ['conv1', 'conv2', 'fc1', 'predictions'];
    expect(
      run.metricNames.filter((n) => /^(grad_norm|weight_norm|dead_relu)\//.test(n)).sort(),
    ).toEqual(
      [
        ...['conv1', 'conv2', 'fc1'].map((l) => `dead_relu/${l}`),
        ...layers.map((l) => `grad_norm/${l}`),
        ...layers.map((l) => `weight_norm/${l}`),
      ].sort(),
    );
    const series = (name: string) => run.metrics.find((m) => m.name === name)!.points;
    expect(series('grad_norm/fc1').map((p) => p.step)).toEqual([1, 2, 3]);
    const seconds: number[] = [];
    for (const f of files) {
      expect(f.bytes).toBeLessThan(64 * 1024);
      const res = await fetch(f.url, { headers: { authorization: `Bearer ${t.key}` } });
      const body = (await res.json()) as LayerStatsEpoch;
      seconds.push(body.seconds);
      expect(body.layers.map((l) => l.name)).toEqual(layers);
      expect(body.probe.size).toBe(32);
      for (const l of body.layers) {
        const point = series(`grad_norm/${l.name}`).find((p) => p.step === body.step)!;
        expect(point.value).toBeCloseTo(l.gradNorm!, 6);
        // Every value of the 401,408-weight fc1 kernel is counted once.
        for (const tensor of l.tensors)
          expect(tensor.counts.reduce((a, b) => a + b, 0)).toBe(tensor.count);
      }
    }
    console.log(
      `LAYER_STATS_COST ${JSON.stringify({ seconds, bytes: files.map((f) => f.bytes) })}`,
    );
  }, 240_000);
});
