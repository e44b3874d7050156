// The embedding projector of a tracked run, with no option set (as `npm start`'s demo trains):
// the run stores projector.json once training ends; its labels and predictions are the run's
// stored evaluation's, sample for sample, and every method laid out every test sample; the
// PROJECTION handler reads the same images and labels back from the API.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createGraphqlClient,
  PROJECTOR_ARTIFACT,
  trainExperiment,
  type ProjectorIndex,
} from '@convscope/ml';
import { storedSplit } from '../../libs/ml/src/worker/handlers/projection';
import { startTestApi, type TestApi } from './test-api';

let t: TestApi;

beforeAll(async () => {
  t = await startTestApi('projector', { heartbeatTimeoutS: 30, reaperIntervalMs: 1000 });
});

afterAll(async () => {
  await t?.stop();
});

const u16 = (b64: string) => {
  const b = Buffer.from(b64, 'base64');
  return Array.from(new Uint16Array(b.buffer, b.byteOffset, b.byteLength / 2));
};

describe('projector of a tracked run', () => {
  it('is stored by default, with the evaluation’s labels and predictions', async () => {
    const result = await trainExperiment({
      preset: 'fmnist-cnn',
      epochs: 1,
      trainLimit: 256,
      testLimit: 120,
      apiUrl: t.base,
      project: 'projector',
      backend: 'wasm',
      heartbeatMs: 500,
      explanations: { samples: 0 },
      snapshots: false,
      layerStats: false,
    });
    const res = await fetch(`${t.base}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${t.key}` },
      body: JSON.stringify({
        query: `query($id: ID!) { run(id: $id) { status projector: artifact(name: "${PROJECTOR_ARTIFACT}") { url kind bytes } predictions(first: 120) { nodes { index label predicted } } } }`,
        variables: { id: result.runId },
      }),
    });
    const body = (await res.json()) as {
      errors?: unknown;
      data: {
        run: {
          status: string;
          projector: { url: string; kind: string; bytes: number } | null;
          predictions: { nodes: { index: number; label: number; predicted: number }[] };
        };
      };
    };
    expect(body.errors).toBeUndefined();
    const { data } = body;
    expect(data.run.status).toBe('COMPLETED');
    expect(data.run.projector).toMatchObject({ kind: 'projector' });
    const index = (await (
      await fetch(data.run.projector!.url, { headers: { authorization: `Bearer ${t.key}` } })
    ).json()) as ProjectorIndex;
    expect(index.count).toBe(120);
    expect(index.featureLayer).toBe('dropout'); // the input of the classifier, fmnist-cnn's dense head
    expect(index.layouts.map((l) => [l.method, l.points])).toEqual([
      ['pca', 120],
      ['umap', 120],
      ['tsne', 120],
    ]);
    expect(index.skipped).toEqual([]);
    const nodes = [...data.run.predictions.nodes].sort((a, b) => a.index - b.index);
    expect(u16(index.labels)).toEqual(nodes.map((n) => n.label));
    expect(u16(index.predicted)).toEqual(nodes.map((n) => n.predicted));

    // What the on-demand handler reads of the same run (its query within the API's limits).
    const split = await storedSplit(
      createGraphqlClient({ apiUrl: t.base, apiKey: t.key }),
      result.runId!,
    );
    expect(split.count).toBe(120);
    expect(split.shape).toEqual([28, 28, 1]);
    expect(Array.from(split.labels)).toEqual(nodes.map((n) => n.label));
  }, 300_000);
});
