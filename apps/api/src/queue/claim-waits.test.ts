// Waiting claims: woken by queue notices only, ended by deadline, client, a newer claim of the
// same worker and close; every listener and timer released.
import { describe, expect, it } from 'vitest';
import { FakeClock } from '../common/clock';
import { LocalBus } from '../live/live-bus';
import { ClaimWaits } from './claim-waits';

/** A LocalBus that counts its listeners. */
class CountingBus extends LocalBus {
  subscribed = 0;
  override subscribe(listener: Parameters<LocalBus['subscribe']>[0]): () => void {
    this.subscribed += 1;
    const remove = super.subscribe(listener);
    return () => {
      this.subscribed -= 1;
      remove();
    };
  }
}

function setup() {
  const clock = new FakeClock();
  const bus = new CountingBus();
  const waits = new ClaimWaits(clock);
  waits.listenTo(bus);
  return { clock, bus, waits };
}

/** Whether `p` settled after pending microtasks and notices ran. */
async function settled(p: Promise<unknown>): Promise<boolean> {
  let done = false;
  void p.then(() => (done = true));
  for (let i = 0; i < 5; i++) await new Promise((r) => setImmediate(r));
  return done;
}

describe('ClaimWaits', () => {
  it('wakes on a queue notice, not on other events, and ends at the deadline', async () => {
    const { clock, bus, waits } = setup();
    const wait = waits.begin('w1');
    wait.arm();
    const first = wait.until(clock.now() + 20_000);
    bus.publish({ kind: 'run.metrics', projectId: 'p', runId: 'r' });
    expect(await settled(first)).toBe(false);
    bus.publish({ kind: 'queue', projectId: 'p', runId: null });
    expect(await settled(first)).toBe(true);
    wait.arm();
    const second = wait.until(clock.now() + 20_000);
    expect(await settled(second)).toBe(false);
    clock.advance(20_000);
    expect(await settled(second)).toBe(true);
    wait.end();
    expect(bus.subscribed).toBe(0);
    expect(waits.size).toBe(0);
  });

  it('does not miss a notice raised between arm() and until()', async () => {
    const { clock, bus, waits } = setup();
    const wait = waits.begin('w1');
    wait.arm();
    bus.publish({ kind: 'queue', projectId: null, runId: null });
    await settled(Promise.resolve());
    expect(await settled(wait.until(clock.now() + 20_000))).toBe(true);
    wait.end();
  });

  it('ends on client abort, on a newer claim of the same worker, and on close', async () => {
    const { clock, bus, waits } = setup();
    const client = new AbortController();
    const a = waits.begin('w1', client.signal);
    const pa = a.until(clock.now() + 20_000);
    client.abort();
    expect(await settled(pa)).toBe(true);
    expect(a.signal.aborted).toBe(true);

    const b = waits.begin('w2');
    const pb = b.until(clock.now() + 20_000);
    const c = waits.begin('w2'); // the same worker again: b ends
    expect(await settled(pb)).toBe(true);
    expect(b.signal.aborted).toBe(true);
    expect(c.signal.aborted).toBe(false);
    const other = waits.begin('w3');
    expect(waits.size).toBe(2);

    const pc = c.until(clock.now() + 20_000);
    const po = other.until(clock.now() + 20_000);
    waits.close();
    expect(await settled(pc)).toBe(true);
    expect(await settled(po)).toBe(true);
    for (const w of [a, b, c, other]) w.end();
    expect(bus.subscribed).toBe(0);
    expect(waits.size).toBe(0);
    // Closed: a new wait ends at once.
    const late = waits.begin('w4');
    expect(late.signal.aborted).toBe(true);
    expect(await settled(late.until(clock.now() + 20_000))).toBe(true);
    late.end();
    expect(bus.subscribed).toBe(0);
  });

  it('looks again every second when no bus is attached', async () => {
    const clock = new FakeClock();
    const waits = new ClaimWaits(clock);
    const wait = waits.begin('w1');
    const p = wait.until(clock.now() + 20_000);
    expect(await settled(p)).toBe(false);
    clock.advance(1000);
    expect(await settled(p)).toBe(true);
    wait.end();
  });
});
