// The reaper's bookkeeping of signs of life, on a stub repository: a write that arrived counts
// from its arrival, even while it still waits for the database when the sweep runs.
import { describe, expect, it } from 'vitest';
import type { ProjectService } from '../project/project.service';
import type { RunRepository } from './run.repository';
import { RunService } from './run.service';

function stubRepository() {
  const touched: [string, number][] = [];
  const sweeps: { cutoff: number; except: string[] }[] = [];
  const repo = {
    async touchHeartbeat(id: string, at: Date) {
      touched.push([id, at.getTime()]);
      return true;
    },
    async failStale(cutoff: Date, _now: Date, _error: string, except: string[] = []) {
      sweeps.push({ cutoff: cutoff.getTime(), except });
      return [];
    },
  };
  return { repo: repo as unknown as RunRepository, touched, sweeps };
}

describe('RunService.reapStale', () => {
  const t0 = Date.parse('2026-01-01T00:00:00Z');

  it('stores the arrival time of recent writes and spares their runs', async () => {
    const { repo, touched, sweeps } = stubRepository();
    const service = new RunService(repo, {} as ProjectService);
    service.noteAlive('writing', new Date(t0 + 50_000));
    service.noteAlive('writing', new Date(t0 + 40_000)); // processed out of order: ignored
    service.noteAlive('silent', new Date(t0 - 1000)); // older than the cutoff: no help
    await service.reapStale(60, new Date(t0 + 60_000));
    expect(touched).toEqual([['writing', t0 + 50_000]]);
    expect(sweeps).toEqual([{ cutoff: t0, except: ['writing'] }]);
    // Stored once: the next sweep relies on the database.
    await service.reapStale(60, new Date(t0 + 70_000));
    expect(touched).toHaveLength(1);
    expect(sweeps[1]?.except).toEqual([]);
  });
});
