// Artifact HTTP routes: upload, download, ETag/304, size limit, idempotence, unknown ids.
import fs from 'node:fs';
import path from 'node:path';
import http from 'node:http';
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRun, databases, startTestApi, uniq, type TestApi } from './helpers';

const LIMIT = 64 * 1024;
const sha = (b: Buffer | string) => createHash('sha256').update(b).digest('hex');

/** PUT with a streamed body of `size` bytes, tolerating the server closing the socket early. */
function putLarge(
  url: string,
  size: number,
  key: string,
): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      url,
      {
        method: 'PUT',
        headers: {
          'content-type': 'application/octet-stream',
          'transfer-encoding': 'chunked',
          authorization: `Bearer ${key}`,
        },
      },
      (res) => {
        let body = '';
        res.on('data', (c) => (body += c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      },
    );
    req.on('error', reject);
    const chunk = Buffer.alloc(8192, 7);
    let sent = 0;
    const pump = () => {
      while (sent < size) {
        sent += chunk.length;
        if (!req.write(chunk)) return void req.once('drain', pump);
      }
      req.end();
    };
    pump();
  });
}

describe.each(databases)('artifacts on $label', (db) => {
  let api: TestApi;
  beforeAll(async () => {
    api = await startTestApi(db, { maxArtifactBytes: LIMIT });
  });
  afterAll(async () => {
    await api?.stop();
  });

  it('uploads, lists and downloads with Content-Type, ETag and 304', async () => {
    const runId = await createRun(api, { project: uniq('art') });
    const bytes = Buffer.from(Array.from({ length: 5000 }, (_, i) => i % 256));
    const metadata = JSON.stringify({ layer: 'conv1', channel: 3 });
    const put = await api.fetch(
      `${api.origin}/runs/${runId}/artifacts/${encodeURIComponent('weights 1.bin')}?kind=weights&metadata=${encodeURIComponent(metadata)}`,
      {
        method: 'PUT',
        headers: { 'content-type': 'application/octet-stream' },
        body: bytes,
      },
    );
    expect(put.status).toBe(201);
    const art = await put.json();
    expect(art).toMatchObject({
      name: 'weights 1.bin',
      kind: 'weights',
      bytes: 5000,
      sha256: sha(bytes),
      mimeType: 'application/octet-stream',
      metadata: { layer: 'conv1', channel: 3 },
    });
    expect(art.url).toBe(
      `http://127.0.0.1:${api.server.port}/runs/${runId}/artifacts/weights%201.bin`,
    );
    // Stored content-addressed.
    expect(
      fs.readFileSync(path.join(api.artifactsDir, art.sha256.slice(0, 2), art.sha256)),
    ).toEqual(bytes);

    const get = await api.fetch(art.url);
    expect(get.status).toBe(200);
    expect(get.headers.get('content-type')).toBe('application/octet-stream');
    expect(get.headers.get('etag')).toBe(`"${art.sha256}"`);
    expect(Buffer.from(await get.arrayBuffer())).toEqual(bytes);
    const cached = await api.fetch(art.url, { headers: { 'if-none-match': `"${art.sha256}"` } });
    expect(cached.status).toBe(304);
    const stale = await api.fetch(art.url, { headers: { 'if-none-match': '"0000"' } });
    expect(stale.status).toBe(200);

    const gq = await api.ok(
      `query($id: ID!) { run(id: $id) { artifacts { name kind sha256 bytes url metadata } weights: artifacts(kind: "weights") { name } none: artifacts(kind: "image") { name } } }`,
      { id: runId },
    );
    expect(gq.run.artifacts).toEqual([
      {
        name: 'weights 1.bin',
        kind: 'weights',
        sha256: art.sha256,
        bytes: 5000,
        url: art.url,
        metadata: { layer: 'conv1', channel: 3 },
      },
    ]);
    expect(gq.run.weights).toHaveLength(1);
    expect(gq.run.none).toEqual([]);
  });

  it('serves a TF.js model.json whose weight paths resolve next to it', async () => {
    const runId = await createRun(api, { project: uniq('tfjs') });
    const weights = Buffer.alloc(64, 1);
    const manifest = {
      modelTopology: {},
      weightsManifest: [{ paths: ['group1-shard1of1.bin'], weights: [] }],
    };
    for (const [name, body, type] of [
      ['model.json', JSON.stringify(manifest), 'application/json'],
      ['group1-shard1of1.bin', weights, 'application/octet-stream'],
    ] as const) {
      const r = await api.fetch(`${api.origin}/runs/${runId}/artifacts/${name}?kind=model`, {
        method: 'PUT',
        headers: { 'content-type': type },
        body,
      });
      expect(r.status).toBe(201);
    }
    const { run } = await api.ok(
      `query($id: ID!) { run(id: $id) { artifacts(kind: "model") { name url } } }`,
      { id: runId },
    );
    const modelUrl = run.artifacts.find((a: { name: string }) => a.name === 'model.json').url;
    const json = await (await api.fetch(modelUrl)).json();
    const weightUrl = new URL(json.weightsManifest[0].paths[0], modelUrl).href;
    const w = await api.fetch(weightUrl);
    expect(w.status).toBe(200);
    expect(Buffer.from(await w.arrayBuffer())).toEqual(weights);
  });

  it('is idempotent for identical bytes and replaces different bytes', async () => {
    const runId = await createRun(api, { project: uniq('art') });
    const url = `${api.origin}/runs/${runId}/artifacts/log.txt?kind=text`;
    const first = await (
      await api.fetch(url, {
        method: 'PUT',
        headers: { 'content-type': 'text/plain' },
        body: 'hello',
      })
    ).json();
    const again = await api.fetch(url, {
      method: 'PUT',
      headers: { 'content-type': 'text/plain' },
      body: 'hello',
    });
    expect(again.status).toBe(201);
    const second = await again.json();
    expect(second.id).toBe(first.id);
    expect(second.createdAt).toBe(first.createdAt);
    expect(second.created).toBe(false);
    const replaced = await (
      await api.fetch(url, {
        method: 'PUT',
        headers: { 'content-type': 'text/plain' },
        body: 'hello world',
      })
    ).json();
    expect(replaced.sha256).toBe(sha('hello world'));
    const { run } = await api.ok(
      `query($id: ID!) { run(id: $id) { artifacts { name sha256 bytes } } }`,
      { id: runId },
    );
    expect(run.artifacts).toEqual([{ name: 'log.txt', sha256: sha('hello world'), bytes: 11 }]);
    expect(await (await api.fetch(`${api.origin}/runs/${runId}/artifacts/log.txt`)).text()).toBe(
      'hello world',
    );
  });

  it('rejects bodies over the limit with 413 ARTIFACT_TOO_LARGE and keeps the stored artifact', async () => {
    const runId = await createRun(api, { project: uniq('big') });
    const url = `${api.origin}/runs/${runId}/artifacts/big.bin?kind=file`;
    expect((await api.fetch(url, { method: 'PUT', body: 'small' })).status).toBe(201);
    // Declared too large (Content-Length): refused before reading.
    const declared = await api.fetch(url, { method: 'PUT', body: Buffer.alloc(LIMIT + 1) });
    expect(declared.status).toBe(413);
    expect((await declared.json()).code).toBe('ARTIFACT_TOO_LARGE');
    // Streamed (chunked, no length): aborted once past the limit.
    const streamed = await putLarge(url, LIMIT * 4, api.key);
    expect(streamed.status).toBe(413);
    expect(JSON.parse(streamed.body).code).toBe('ARTIFACT_TOO_LARGE');
    expect(await (await api.fetch(`${api.origin}/runs/${runId}/artifacts/big.bin`)).text()).toBe(
      'small',
    );
    // No temp files left behind.
    const tmp = path.join(api.artifactsDir, 'tmp');
    expect(fs.existsSync(tmp) ? fs.readdirSync(tmp) : []).toEqual([]);
  });

  it('answers 404 for unknown runs and artifacts, 400 for bad metadata', async () => {
    const put = await api.fetch(`${api.origin}/runs/nope-run/artifacts/a.bin`, {
      method: 'PUT',
      body: 'x',
    });
    expect(put.status).toBe(404);
    expect((await put.json()).code).toBe('RUN_NOT_FOUND');
    const get = await api.fetch(`${api.origin}/runs/nope-run/artifacts/a.bin`);
    expect(get.status).toBe(404);
    expect((await get.json()).code).toBe('RUN_NOT_FOUND');
    const runId = await createRun(api, { project: uniq('art') });
    const missing = await api.fetch(`${api.origin}/runs/${runId}/artifacts/missing.bin`);
    expect(missing.status).toBe(404);
    expect((await missing.json()).code).toBe('ARTIFACT_NOT_FOUND');
    const bad = await api.fetch(
      `${api.origin}/runs/${runId}/artifacts/a.bin?metadata=${encodeURIComponent('{oops')}`,
      { method: 'PUT', body: 'x' },
    );
    expect(bad.status).toBe(400);
    expect((await bad.json()).code).toBe('BAD_USER_INPUT');
  });
});
