import { describe, expect, it } from 'vitest';
import { createCrosshairBus } from './crosshair';

describe('createCrosshairBus', () => {
  it('tells the other charts of the same group, not the sender, until they unsubscribe', () => {
    const bus = createCrosshairBus();
    const [a, b, c] = [{}, {}, {}];
    const seen: string[] = [];
    const listen = (source: object, name: string, group: string) =>
      bus.subscribe({ source, group, onMove: (x) => seen.push(`${name}:${x}`) });
    listen(a, 'a', 'epoch');
    const offB = listen(b, 'b', 'epoch');
    listen(c, 'c', 'batch');
    bus.publish(a, 'epoch', 3);
    bus.publish(b, 'epoch', null);
    expect(seen).toEqual(['b:3', 'a:null']);
    offB();
    bus.publish(a, 'epoch', 4);
    bus.publish(a, 'batch', 120);
    expect(seen).toEqual(['b:3', 'a:null', 'c:120']);
  });
});
