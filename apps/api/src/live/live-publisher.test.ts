// The metric notices' coalescing, on a FakeClock and a recording bus: the first batch after a
// quiet spell is announced at once, later ones within the gap share one trailing notice.
import { describe, expect, it } from 'vitest';
import { FakeClock } from '../common/clock';
import type { BusMessage, LiveBus } from './live-bus';
import type { LiveEvent } from './live-event';
import { LivePublisher } from './live-publisher';

function recordingBus() {
  const sent: { at: number; event: LiveEvent }[] = [];
  let now = () => 0;
  const bus: LiveBus = {
    mode: 'local',
    publish: (event) => sent.push({ at: now(), event }),
    subscribe: (_l: (m: BusMessage) => void) => () => undefined,
    start: () => Promise.resolve(),
    close: () => Promise.resolve(),
  };
  return { bus, sent, setNow: (f: () => number) => (now = f) };
}

describe('LivePublisher.runMetrics', () => {
  it('sends the first batch at once and coalesces the rest into one per gap', () => {
    const clock = new FakeClock(1_000_000);
    const { bus, sent, setNow } = recordingBus();
    setNow(() => clock.now());
    const live = new LivePublisher(bus, clock, 250);
    const run = { id: 'r1', projectId: 'p1' };
    live.runMetrics(run);
    expect(sent.map((s) => s.at)).toEqual([1_000_000]);
    // Ten batches in the next 200 ms: nothing yet, one notice when the gap is over.
    for (let i = 0; i < 10; i++) {
      clock.advance(20);
      live.runMetrics(run);
    }
    expect(sent).toHaveLength(1);
    clock.advance(50);
    expect(sent.map((s) => s.at)).toEqual([1_000_000, 1_000_250]);
    expect(sent[1]?.event).toEqual({ kind: 'run.metrics', projectId: 'p1', runId: 'r1' });
    // Quiet for a while: the next batch is announced at once again.
    clock.advance(5_000);
    live.runMetrics(run);
    expect(sent.map((s) => s.at)).toEqual([1_000_000, 1_000_250, 1_005_250]);
  });

  it('keeps runs apart and forgets them once quiet', () => {
    const clock = new FakeClock(0);
    const { bus, sent } = recordingBus();
    const live = new LivePublisher(bus, clock, 250);
    live.runMetrics({ id: 'a', projectId: 'p' });
    live.runMetrics({ id: 'b', projectId: 'p' });
    expect(sent.map((s) => s.event.kind === 'run.metrics' && s.event.runId)).toEqual(['a', 'b']);
    clock.advance(1_000);
    // Nothing pending after the gap: close() has nothing left to cancel and no late notice comes.
    live.close();
    clock.advance(1_000);
    expect(sent).toHaveLength(2);
  });
});
