// Heartbeats from a worker thread keep coming while the main thread is blocked by synchronous
// work (the fake API runs in a child process, so the block cannot stall it either), stop cleanly,
// and never keep a process alive.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createGraphqlClient } from './graphql-client';
import { startHeartbeat, type HeartbeatEvent } from './heartbeat';

/** A heartbeat endpoint in another process: records when each beat arrived and its key. */
const BEAT_SERVER = `
const http = require('node:http');
const beats = [];
http.createServer((req, res) => {
  if (req.method === 'GET') return res.end(JSON.stringify(beats));
  req.resume();
  req.on('end', () => {
    beats.push({ at: Date.now(), auth: req.headers.authorization || null });
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ data: { heartbeat: { id: 'r1' } } }));
  });
}).listen(0, '127.0.0.1', function () { console.log(this.address().port); });
`;

const children: ChildProcess[] = [];
const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0)) await c();
  for (const c of children.splice(0)) c.kill();
});

async function beatServer(): Promise<{
  url: string;
  beats(): Promise<{ at: number; auth: string }[]>;
}> {
  const child = spawn(process.execPath, ['-e', BEAT_SERVER], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  children.push(child);
  const port = await new Promise<string>((resolve) =>
    child.stdout.once('data', (d: Buffer) => resolve(d.toString().trim())),
  );
  const url = `http://127.0.0.1:${port}`;
  return { url, beats: async () => (await fetch(url)).json() as never };
}

/** Blocks this thread like a long synchronous TF.js computation. */
function blockFor(ms: number): void {
  const end = Date.now() + ms;
  while (Date.now() < end);
}

describe('startHeartbeat', () => {
  it('beats from a worker while the main thread is blocked, with the key, and stops', async () => {
    const api = await beatServer();
    const client = createGraphqlClient({ apiUrl: api.url, apiKey: 'cs_hb' });
    const hb = startHeartbeat({ client, runId: 'r1', periodMs: 50 });
    cleanups.push(() => hb.stop());
    // The main thread stands in while the worker loads (tsx registration on a loaded machine).
    expect(hb.mode).toBe('main-thread');
    await hb.ready;
    expect(hb.mode).toBe('worker');
    const start = Date.now();
    blockFor(2000);
    const end = Date.now();
    const beats = await api.beats();
    expect(beats.filter((b) => b.at > start && b.at < end).length).toBeGreaterThanOrEqual(1);
    expect(new Set(beats.map((b) => b.auth))).toEqual(new Set(['Bearer cs_hb']));
    await hb.stop();
    const after = (await api.beats()).length;
    await new Promise((r) => setTimeout(r, 300));
    expect((await api.beats()).length).toBe(after);
  });

  it('stops beating and says so when the API no longer accepts the run', async () => {
    const srv = http.createServer((req, res) => {
      req.resume();
      req.on('end', () =>
        res.writeHead(200, { 'content-type': 'application/json' }).end(
          JSON.stringify({
            errors: [
              { message: 'Run r1 is FAILED, not RUNNING', extensions: { code: 'INVALID_STATE' } },
            ],
          }),
        ),
      );
    });
    await new Promise<void>((r) => srv.listen(0, '127.0.0.1', () => r()));
    cleanups.push(() => new Promise((r) => srv.close(r)));
    const events: HeartbeatEvent[] = [];
    const hb = startHeartbeat({
      client: createGraphqlClient({
        apiUrl: `http://127.0.0.1:${(srv.address() as AddressInfo).port}`,
      }),
      runId: 'r1',
      periodMs: 10,
      mode: 'main-thread',
      onEvent: (e) => events.push(e),
    });
    await vi.waitFor(() => expect(events).toHaveLength(1));
    await hb.stop();
    expect(events[0]).toMatchObject({ type: 'lost', code: 'INVALID_STATE' });
  });

  it('never keeps the process alive, even while the API is unreachable', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'convscope-hb-'));
    cleanups.push(() => rm(dir, { recursive: true, force: true }));
    const heartbeat = fileURLToPath(new URL('./heartbeat.ts', import.meta.url));
    const client = fileURLToPath(new URL('./graphql-client.ts', import.meta.url));
    const script = path.join(dir, 'main.mts'); // ESM, like the CLIs
    // Starts a heartbeat against a closed port and returns without stopping it.
    await writeFile(
      script,
      `import { startHeartbeat } from ${JSON.stringify(heartbeat)};
import { createGraphqlClient } from ${JSON.stringify(client)};
const client = createGraphqlClient({ apiUrl: 'http://127.0.0.1:9' });
const hb = startHeartbeat({ client, runId: 'r1', periodMs: 20 });
const hold = setTimeout(() => undefined, 30_000); // only until the worker has loaded
await hb.ready;
clearTimeout(hold);
console.log('done', hb.mode);
`,
    );
    const tsx = fileURLToPath(new URL('../../../../node_modules/.bin/tsx', import.meta.url));
    const child = spawn(tsx, [script], { stdio: ['ignore', 'pipe', 'pipe'] });
    children.push(child);
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    const code = await new Promise<number | null>((r) => child.on('exit', r));
    expect(out.trim()).toBe('done worker');
    expect(code).toBe(0);
  });
});
