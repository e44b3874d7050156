// The PROJECTION handler on a fake API: reads the stored test images and the predictions export,
// projects them with the run's model and uploads projector.json; its query is valid against the
// API's schema; a run without stored images fails with a message saying so.
import { readFileSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs';
import { buildSchema, parse, validate } from 'graphql';
import { describe, expect, it } from 'vitest';
import type { GraphqlClient } from '../../tracking/graphql-client';
import { createRng } from '../../util/rng';
import { PROJECTION_RUN_QUERY, projectionHandler, storedSplit } from './projection';
import type { ClaimedJob, JobContext } from './types';

const SHAPE: [number, number, number] = [6, 6, 1];
const COUNT = 40;

function tinyModel(): tf.LayersModel {
  const init = (seed: number) => tf.initializers.glorotUniform({ seed });
  const m = tf.sequential();
  m.add(tf.layers.flatten({ inputShape: SHAPE }));
  m.add(tf.layers.dense({ units: 6, activation: 'relu', kernelInitializer: init(1) }));
  m.add(tf.layers.dense({ units: 3, activation: 'softmax', kernelInitializer: init(2) }));
  return m;
}

/** A fake API: the run's samples, the predictions export, artifact uploads recorded. */
function fakeClient(options: { samples: boolean }) {
  const rng = createRng(3);
  const images = Uint8Array.from({ length: COUNT * 36 }, () => Math.floor(rng() * 256));
  const uploads: { path: string; body: Uint8Array }[] = [];
  const client = {
    baseUrl: 'http://api.test',
    request: (doc: { toString(): string }) =>
      Promise.resolve(
        doc.toString().includes('ProjectionRun')
          ? {
              run: {
                id: 'r1',
                samples: options.samples
                  ? { count: COUNT, height: 6, width: 6, channels: 1 }
                  : null,
                testSamples: options.samples
                  ? { url: 'http://api.test/runs/r1/artifacts/test-samples.bin' }
                  : null,
              },
            }
          : { run: { id: 'r1', name: 'run one' } }, // RunTracker.attach
      ),
    http: async (path: string, init?: { method?: string; body?: () => Blob }) => {
      if (init?.method === 'PUT') {
        uploads.push({ path, body: new Uint8Array(await init.body!().arrayBuffer()) });
        return new Response(
          JSON.stringify({
            artifact: {
              name: 'projector.json',
              kind: 'projector',
              sha256: 'ab',
              bytes: 1,
              url: '/x',
            },
          }),
          { status: 201 },
        );
      }
      if (path.endsWith('/export/predictions.json'))
        return new Response(
          JSON.stringify({
            // Out of order, as any export may be: the handler keys labels by index.
            predictions: Array.from({ length: COUNT }, (_, k) => COUNT - 1 - k).map((i) => ({
              index: i,
              label: i % 3,
            })),
          }),
          { status: 200 },
        );
      return new Response(images, { status: 200 });
    },
  };
  return { client: client as unknown as GraphqlClient, uploads, images };
}

describe('PROJECTION handler', () => {
  it('its query is valid against the API schema', () => {
    const schema = buildSchema(
      readFileSync(new URL('../../../../../apps/api/schema.graphql', import.meta.url), 'utf8'),
    );
    expect(validate(schema, parse(PROJECTION_RUN_QUERY.toString())).map((e) => e.message)).toEqual(
      [],
    );
  });

  it('reads the stored images and their labels by sample index', async () => {
    const { client, images } = fakeClient({ samples: true });
    const split = await storedSplit(client, 'r1');
    expect(split.count).toBe(COUNT);
    expect(split.shape).toEqual(SHAPE);
    expect(Array.from(split.labels)).toEqual(Array.from({ length: COUNT }, (_, i) => i % 3));
    expect(Array.from(split.images)).toEqual(Array.from(images));
  });

  it('computes and uploads projector.json, without keeping tensors', async () => {
    const { client, uploads } = fakeClient({ samples: true });
    const model = tinyModel();
    const context: JobContext = {
      client,
      model: () => Promise.resolve({ key: 'k', model, classNames: ['a', 'b', 'c'] }),
      log: () => undefined,
    };
    const job = { id: 'j1', runId: 'r1', kind: 'PROJECTION', params: {} } as unknown as ClaimedJob;
    await projectionHandler.handle(job, context); // warms the cached flat model
    const before = tf.memory().numTensors;
    const out = await projectionHandler.handle(job, context);
    expect(tf.memory().numTensors).toBe(before);
    expect(out.result).toMatchObject({
      artifacts: ['projector.json'],
      count: COUNT,
      methods: ['pca', 'umap', 'tsne'],
    });
    const last = uploads[uploads.length - 1]!;
    expect(last.path).toMatch(/^\/runs\/r1\/artifacts\/projector\.json\?kind=projector/);
    const index = JSON.parse(new TextDecoder().decode(last.body)) as {
      count: number;
      classNames: string[];
    };
    expect(index.count).toBe(COUNT);
    expect(index.classNames).toEqual(['a', 'b', 'c']);
    model.dispose();
  });

  it('fails a run without stored test images, saying what is missing', async () => {
    const { client } = fakeClient({ samples: false });
    await expect(storedSplit(client, 'r1')).rejects.toThrow(
      /stored no test images \(test-samples\.bin\)/,
    );
  });
});
