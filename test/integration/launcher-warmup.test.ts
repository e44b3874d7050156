// The warm-up server of `npm start` (tools/launcher/warmup-server.ts) against a fake GraphQL
// API on a free port: the page is served with its CSP nonce, the status endpoint forwards the
// one fixed query with the launcher's key and answers shaped curves, and close() frees the
// port even with a keep-alive connection open (the dashboard binds it next).
import http from 'node:http';
import net from 'node:net';
import { afterAll, describe, expect, it } from 'vitest';
import { WARMUP_HEADER, WARMUP_STATUS_PATH } from '../../tools/launcher/warmup-page';
import {
  DEMO_METRICS_QUERY,
  fetchDemoRun,
  isLoopbackHost,
  startWarmupServer,
  type WarmupServer,
} from '../../tools/launcher/warmup-server';

interface Seen {
  auth: string | undefined;
  query: string;
  variables: { id: string; names: string[] };
}

describe('warm-up server', () => {
  const seen: Seen[] = [];
  let apiDown = false;
  const api = http.createServer((req, res) => {
    let body = '';
    req.on('data', (d: Buffer) => (body += d.toString()));
    req.on('end', () => {
      const parsed = JSON.parse(body) as Omit<Seen, 'auth'>;
      seen.push({ auth: req.headers.authorization, ...parsed });
      res.writeHead(200, { 'content-type': 'application/json' });
      if (apiDown) {
        res.end(JSON.stringify({ errors: [{ message: 'database unavailable' }] }));
        return;
      }
      res.end(
        JSON.stringify({
          data: {
            run: {
              id: parsed.variables.id,
              name: '<b>demo</b>',
              status: 'RUNNING',
              metrics: [
                {
                  name: 'batch_loss',
                  points: [
                    { step: 0, value: 2.3 },
                    { step: 20, value: 1.3 },
                  ],
                },
                { name: 'loss', points: [{ step: 1, value: 0.9 }] },
              ],
            },
          },
        }),
      );
    });
  });
  let warm: WarmupServer | undefined;

  afterAll(async () => {
    await warm?.close();
    await new Promise<void>((r) => api.close(() => r()));
  });

  it('serves the page and the demo curves through the fixed query', async () => {
    await new Promise<void>((r) => api.listen(0, '127.0.0.1', () => r()));
    const apiUrl = `http://127.0.0.1:${(api.address() as net.AddressInfo).port}`;
    let runId: string | null = null;
    warm = await startWarmupServer({
      port: 0,
      hosts: ['127.0.0.1'],
      buildLines: () => ['[web] building the dashboard...', '[web] <script>x</script>'],
      runId: () => runId,
      fetchRun: (id) => fetchDemoRun({ apiUrl, key: () => 'cs_launcher', runId: id }),
    });
    const base = `http://127.0.0.1:${warm.port}`;

    // Before the demo run exists: build lines, no API call.
    const early = await fetch(`${base}${WARMUP_STATUS_PATH}`);
    expect(early.headers.get(WARMUP_HEADER)).toBe('1');
    expect(await early.json()).toEqual({
      build: ['[web] building the dashboard...', '[web] <script>x</script>'],
      run: null,
      charts: [],
      note: null,
    });
    expect(seen).toHaveLength(0);

    runId = 'run-1';
    const status = await fetch(`${base}${WARMUP_STATUS_PATH}?id=other`);
    const state = (await status.json()) as {
      run: { id: string; name: string };
      charts: { title: string; lines: { name: string; points: string }[] }[];
    };
    // The query string is ignored: the launcher's run id and key, the fixed query.
    expect(seen).toHaveLength(1);
    expect(seen[0]).toEqual({
      auth: 'Bearer cs_launcher',
      query: DEMO_METRICS_QUERY,
      variables: {
        id: 'run-1',
        names: ['batch_loss', 'loss', 'val_loss', 'accuracy', 'val_accuracy'],
      },
    });
    expect(state.run).toMatchObject({ id: 'run-1', name: '<b>demo</b>' });
    expect(state.charts.map((c) => c.title)).toEqual([
      'batch loss (by batch)',
      'loss / val_loss (by epoch)',
    ]);
    // 320 x 140 box, padding 6: 2.3 -> 1.3 over steps 0 -> 20.
    expect(state.charts[0]!.lines[0]!.points).toBe('6,6 314,134');

    // Any dashboard path gets the page, with the curve drawn and the name escaped.
    const page = await fetch(`${base}/runs/abc`);
    expect(page.status).toBe(503);
    expect(page.headers.get('content-type')).toContain('text/html');
    const csp = page.headers.get('content-security-policy') ?? '';
    const nonce = /script-src 'nonce-([^']+)'/.exec(csp)?.[1];
    expect(nonce).toBeTruthy();
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("connect-src 'self'");
    const html = await page.text();
    expect(html).toContain(`<script nonce="${nonce}">`);
    expect(html).toContain('points="6,6 314,134"');
    expect(html).toContain('Demo run &lt;b&gt;demo&lt;/b&gt; (running)');
    expect(html).toContain('[web] &lt;script&gt;x&lt;/script&gt;');
    expect(html).not.toContain('<b>demo');
    // A fresh nonce per page.
    const again = await fetch(base);
    expect(again.headers.get('content-security-policy')).not.toContain(nonce);
    await again.text();

    // An API error becomes a note on the page, not a failed request.
    apiDown = true;
    const down = (await (await fetch(`${base}${WARMUP_STATUS_PATH}`)).json()) as {
      note: string;
      run: null;
    };
    expect(down.run).toBeNull();
    expect(down.note).toContain('database unavailable');

    // Another site's name (DNS rebinding) gets nothing.
    const rebound = await new Promise<number>((resolve, reject) =>
      http
        .get(
          {
            host: '127.0.0.1',
            port: warm!.port,
            path: WARMUP_STATUS_PATH,
            headers: { host: 'evil.example:80' },
          },
          (res) => {
            res.resume();
            resolve(res.statusCode ?? 0);
          },
        )
        .on('error', reject),
    );
    expect(rebound).toBe(403);
    expect(isLoopbackHost('localhost:3000')).toBe(true);
    expect(isLoopbackHost('[::1]:3000')).toBe(true);
    expect(isLoopbackHost('127.0.0.1.evil.example')).toBe(false);

    // Only GET and HEAD.
    expect((await fetch(`${base}${WARMUP_STATUS_PATH}`, { method: 'POST' })).status).toBe(405);
  });

  it('close() frees the port even with an idle keep-alive connection open', async () => {
    const port = warm!.port;
    // A client that keeps its socket open, as a browser does.
    const agent = new http.Agent({ keepAlive: true });
    await new Promise<void>((resolve, reject) =>
      http
        .get({ host: '127.0.0.1', port, path: WARMUP_STATUS_PATH, agent }, (res) => {
          res.resume();
          res.on('end', () => resolve());
        })
        .on('error', reject),
    );
    await warm!.close();
    warm = undefined;
    // The port can be bound again at once (the dashboard's `next start`).
    const next = net.createServer();
    await new Promise<void>((resolve, reject) => {
      next.once('error', reject);
      next.listen(port, '127.0.0.1', () => resolve());
    });
    await new Promise<void>((r) => next.close(() => r()));
    agent.destroy();
  });
});
