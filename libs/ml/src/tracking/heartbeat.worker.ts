// Worker thread of a run's heartbeat (heartbeat.ts): beats on its own event loop, so synchronous
// work on the main thread cannot delay them. Started by startHeartbeat; not meant to be imported.
import { parentPort, workerData } from 'node:worker_threads';
import { createGraphqlClient } from './graphql-client';
import { heartbeatLoop, type HeartbeatEvent, type HeartbeatWorkerData } from './heartbeat';

const data = workerData as HeartbeatWorkerData;
const port = parentPort!;
// Loaded: the parent stops its stand-in beats from the main thread.
port.postMessage({ type: 'ready' });
// The parent stops the thread with terminate(); nothing here needs a clean shutdown.
await heartbeatLoop({
  client: createGraphqlClient({
    apiUrl: data.apiUrl,
    credentials: data.credentials,
    retry: data.retry,
    timeoutMs: data.timeoutMs,
  }),
  runId: data.runId,
  periodMs: data.periodMs,
  signal: new AbortController().signal,
  report: (event: HeartbeatEvent) => port.postMessage(event),
});
