// Training snapshots of a tracked run, with no option set (as `npm start`'s demo trains): the run
// stores the probes, one snapshot per epoch, the final one and the index; the final snapshot's
// Grad-CAM of a probe that the explanation pack also explained is the pack's stored PNG.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import sharp from 'sharp';
import {
  EXPLANATION_INDEX_NAME,
  SNAPSHOT_INDEX_NAME,
  SNAPSHOT_PROBES_NAME,
  trainExperiment,
  type ExplanationIndex,
  type SnapshotFile,
  type SnapshotIndex,
  type SnapshotProbesFile,
} from '@convscope/ml';
import { startTestApi, type TestApi } from './test-api';

let t: TestApi;

beforeAll(async () => {
  t = await startTestApi('snapshots', { heartbeatTimeoutS: 30, reaperIntervalMs: 1000 });
});

afterAll(async () => {
  await t?.stop();
});

const auth = (): RequestInit => ({ headers: { authorization: `Bearer ${t.key}` } });
const getJson = async <T>(url: string): Promise<T> =>
  (await (await fetch(url, auth())).json()) as T;

describe('training snapshots', () => {
  it('are stored by default: per epoch, final, index; the final CAMs are the pack maps', async () => {
    const result = await trainExperiment({
      preset: 'fmnist-cnn',
      epochs: 2,
      trainLimit: 256,
      testLimit: 60,
      apiUrl: t.base,
      project: 'snapshots',
      backend: 'wasm',
      heartbeatMs: 500,
      // Every test sample in the pack, Grad-CAM only: each probe has its pack map.
      explanations: {
        samples: 60,
        camMethods: ['gradcam'],
        filterChannels: 0,
        saliencySamples: 0,
        limeSamples: 0,
        gridChannels: 4,
      },
      layerStats: false, // its own test (layer-stats-tracking.test.ts)
      projector: false, // its own test (projector-tracking.test.ts)
    });
    const res = await fetch(`${t.base}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${t.key}` },
      body: JSON.stringify({
        query: `query($id: ID!, $artifactsFirst: Int = 1000) { run(id: $id) { status artifacts(first: $artifactsFirst) { nodes { name kind bytes url } } } }`,
        variables: { id: result.runId },
      }),
    });
    const { data } = (await res.json()) as {
      data: {
        run: {
          status: string;
          artifacts: { nodes: { name: string; kind: string; bytes: number; url: string }[] };
        };
      };
    };
    expect(data.run.status).toBe('COMPLETED');
    const byName = new Map(data.run.artifacts.nodes.map((a) => [a.name, a]));
    const index = await getJson<SnapshotIndex>(byName.get(SNAPSHOT_INDEX_NAME)!.url);
    expect(index.snapshots.map((s) => [s.name, s.epoch, s.final])).toEqual([
      ['snapshot.e0001.json', 1, false],
      ['snapshot.e0002.json', 2, false],
      ['snapshot.final.json', 2, true],
    ]);
    expect(index.skipped).toEqual([]);
    for (const s of index.snapshots) {
      expect(byName.get(s.name)?.kind).toBe('snapshot');
      expect(byName.get(s.name)?.bytes).toBe(s.bytes);
      expect(s.bytes).toBeLessThan(100_000);
    }
    const probes = await getJson<SnapshotProbesFile>(byName.get(SNAPSHOT_PROBES_NAME)!.url);
    expect(probes.probes.map((p) => p.label)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);

    const final = await getJson<SnapshotFile>(byName.get('snapshot.final.json')!.url);
    const pack = await getJson<ExplanationIndex>(byName.get(EXPLANATION_INDEX_NAME)!.url);
    expect(final.cams?.layer).toBe(pack.camLayer);
    expect(final.filters?.layer).toBe('conv1');
    expect(final.layers?.map((l) => l.layer)).toEqual(pack.layers.map((l) => l.path));
    let compared = 0;
    for (const [i, p] of final.predictions.entries()) {
      const name = `explain.s${p.index}.cam.gradcam.c${p.label}.png`;
      const stored = byName.get(name);
      if (!stored) continue; // left out of the pack by its byte budget
      const png = await sharp(Buffer.from(await (await fetch(stored.url, auth())).arrayBuffer()))
        .extractChannel(0)
        .raw()
        .toBuffer();
      expect(Array.from(Buffer.from(final.cams!.true[i]!, 'base64')), name).toEqual(
        Array.from(png),
      );
      compared++;
    }
    expect(compared).toBeGreaterThanOrEqual(5);
  });
});
