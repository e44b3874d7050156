// Artifact HTTP routes: upload, download, ETag/304, size limit, idempotence, unknown ids.
import fs from 'node:fs';
import path from 'node:path';
import http from 'node:http';
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRun, databases, startTestApi, uniq, type Loose, type TestApi } from './helpers';

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
      `query($id: ID!) { run(id: $id) { artifacts { nodes { name kind sha256 bytes url metadata } } weights: artifacts(kind: "weights") { nodes { name } } none: artifacts(kind: "image") { nodes { name } } } }`,
      { id: runId },
    );
    expect(gq.run.artifacts.nodes).toEqual([
      {
        name: 'weights 1.bin',
        kind: 'weights',
        sha256: art.sha256,
        bytes: 5000,
        url: art.url,
        metadata: { layer: 'conv1', channel: 3 },
      },
    ]);
    expect(gq.run.weights.nodes).toHaveLength(1);
    expect(gq.run.none.nodes).toEqual([]);
  });

  it('pages artifacts by name forward and backward, also while new ones are uploaded', async () => {
    const project = uniq('artp');
    const runId = await createRun(api, { project });
    const put = async (name: string, kind = 'file') => {
      const r = await api.fetch(`${api.origin}/runs/${runId}/artifacts/${name}?kind=${kind}`, {
        method: 'PUT',
        body: name,
      });
      expect(r.status).toBe(201);
    };
    for (const name of ['d.bin', 'b.bin', 'f.bin', 'a.bin', 'e.bin', 'c.bin', 'g.bin'])
      await put(name, name < 'd' ? 'early' : 'late');
    const q = `query($id: ID!, $first: Int, $after: String, $last: Int, $before: String, $kind: String) {
      run(id: $id) { artifacts(first: $first, after: $after, last: $last, before: $before, kind: $kind) {
        edges { cursor node { id name } } nodes { id name }
        pageInfo { startCursor endCursor hasNextPage hasPreviousPage } } } }`;
    const page = async (vars: Record<string, unknown>) =>
      (await api.ok(q, { id: runId, ...vars })).run.artifacts;

    const walk = async (size: number, vars: Record<string, unknown> = {}) => {
      const names: string[] = [];
      let after: string | null = null;
      for (let guard = 0; guard < 20; guard++) {
        const p = await page({ first: size, after, ...vars });
        expect(p.pageInfo.hasPreviousPage).toBe(after !== null);
        names.push(...p.nodes.map((n: { name: string }) => n.name));
        if (!p.pageInfo.hasNextPage) return names;
        after = p.pageInfo.endCursor;
      }
      throw new Error('no end');
    };
    const all = ['a.bin', 'b.bin', 'c.bin', 'd.bin', 'e.bin', 'f.bin', 'g.bin'];
    expect(await walk(3)).toEqual(all);
    expect(await walk(2, { kind: 'early' })).toEqual(['a.bin', 'b.bin', 'c.bin']);

    const back: string[] = [];
    let before: string | null = null;
    for (let guard = 0; guard < 20; guard++) {
      const p = await page({ last: 2, before });
      expect(p.pageInfo.hasNextPage).toBe(before !== null);
      expect(p.edges[0]?.cursor ?? null).toBe(p.pageInfo.startCursor);
      back.unshift(...p.nodes.map((n: { name: string }) => n.name));
      if (!p.pageInfo.hasPreviousPage) break;
      before = p.pageInfo.startCursor;
    }
    expect(back).toEqual(all);

    // New artifacts between pages: one sorting before the cursor (already passed), one after.
    const first = await page({ first: 3 });
    expect(first.nodes.map((n: { name: string }) => n.name)).toEqual(['a.bin', 'b.bin', 'c.bin']);
    await put('aa.bin');
    await put('cc.bin');
    const rest: string[] = [];
    let after: string | null = first.pageInfo.endCursor;
    while (after !== null) {
      const p = await page({ first: 3, after });
      rest.push(...p.nodes.map((n: { name: string }) => n.name));
      after = p.pageInfo.hasNextPage ? p.pageInfo.endCursor : null;
    }
    expect(rest).toEqual(['cc.bin', 'd.bin', 'e.bin', 'f.bin', 'g.bin']);
    // Ids are stable across requests.
    const again = await page({ first: 100 });
    const again2 = await page({ first: 100 });
    expect(again.nodes).toEqual(again2.nodes);
    expect(new Set(again.nodes.map((n: { id: string }) => n.id)).size).toBe(9);

    // Bad cursors and sizes are refused with BAD_USER_INPUT.
    const otherField = Buffer.from(JSON.stringify(['explanation-job:createdAt', 1, 'x'])).toString(
      'base64url',
    );
    for (const vars of [
      { after: 'garbage!' },
      { after: otherField },
      { first: 1001 },
      { last: -1 },
    ]) {
      const r = await api.gql(q, { id: runId, ...vars });
      expect(r.errors?.[0]?.extensions?.code, JSON.stringify(vars)).toBe('BAD_USER_INPUT');
    }
  });

  it('pages the artifacts of a page of runs in a constant number of queries', async () => {
    const queriesFor = async (runs: number) => {
      const project = uniq('artq');
      for (let i = 0; i < runs; i++) {
        const runId = await createRun(api, { project, name: `r${i}` });
        for (const name of ['x.bin', 'y.bin', 'z.bin']) {
          const r = await api.fetch(`${api.origin}/runs/${runId}/artifacts/${name}`, {
            method: 'PUT',
            body: `${name}${i}`,
          });
          expect(r.status).toBe(201);
        }
      }
      const q = `query($p: String!) { runs(filter: { projects: [$p] }) { nodes {
        artifacts(first: 2) { nodes { name } pageInfo { hasNextPage } } } } }`;
      const before = api.server.queryCount();
      const data = await api.ok(q, { p: project });
      expect(data.runs.nodes).toHaveLength(runs);
      for (const n of data.runs.nodes)
        expect(n.artifacts).toEqual({
          nodes: [{ name: 'x.bin' }, { name: 'y.bin' }],
          pageInfo: { hasNextPage: true },
        });
      return api.server.queryCount() - before;
    };
    expect(await queriesFor(5)).toBe(await queriesFor(2));
  });

  it('finds one artifact by name for each run of a page in one query (null when absent)', async () => {
    const project = uniq('artn');
    const bodies: Record<string, string> = {};
    for (let i = 0; i < 3; i++) {
      const runId = await createRun(api, { project, name: `r${i}` });
      // Run 1 has no model.json: its field answers null.
      for (const name of i === 1 ? ['a.bin'] : ['a.bin', 'model.json']) {
        bodies[`${runId}/${name}`] = `${name}-${i}`;
        const r = await api.fetch(`${api.origin}/runs/${runId}/artifacts/${name}`, {
          method: 'PUT',
          body: `${name}-${i}`,
        });
        expect(r.status).toBe(201);
      }
    }
    const q = `query($p: String!) { runs(filter: { projects: [$p] }, orderBy: { by: { field: NAME }, direction: ASC }) {
      nodes { id name model: artifact(name: "model.json") { name bytes } none: artifact(name: "nope.bin") { name } } } }`;
    const before = api.server.queryCount();
    const data = await api.ok(q, { p: project });
    const used = api.server.queryCount() - before;
    expect(data.runs.nodes.map((n: Loose) => [n.name, n.model, n.none])).toEqual([
      ['r0', { name: 'model.json', bytes: 'model.json-0'.length }, null],
      ['r1', null, null],
      ['r2', { name: 'model.json', bytes: 'model.json-2'.length }, null],
    ]);
    // Both aliases of every run share one batched lookup beside the runs page's own queries.
    const again = await api.ok(
      q.replace('nodes { id name', 'nodes { id name other: artifact(name: "a.bin") { name }'),
      { p: project },
    );
    expect(again.runs.nodes.map((n: Loose) => n.other.name)).toEqual(['a.bin', 'a.bin', 'a.bin']);
    expect(used).toBeLessThanOrEqual(4);
    const long = await api.gql(
      `query($id: ID!) { run(id: $id) { artifact(name: "${'x'.repeat(300)}") { name } } }`,
      {
        id: data.runs.nodes[0].id,
      },
    );
    expect(long.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT' });
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
      `query($id: ID!) { run(id: $id) { artifacts(kind: "model") { nodes { name url } } } }`,
      { id: runId },
    );
    const modelUrl = run.artifacts.nodes.find((a: { name: string }) => a.name === 'model.json').url;
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
      `query($id: ID!) { run(id: $id) { artifacts { nodes { name sha256 bytes } } } }`,
      { id: runId },
    );
    expect(run.artifacts.nodes).toEqual([
      { name: 'log.txt', sha256: sha('hello world'), bytes: 11 },
    ]);
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
