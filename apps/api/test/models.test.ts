// Model registration: registerModel checks the artifact exists and looks like its format,
// Run.model answers the registration, a TF.js run's model.json counts as TFJS by itself, and the
// editor role is required.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { codeOf, createRun, databases, startTestApi, uniq, type TestApi } from './helpers';

const REGISTER = `mutation($runId: ID!, $input: RegisterModelInput!) {
  registerModel(runId: $runId, input: $input) { id model { format artifactName artifactUrl } }
}`;
const MODEL = `query($id: ID!) { run(id: $id) { model { format artifactName artifactUrl } } }`;

/** The first bytes torch.onnx.export writes: field 1 (ir_version = 7), then field 2 (producer). */
const ONNX_HEAD = Buffer.from([0x08, 0x07, 0x12, 0x07, ...Buffer.from('pytorch')]);
const MODEL_JSON = JSON.stringify({
  format: 'layers-model',
  modelTopology: { class_name: 'Sequential', config: { layers: [] } },
  weightsManifest: [{ paths: ['weights.bin'], weights: [] }],
});

describe.each(databases)('model registration on $label', (db) => {
  let api: TestApi;
  beforeAll(async () => {
    api = await startTestApi(db);
  });
  afterAll(async () => {
    await api?.stop();
  });

  async function upload(runId: string, name: string, body: Buffer | string): Promise<void> {
    const res = await api.fetch(`/runs/${runId}/artifacts/${encodeURIComponent(name)}?kind=model`, {
      method: 'PUT',
      headers: { 'content-type': 'application/octet-stream' },
      body: typeof body === 'string' ? body : new Uint8Array(body),
    });
    expect(res.status).toBeLessThan(300);
  }

  it('registers an ONNX artifact and answers it as Run.model', async () => {
    const runId = await createRun(api, { project: uniq('model') });
    expect((await api.ok(MODEL, { id: runId })).run.model).toBeNull();
    await upload(runId, 'model.onnx', Buffer.concat([ONNX_HEAD, Buffer.alloc(64, 1)]));
    const r = await api.ok(REGISTER, {
      runId,
      input: { format: 'ONNX', artifactName: 'model.onnx' },
    });
    expect(r.registerModel.model).toEqual({
      format: 'ONNX',
      artifactName: 'model.onnx',
      artifactUrl: `${api.origin}/runs/${runId}/artifacts/model.onnx`,
    });
    expect((await api.ok(MODEL, { id: runId })).run.model.format).toBe('ONNX');
    // The URL serves the same bytes.
    const got = Buffer.from(
      await (await api.fetch(r.registerModel.model.artifactUrl)).arrayBuffer(),
    );
    expect(got.subarray(0, ONNX_HEAD.length)).toEqual(ONNX_HEAD);
  });

  it('refuses a missing artifact with NOT_FOUND naming it', async () => {
    const runId = await createRun(api, { project: uniq('model') });
    const r = await api.gql(REGISTER, {
      runId,
      input: { format: 'ONNX', artifactName: 'nope.onnx' },
    });
    expect(codeOf(r)).toBe('NOT_FOUND');
    expect(r.errors?.[0]?.message).toContain('nope.onnx');
  });

  it('refuses an unknown run with NOT_FOUND', async () => {
    const r = await api.gql(REGISTER, {
      runId: 'no-such-run',
      input: { format: 'ONNX', artifactName: 'model.onnx' },
    });
    expect(codeOf(r)).toBe('NOT_FOUND');
  });

  it('refuses content that is not of the format with BAD_USER_INPUT', async () => {
    const runId = await createRun(api, { project: uniq('model') });
    await upload(runId, 'weights.pt', Buffer.from('PK\x03\x04 a zip, as torch.save writes'));
    await upload(runId, 'empty.onnx', Buffer.alloc(0));
    await upload(runId, 'topology.json', '{"modelTopology": {}}');
    await upload(runId, 'notes.json', 'not json');
    const cases: [string, string, RegExp][] = [
      ['ONNX', 'weights.pt', /not an ONNX model/],
      ['ONNX', 'empty.onnx', /not an ONNX model/],
      ['TFJS', 'topology.json', /weightsManifest is missing/],
      ['TFJS', 'notes.json', /not valid JSON/],
      ['TFJS', 'weights.pt', /not valid JSON/],
    ];
    for (const [format, artifactName, message] of cases) {
      const r = await api.gql(REGISTER, { runId, input: { format, artifactName } });
      expect(codeOf(r), `${format} ${artifactName}`).toBe('BAD_USER_INPUT');
      expect(r.errors?.[0]?.message).toMatch(message);
    }
    const bad = await api.gql(REGISTER, { runId, input: { format: 'ONNX', artifactName: '' } });
    expect(codeOf(bad)).toBe('BAD_USER_INPUT');
    // Nothing was registered.
    expect((await api.ok(MODEL, { id: runId })).run.model).toBeNull();
  });

  it('answers a TF.js run (model.json uploaded) as TFJS without registration', async () => {
    const runId = await createRun(api, { project: uniq('model') });
    await upload(runId, 'model.json', MODEL_JSON);
    expect((await api.ok(MODEL, { id: runId })).run.model).toEqual({
      format: 'TFJS',
      artifactName: 'model.json',
      artifactUrl: `${api.origin}/runs/${runId}/artifacts/model.json`,
    });
    // Explicit TFJS registration of the same file is accepted; a later ONNX one replaces it.
    const tfjs = await api.ok(REGISTER, {
      runId,
      input: { format: 'TFJS', artifactName: 'model.json' },
    });
    expect(tfjs.registerModel.model.format).toBe('TFJS');
    await upload(runId, 'export.onnx', ONNX_HEAD);
    const onnx = await api.ok(REGISTER, {
      runId,
      input: { format: 'ONNX', artifactName: 'export.onnx' },
    });
    expect(onnx.registerModel.model.artifactName).toBe('export.onnx');
  });

  it('registers on a finished run and lists models of several runs in one query', async () => {
    const project = uniq('model');
    const a = await createRun(api, { project, status: 'RUNNING' });
    const b = await createRun(api, { project });
    await upload(a, 'm.onnx', ONNX_HEAD);
    await api.ok('mutation($id: ID!) { finishRun(id: $id, status: COMPLETED) { id } }', { id: a });
    await api.ok(REGISTER, { runId: a, input: { format: 'ONNX', artifactName: 'm.onnx' } });
    const list = await api.ok(
      `query($p: [String!]) { runs(filter: { projects: $p }) { nodes { id model { format } } } }`,
      { p: [project] },
    );
    const byId = new Map(
      (list.runs.nodes as { id: string; model: { format: string } | null }[]).map((n) => [
        n.id,
        n.model,
      ]),
    );
    expect(byId.get(a)).toEqual({ format: 'ONNX' });
    expect(byId.get(b)).toBeNull();
  });

  it('needs the editor role', async () => {
    const runId = await createRun(api, { project: uniq('model') });
    await upload(runId, 'model.onnx', ONNX_HEAD);
    const created = await api.ok(
      'mutation { createApiKey(input: { name: "ro", role: VIEWER }) { key } }',
    );
    const viewer = { key: created.createApiKey.key as string };
    const r = await api.gql(
      REGISTER,
      { runId, input: { format: 'ONNX', artifactName: 'model.onnx' } },
      viewer,
    );
    expect(codeOf(r)).toBe('FORBIDDEN');
    const anonymous = await api.gql(
      REGISTER,
      { runId, input: { format: 'ONNX', artifactName: 'model.onnx' } },
      { key: null },
    );
    expect(codeOf(anonymous)).toBe('UNAUTHENTICATED');
    expect((await api.ok(MODEL, { id: runId })).run.model).toBeNull();
  });
});
