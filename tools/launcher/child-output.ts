// Output of the launcher's background children (the demo training, the dashboard's build): read
// line by line, prefixed with the part's name so parallel parts stay readable, and the lines
// the launcher reacts to recognised (the demo's run id, its epochs).
import readline from 'node:readline';
import type { Readable } from 'node:stream';

/** Calls `onLine` for every line of `stream` (the last one even without a newline). */
export function eachLine(
  stream: Readable | null | undefined,
  onLine: (line: string) => void,
): void {
  if (!stream) return;
  readline.createInterface({ input: stream, crlfDelay: Infinity }).on('line', onLine);
}

/** What a line of the training CLI's (non-TTY) output says, when it is one the launcher uses. */
export type TrainEvent =
  { kind: 'run'; runId: string } | { kind: 'epoch'; epoch: number; epochs: number };

/**
 * Recognises the training CLI's "Run <id> logged to <url>" and "epoch <n>/<N> ..." lines
 * (libs/ml/src/cli/train.cli.ts); null for any other line.
 */
export function parseTrainLine(line: string): TrainEvent | null {
  const run = /^Run (\S+) logged to \S+/.exec(line.trim());
  if (run?.[1]) return { kind: 'run', runId: run[1] };
  const epoch = /^epoch (\d+)\/(\d+)\s/.exec(line.trim());
  if (epoch?.[1] && epoch[2])
    return { kind: 'epoch', epoch: Number(epoch[1]), epochs: Number(epoch[2]) };
  return null;
}

/** Seconds since `since` (ms), for "after 12 s" in progress lines. */
export function secondsSince(since: number, now: number = Date.now()): string {
  return `${Math.max(0, Math.round((now - since) / 1000))} s`;
}
