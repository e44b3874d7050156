// `npm start`'s launcher keeps the API alive: killed with SIGKILL, the API process comes back
// (one log line), answers /healthz again, and the launcher's SIGTERM stops it for good.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe('launcher', () => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'convscope-launcher-'));
  let launcher: ChildProcess | undefined;
  const apiPids: number[] = [];
  let output = '';

  /** Resolves with the first match of `re` in the launcher's output (waits up to `ms`). */
  function waitFor(re: RegExp, ms: number): Promise<RegExpMatchArray> {
    return new Promise((resolve, reject) => {
      const check = () => {
        const m = output.match(re);
        if (!m) return false;
        clearTimeout(timer);
        launcher?.stdout?.off('data', check);
        launcher?.stderr?.off('data', check);
        resolve(m);
        return true;
      };
      const timer = setTimeout(() => {
        launcher?.stdout?.off('data', check);
        launcher?.stderr?.off('data', check);
        reject(new Error(`no ${re} within ${ms} ms; output:\n${output}`));
      }, ms);
      if (check()) return;
      launcher?.stdout?.on('data', check);
      launcher?.stderr?.on('data', check);
    });
  }

  afterAll(() => {
    // Only what this test started, by pid.
    if (launcher?.pid && launcher.exitCode === null) launcher.kill('SIGKILL');
    for (const pid of apiPids) if (alive(pid)) process.kill(pid, 'SIGKILL');
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  it('restarts a killed API and stops it on SIGTERM', { timeout: 240_000 }, async () => {
    const [apiPort, webPort] = [await freePort(), await freePort()];
    launcher = spawn(
      process.execPath,
      ['--import', 'tsx', 'tools/launcher/start.ts', '--only', 'api'],
      {
        cwd: repoRoot,
        stdio: ['ignore', 'pipe', 'pipe'],
        env: {
          ...process.env,
          DEMO: '0',
          EXPLAIN_WORKER: '0',
          API_PORT: String(apiPort),
          WEB_PORT: String(webPort),
          API_HOST: '127.0.0.1',
          API_URL: `http://127.0.0.1:${apiPort}`,
          DATABASE_URL: `file:${path.join(tmp, 'launcher.db')}`,
          ARTIFACTS_DIR: path.join(tmp, 'artifacts'),
          CONVSCOPE_KEY_FILE: path.join(tmp, 'key', 'local-api-key'),
        },
      },
    );
    launcher.stdout!.on('data', (d: Buffer) => (output += d.toString()));
    launcher.stderr!.on('data', (d: Buffer) => (output += d.toString()));

    const first = await waitFor(/\[api\] GraphQL API at \S+ \(process (\d+)\)/, 90_000);
    const pid = Number(first[1]);
    apiPids.push(pid);
    // The API's own stdout reaches the terminal through the launcher.
    expect(output).toContain(`API ready at http://127.0.0.1:${apiPort}/graphql`);
    expect((await fetch(`http://127.0.0.1:${apiPort}/healthz`)).status).toBe(200);

    process.kill(pid, 'SIGKILL');
    const again = await waitFor(/\[api\] restarted: GraphQL API at \S+ \(process (\d+)\)/, 90_000);
    const pid2 = Number(again[1]);
    apiPids.push(pid2);
    expect(pid2).not.toBe(pid);
    expect(alive(pid)).toBe(false);
    expect(
      output.match(/\[api\] exited unexpectedly \(signal SIGKILL\); restarting in 1 s/g),
    ).toHaveLength(1);
    const health = await fetch(`http://127.0.0.1:${apiPort}/healthz`);
    expect(health.status).toBe(200);
    expect(await health.json()).toMatchObject({ ok: true });

    // A deliberate stop is not a crash: no restart, and the API goes with the launcher.
    const exited = new Promise<number | null>((resolve) => launcher!.once('exit', resolve));
    launcher.kill('SIGTERM');
    const code = await Promise.race([
      exited,
      new Promise<'timeout'>((resolve) => setTimeout(() => resolve('timeout'), 30_000)),
    ]);
    expect(code).toBe(0);
    expect(alive(pid2)).toBe(false);
    expect(output).not.toMatch(/restarting in \d+ s[\s\S]*restarting in/);
  });
});
