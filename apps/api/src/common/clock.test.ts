import { describe, expect, it } from 'vitest';
import { FakeClock } from './clock';

describe('FakeClock', () => {
  it('moves only when advanced, running due timers at their own time', () => {
    const clock = new FakeClock(1000);
    const seen: [string, number][] = [];
    clock.setTimeout(() => seen.push(['once', clock.now()]), 250);
    const tick = clock.setInterval(() => seen.push(['tick', clock.now()]), 100);
    expect(clock.now()).toBe(1000);
    clock.advance(99);
    expect(seen).toEqual([]);
    clock.advance(201);
    expect(seen).toEqual([
      ['tick', 1100],
      ['tick', 1200],
      ['once', 1250],
      ['tick', 1300],
    ]);
    expect(clock.now()).toBe(1300);
    clock.clear(tick);
    clock.advance(1000);
    expect(seen).toHaveLength(4);
  });
});
