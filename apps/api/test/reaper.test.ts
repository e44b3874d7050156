// The heartbeat reaper fails RUNNING runs that stopped reporting, while running and at start.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeClock } from '../src/common/clock';
import {
  codeOf,
  createRun,
  databases,
  LOG_METRICS,
  startTestApi,
  uniq,
  type TestApi,
} from './helpers';

const STATUS = `query($id: ID!) { run(id: $id) { status error endedAt } }`;

describe.each(databases)('heartbeat reaper on $label', (db) => {
  let fresh: { url: string; dispose(): Promise<void> };
  let api: TestApi;
  // The servers' time: moved past the 1 s timeout by advance(), not by sleeping.
  const clock = new FakeClock();
  beforeAll(async () => {
    fresh = await db.create();
    // Interval long enough that only reapNow() (deterministic) triggers it in this test.
    api = await startTestApi(db, { heartbeatTimeoutS: 1, reaperIntervalMs: 60_000, clock }, fresh);
  });
  afterAll(async () => {
    await api?.stop();
    await fresh?.dispose();
  });

  it('fails a stale RUNNING run, keeps live and finished ones', async () => {
    const project = uniq('reap');
    const stale = await createRun(api, { project, status: 'RUNNING' });
    const live = await createRun(api, { project, status: 'RUNNING' });
    const queued = await createRun(api, { project });
    clock.advance(1300);
    await api.ok(`mutation($id: ID!) { heartbeat(id: $id) { id } }`, { id: live });
    const failed = await api.server.reapNow();
    expect(failed).toEqual([stale]);
    const s = await api.ok(STATUS, { id: stale });
    expect(s.run).toMatchObject({ status: 'FAILED', error: 'worker lost: no heartbeat for 1 s' });
    expect(s.run.endedAt).toBeTruthy();
    expect((await api.ok(STATUS, { id: live })).run.status).toBe('RUNNING');
    expect((await api.ok(STATUS, { id: queued })).run.status).toBe('QUEUED');
    // The lost worker learns it from its next heartbeat.
    expect(
      codeOf(await api.gql(`mutation($id: ID!) { heartbeat(id: $id) { id } }`, { id: stale })),
    ).toBe('INVALID_STATE');
  });

  it('counts any write of the run as a heartbeat: metrics, artifacts', async () => {
    const project = uniq('writes');
    const stale = await createRun(api, { project, status: 'RUNNING' });
    const logging = await createRun(api, { project, status: 'RUNNING' });
    const uploading = await createRun(api, { project, status: 'RUNNING' });
    clock.advance(1300);
    await api.ok(LOG_METRICS, { runId: logging, points: [{ name: 'loss', step: 1, value: 0.5 }] });
    const put = await api.fetch(`/runs/${uploading}/artifacts/notes.txt?kind=file`, {
      method: 'PUT',
      headers: { 'content-type': 'text/plain' },
      body: 'alive',
    });
    expect(put.status).toBeLessThan(300);
    const failed = await api.server.reapNow(); // also the earlier test's live run, silent since
    expect(failed).toContain(stale);
    for (const id of [logging, uploading])
      expect((await api.ok(STATUS, { id })).run.status).toBe('RUNNING');
  });

  it('gives runs of a previous process one timeout after a restart, then fails the silent ones', async () => {
    const orphan = await createRun(api, { project: uniq('orphan'), status: 'RUNNING' });
    const survivor = await createRun(api, { project: uniq('orphan'), status: 'RUNNING' });
    await api.stop(); // keeps the database (reused), removes the artifacts folder
    clock.advance(1300);
    // Same database, new server: both runs are older than the timeout, but the API has just
    // started, so neither is judged yet (their workers could not reach it while it was away).
    api = await startTestApi(db, { heartbeatTimeoutS: 1, reaperIntervalMs: 60_000, clock }, fresh);
    expect(await api.server.reapNow()).toEqual([]);
    expect((await api.ok(STATUS, { id: orphan })).run.status).toBe('RUNNING');
    // The survivor's worker comes back; the orphan's never does.
    clock.advance(1300);
    await api.ok(`mutation($id: ID!) { heartbeat(id: $id) { id } }`, { id: survivor });
    // (Runs of the earlier tests, silent as well, fail in the same sweep.)
    const failed = await api.server.reapNow();
    expect(failed).toContain(orphan);
    expect(failed).not.toContain(survivor);
    const s = await api.ok(STATUS, { id: orphan });
    expect(s.run).toMatchObject({ status: 'FAILED', error: 'worker lost: no heartbeat for 1 s' });
    expect((await api.ok(STATUS, { id: survivor })).run.status).toBe('RUNNING');
  });

  it('runs periodically on its own', async () => {
    const other = await startTestApi(
      db,
      { heartbeatTimeoutS: 1, reaperIntervalMs: 200, clock },
      fresh,
    );
    try {
      const id = await createRun(other, { project: uniq('tick'), status: 'RUNNING' });
      // The timer fires every 200 ms of the clock; only the ticks past the start's grace
      // period and the run's timeout can fail it.
      clock.advance(1300);
      await expect
        .poll(async () => (await other.ok(STATUS, { id })).run.status, {
          timeout: 5000,
          interval: 200,
        })
        .toBe('FAILED');
    } finally {
      await other.stop();
    }
  });
});
