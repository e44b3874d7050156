import { describe, expect, it } from 'vitest';
import { PackBudget } from './budget';
import { resolvePackOptions } from './options';
import { runStages, type PackContext, type PackStage } from './stage';

const file = (name: string, bytes: number) => ({
  name,
  kind: 'test',
  mimeType: 'application/octet-stream',
  data: new Uint8Array(bytes),
  metadata: {},
});

describe('PackBudget', () => {
  it('keeps files in order while they fit the byte budget and lists the others', () => {
    const budget = new PackBudget({ maxBytes: 10, maxSeconds: 60 });
    expect(budget.add(file('a', 4))).toBe(true);
    expect(budget.add(file('b', 7))).toBe(false); // 11 > 10
    expect(budget.add(file('c', 6))).toBe(true); // exactly 10 fits
    expect(budget.add(file('d', 1))).toBe(false);
    expect(budget.files.map((f) => [f.name, f.bytes])).toEqual([
      ['a', 4],
      ['c', 6],
    ]);
    expect(budget.totalBytes).toBe(10);
    expect(budget.skipped).toEqual([
      { what: 'b', reason: 'byte budget of 10 reached' },
      { what: 'd', reason: 'byte budget of 10 reached' },
    ]);
  });

  it('is spent only strictly past its time limit, on its own clock', () => {
    let now = 1000;
    const budget = new PackBudget({ maxBytes: 1, maxSeconds: 2 }, () => now);
    now = 3000; // exactly 2 s
    expect(budget.elapsedSeconds()).toBe(2);
    expect(budget.timeSpent()).toBe(false);
    now = 3001;
    expect(budget.timeSpent()).toBe(true);
    budget.skipForTime('filters conv1');
    expect(budget.skipped).toEqual([{ what: 'filters conv1', reason: 'time budget of 2 s spent' }]);
  });
});

describe('runStages', () => {
  it('skips the stages that start after the time budget, lists errors and goes on', async () => {
    let now = 0;
    const budget = new PackBudget({ maxBytes: 100, maxSeconds: 5 }, () => now);
    const ran: string[] = [];
    const stage = (name: string, run: () => void): PackStage => ({
      name,
      run: async () => {
        ran.push(name);
        run();
        await Promise.resolve();
      },
    });
    const context = { budget, options: resolvePackOptions({}).options } as Partial<PackContext>;
    const timings = await runStages(
      [
        stage('one', () => budget.add(file('x', 60))),
        stage('broken', () => {
          throw new Error('no conv layer');
        }),
        stage('slow', () => {
          budget.add(file('y', 60)); // over the byte budget: listed, not kept
          now = 6000;
        }),
        stage('late', () => budget.add(file('z', 1))),
      ],
      context as PackContext,
    );
    expect(ran).toEqual(['one', 'broken', 'slow']);
    expect(Object.keys(timings)).toEqual(['one', 'broken', 'slow']);
    expect(budget.files.map((f) => f.name)).toEqual(['x']);
    expect(budget.skipped).toEqual([
      { what: 'broken', reason: 'no conv layer' },
      { what: 'y', reason: 'byte budget of 100 reached' },
      { what: 'late', reason: 'time budget of 5 s spent' },
    ]);
  });
});

describe('resolvePackOptions', () => {
  it('keeps the defaults for unset or undefined fields and tells what the caller set', () => {
    const { given, options } = resolvePackOptions({
      samples: 3,
      maxBytes: undefined,
      topKImages: 50,
    });
    expect(given).toEqual({ samples: 3, topKImages: 50 });
    expect(options.samples).toBe(3);
    expect(options.maxBytes).toBe(4 * 1024 * 1024);
    expect(options.topKImages).toBe(50);
  });
});
