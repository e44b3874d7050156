// The operator's tools around identity: `npm run keys` on the server's database, the local key
// file written at start (mode 0600), and per-key rate limits.
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { codeOf, databases, startTestApi, uniq, type TestApi } from './helpers';

const run = promisify(execFile);
const root = path.resolve(import.meta.dirname, '../../..');

describe.each(databases)('keys CLI and rate limits on $label', (db) => {
  let fresh: { url: string; dispose(): Promise<void> };
  let api: TestApi;
  let dir: string;
  let keyFile: string;

  /** Runs `npm run keys -- ...` (through tsx) against the test's database. */
  const keys = (...args: string[]) =>
    run(process.execPath, ['--import', 'tsx', 'apps/api/src/cli/keys.cli.ts', ...args], {
      cwd: root,
      env: {
        ...process.env,
        DATABASE_URL: fresh.url,
        CONVSCOPE_KEY_FILE: keyFile,
        WEB_ORIGIN: 'http://localhost:3999',
      },
    });

  beforeAll(async () => {
    fresh = await db.create();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'convscope-keys-'));
    keyFile = path.join(dir, 'local-api-key');
    api = await startTestApi(db, { keyFile, rateLimitPerMin: 40 }, fresh);
  });
  afterAll(async () => {
    await api?.stop();
    await fresh?.dispose();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('writes the local admin key with mode 0600 and keeps it across restarts', async () => {
    const stat = fs.statSync(keyFile);
    expect(stat.mode & 0o777).toBe(0o600);
    expect(fs.readFileSync(keyFile, 'utf8').trim()).toBe(api.key);
    expect(fs.statSync(path.join(dir, 'auth-secret')).mode & 0o777).toBe(0o600);
  });

  it('creates a scoped key on stdout, lists it without the secret, and revokes it', async () => {
    const project = uniq('cli');
    await api.ok('mutation($n: String!) { createProject(name: $n) { id } }', { n: project });
    const created = await keys(
      'create',
      '--name',
      'worker 3',
      '--role',
      'viewer',
      '--project',
      project,
    );
    const key = created.stdout.trim();
    expect(key).toMatch(/^cs_\w{20,}$/);
    expect(created.stderr).toContain('role viewer');
    const me = await api.gql(
      '{ me { email keyRole } project: projects { totalCount nodes { name } } }',
      {},
      { key },
    );
    expect(me.data).toEqual({
      me: { email: 'owner@convscope.local', keyRole: 'VIEWER' },
      project: { totalCount: 1, nodes: [{ name: project }] },
    });
    expect(
      codeOf(
        await api.gql(
          `mutation { createRun(input: { project: "${project}" }) { id } }`,
          {},
          { key },
        ),
      ),
    ).toBe('FORBIDDEN');

    const listed = (await keys('list')).stdout;
    const line = listed.split('\n').find((l) => l.includes('"worker 3"'));
    expect(line).toBeDefined();
    expect(listed).not.toContain(key);
    const id = line!.split('\t')[0]!;
    await keys('revoke', id);
    // Another process revoked it: this server stops accepting it once its 10 s cache lapses;
    // the listing says so at once.
    expect((await keys('list')).stdout).toMatch(new RegExp(`^${id}\\t.*REVOKED`, 'm'));
  });

  it('creates users with a login link, and refuses bad usage with exit code 2', async () => {
    const made = await keys('create-user', '--email', 'dana@lab.test', '--name', 'Dana');
    expect(made.stdout.trim()).toMatch(
      /^http:\/\/localhost:3999\/api\/auth\/magic-link\/verify\?token=\w+/,
    );
    const users = await api.ok<{ users: { nodes: { email: string; isAdmin: boolean }[] } }>(
      '{ users { nodes { email isAdmin } } }',
    );
    expect(users.users.nodes).toContainEqual({ email: 'dana@lab.test', isAdmin: false });
    await expect(keys('create', '--role', 'viewer')).rejects.toMatchObject({ code: 2 });
    await expect(keys('create', '--name', 'x', '--role', 'god')).rejects.toMatchObject({ code: 2 });
  });

  it('limits requests per key with 429, Retry-After and RATE_LIMITED', async () => {
    const created = await api.ok<{ createApiKey: { key: string } }>(
      'mutation { createApiKey(input: { name: "busy", role: VIEWER }) { key } }',
    );
    const key = created.createApiKey.key;
    const answers: { status: number; retryAfter: string | null; code: unknown }[] = [];
    for (let i = 0; i < 45; i++) {
      const res = await fetch(`${api.origin}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
        body: JSON.stringify({ query: '{ me { email } }' }),
      });
      const body = (await res.json()) as { errors?: { extensions?: { code?: unknown } }[] };
      answers.push({
        status: res.status,
        retryAfter: res.headers.get('retry-after'),
        code: body.errors?.[0]?.extensions?.code,
      });
    }
    expect(answers.slice(0, 40).every((a) => a.status === 200)).toBe(true);
    const refused = answers.slice(40);
    expect(refused.every((a) => a.status === 429 && a.code === 'RATE_LIMITED')).toBe(true);
    expect(Number(refused[0]!.retryAfter)).toBeGreaterThan(0);
    // Other keys are not slowed by this one.
    expect((await api.gql('{ me { email } }')).data.me.email).toBe('owner@convscope.local');
  });
});
