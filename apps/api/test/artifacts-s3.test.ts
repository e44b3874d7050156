// The API on object storage: ARTIFACTS_URL=s3://bucket/prefix with the endpoint and keys in the
// standard AWS_* variables, pointing at s3rver. Uploads and downloads over HTTP land in the
// bucket (not the local folder), downloads keep their permission checks, byte ranges, presigned
// redirects when enabled, model registration reads through the store, and deleting a run
// removes its blobs from the bucket.
import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import { HeadObjectCommand, ListObjectsV2Command } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApiServer } from '../src/server';
import { codeOf, databases, startTestApi, uniq, type TestApi } from './helpers';
import { startTestS3, type TestS3 } from './s3-server';

const sha = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');
const sqlite = databases[0]!; // the store is the same on either database

let s3: TestS3;
const saved: Record<string, string | undefined> = {};
beforeAll(async () => {
  s3 = await startTestS3();
  // The server reads its S3 settings from the environment, as in production.
  for (const [k, v] of Object.entries(s3.env)) {
    saved[k] = process.env[k];
    process.env[k] = v;
  }
});
afterAll(async () => {
  await s3?.stop();
  for (const [k, v] of Object.entries(saved)) {
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
});

/** An API on ARTIFACTS_URL=s3://<bucket>/<prefix> with a project, a RUNNING run and two keys. */
interface Lab {
  api: TestApi;
  prefix: string;
  runId: string;
  /** An owner key limited to another project. */
  outsider: string;
  /** A viewer key of the run's project. */
  viewer: string;
  /** Object keys under the prefix. */
  objectKeys(): Promise<(string | undefined)[]>;
}

async function startLab(options: { artifactsPresignTtlS?: number } = {}): Promise<Lab> {
  const prefix = `lab/${randomBytes(3).toString('hex')}`;
  const api = await startTestApi(sqlite, {
    artifactsUrl: `s3://${s3.bucket}/${prefix}`,
    ...options,
  });
  const [project, other] = [uniq('s3'), uniq('elsewhere')];
  for (const name of [project, other])
    await api.ok('mutation($n: String!) { createProject(name: $n) { id } }', { n: name });
  const key = async (role: string, projects: string[]) =>
    (
      await api.ok<{ createApiKey: { key: string } }>(
        'mutation($i: CreateApiKeyInput!) { createApiKey(input: $i) { key } }',
        { i: { name: `${role} key`, role, projects } },
      )
    ).createApiKey.key;
  const runId = (
    await api.ok<{ createRun: { id: string } }>(
      'mutation($p: String!) { createRun(input: { project: $p, status: RUNNING }) { id } }',
      { p: project },
    )
  ).createRun.id;
  return {
    api,
    prefix,
    runId,
    outsider: await key('OWNER', [other]),
    viewer: await key('VIEWER', [project]),
    objectKeys: async () =>
      (
        (
          await s3.client.send(
            new ListObjectsV2Command({ Bucket: s3.bucket, Prefix: `${prefix}/` }),
          )
        ).Contents ?? []
      ).map((o) => o.Key),
  };
}

describe('artifacts in S3-compatible object storage, streamed through the API', () => {
  let lab: Lab;
  let api: TestApi;
  let runId = '';
  let prefix = '';
  const weights = randomBytes(3 * 1024 * 1024 + 17);
  const objectKeys = () => lab.objectKeys();

  beforeAll(async () => {
    lab = await startLab();
    ({ api, runId, prefix } = lab);
  });
  afterAll(() => lab?.api.stop());

  it('uploads into the bucket and downloads the same bytes, whole and by range', async () => {
    const put = await api.fetch(`/runs/${runId}/artifacts/weights.bin?kind=model`, {
      method: 'PUT',
      headers: { 'content-type': 'application/octet-stream' },
      body: weights,
    });
    expect(put.status).toBe(201);
    const stored = (await put.json()) as { sha256: string; bytes: number; created: boolean };
    expect(stored).toMatchObject({ sha256: sha(weights), bytes: weights.length, created: true });
    // In the bucket under the prefix; nothing but the (empty) spool in the local folder.
    expect(await objectKeys()).toEqual([`${prefix}/${stored.sha256.slice(0, 2)}/${stored.sha256}`]);
    const head = await s3.client.send(
      new HeadObjectCommand({
        Bucket: s3.bucket,
        Key: `${prefix}/${stored.sha256.slice(0, 2)}/${stored.sha256}`,
      }),
    );
    expect(head.ContentLength).toBe(weights.length);
    const local = fs.existsSync(api.artifactsDir) ? fs.readdirSync(api.artifactsDir) : [];
    expect(local.filter((f) => f !== 'tmp')).toEqual([]);

    const get = await api.fetch(`/runs/${runId}/artifacts/weights.bin`);
    expect(get.status).toBe(200);
    expect(get.headers.get('etag')).toBe(`"${stored.sha256}"`);
    expect(get.headers.get('content-length')).toBe(String(weights.length));
    expect(Buffer.from(await get.arrayBuffer()).equals(weights)).toBe(true);

    const part = await api.fetch(`/runs/${runId}/artifacts/weights.bin`, {
      headers: { range: 'bytes=1000-1999' },
    });
    expect(part.status).toBe(206);
    expect(part.headers.get('content-range')).toBe(`bytes 1000-1999/${weights.length}`);
    expect(Buffer.from(await part.arrayBuffer()).equals(weights.subarray(1000, 2000))).toBe(true);
    const past = await api.fetch(`/runs/${runId}/artifacts/weights.bin`, {
      headers: { range: `bytes=${weights.length + 10}-` },
    });
    expect(past.status).toBe(416);
    expect(past.headers.get('content-range')).toBe(`bytes */${weights.length}`);

    // The same bytes under another name: one object.
    const again = await api.fetch(`/runs/${runId}/artifacts/copy.bin`, {
      method: 'PUT',
      body: weights,
    });
    expect(again.status).toBe(201);
    expect(await objectKeys()).toHaveLength(1);
  });

  it('keeps the permission checks: no key 401, another project 404, a viewer may not write', async () => {
    const path = `/runs/${runId}/artifacts/weights.bin`;
    expect((await fetch(`${api.origin}${path}`)).status).toBe(401);
    const foreign = await fetch(`${api.origin}${path}`, {
      headers: { authorization: `Bearer ${lab.outsider}` },
    });
    expect(foreign.status).toBe(404);
    const body = Buffer.from(await foreign.arrayBuffer());
    expect(body.length).toBeLessThan(1000); // an error document, not the bytes
    expect(body.includes(weights.subarray(0, 64))).toBe(false);
    const asViewer = await fetch(`${api.origin}${path}`, {
      headers: { authorization: `Bearer ${lab.viewer}` },
    });
    expect(asViewer.status).toBe(200);
    expect(Buffer.from(await asViewer.arrayBuffer()).equals(weights)).toBe(true);
    const write = await fetch(`${api.origin}/runs/${runId}/artifacts/evil.bin`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${lab.viewer}` },
      body: 'not allowed',
    });
    expect(write.status).toBe(403);
    expect(await objectKeys()).toHaveLength(1);
  });

  it('registers a model by reading its header from the bucket', async () => {
    const register = `mutation($r: ID!, $n: String!) {
      registerModel(runId: $r, input: { format: ONNX, artifactName: $n }) { id }
    }`;
    const onnx = Buffer.concat([Buffer.from([0x08, 0x07, 0x12, 0x04]), randomBytes(64)]);
    for (const [name, body] of [
      ['model.onnx', onnx],
      ['not-a-model.onnx', Buffer.from('{"json": true}')],
    ] as const)
      expect(
        (await api.fetch(`/runs/${runId}/artifacts/${name}`, { method: 'PUT', body })).status,
      ).toBe(201);
    expect((await api.gql(register, { r: runId, n: 'model.onnx' })).errors).toBeUndefined();
    const bad = await api.gql(register, { r: runId, n: 'not-a-model.onnx' });
    expect(codeOf(bad)).toBe('BAD_USER_INPUT');
    expect(bad.errors?.[0]?.message).toMatch(/not an ONNX model/);
  });

  it("removes the run's blobs from the bucket when the run is deleted", async () => {
    await api.ok('mutation($id: ID!) { finishRun(id: $id, status: COMPLETED) { id } }', {
      id: runId,
    });
    expect(await objectKeys()).toHaveLength(3);
    const r = await api.ok<{ deleteRun: { artifactsDeleted: number; blobsRemoved: number } }>(
      'mutation($id: ID!) { deleteRun(id: $id) { artifactsDeleted blobsRemoved } }',
      { id: runId },
    );
    expect(r.deleteRun).toEqual({ artifactsDeleted: 4, blobsRemoved: 3 });
    expect(await objectKeys()).toEqual([]);
  });
});

describe('artifacts in S3-compatible object storage, presigned downloads', () => {
  let lab: Lab;
  beforeAll(async () => {
    lab = await startLab({ artifactsPresignTtlS: 120 });
  });
  afterAll(() => lab?.api.stop());

  it('redirects to a presigned URL when enabled, only after the permission check', async () => {
    const path = `/runs/${lab.runId}/artifacts/weights.bin`;
    const weights = randomBytes(100_000);
    expect((await lab.api.fetch(path, { method: 'PUT', body: weights })).status).toBe(201);
    const res = await lab.api.fetch(path, { redirect: 'manual' });
    expect(res.status).toBe(302);
    expect(res.headers.get('cache-control')).toBe('no-store');
    const location = res.headers.get('location') ?? '';
    expect(location.startsWith(`${s3.endpoint}/${s3.bucket}/${lab.prefix}/`)).toBe(true);
    expect(new URL(location).searchParams.get('X-Amz-Expires')).toBe('120');
    const direct = await fetch(location);
    expect(direct.status).toBe(200);
    expect(Buffer.from(await direct.arrayBuffer()).equals(weights)).toBe(true);
    // A client that follows redirects with its API key (libs/ml's workers): fetch drops the
    // Authorization header on the cross-origin hop, so S3 sees only the presigned query.
    const followed = await lab.api.fetch(path);
    expect(followed.status).toBe(200);
    expect(followed.redirected).toBe(true);
    expect(Buffer.from(await followed.arrayBuffer()).equals(weights)).toBe(true);
    const foreign = await fetch(`${lab.api.origin}${path}`, {
      headers: { authorization: `Bearer ${lab.outsider}` },
      redirect: 'manual',
    });
    expect(foreign.status).toBe(404);
    expect(foreign.headers.get('location')).toBeNull();
  });
});

describe('ARTIFACTS_URL checks at start', () => {
  it('refuses to start when the bucket is not there, naming the store', async () => {
    const fresh = await sqlite.create();
    try {
      await expect(
        startTestApi(sqlite, { artifactsUrl: 's3://no-such-bucket/x' }, fresh),
      ).rejects.toThrow(/^Artifact store s3:\/\/no-such-bucket\/x: /);
    } finally {
      await fresh.dispose();
    }
  });

  it('refuses to start on a malformed ARTIFACTS_URL, naming it', async () => {
    // Checked with the other settings, before the database or the store is touched.
    const start = startApiServer({
      artifactsUrl: 'ftp://somewhere/x',
      databaseUrl: 'file:/nonexistent/never-created.db',
      artifactsDir: '/nonexistent/artifacts',
    });
    await expect(start).rejects.toThrow(
      /ARTIFACTS_URL must be s3:\/\/bucket\/prefix or file:\/\/\/folder, got "ftp:\/\/somewhere\/x"/,
    );
  });
});
