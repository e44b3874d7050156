// Worker thread of a queue worker's heartbeat (run-heartbeat.ts): beats on its own event loop,
// so a training batch on the main thread cannot let a lease expire. Started by
// startWorkerHeartbeat; not meant to be imported.
import { parentPort, workerData } from 'node:worker_threads';
import { createGraphqlClient } from '../tracking/graphql-client';
import { graphqlQueueApi } from './run-queue-api';
import {
  workerBeatLoop,
  type WorkerBeatCommand,
  type WorkerBeatEvent,
  type WorkerBeatThreadData,
} from './run-heartbeat';

const data = workerData as WorkerBeatThreadData;
const port = parentPort!;
let jobIds: string[] = [];
port.on('message', (command: WorkerBeatCommand) => {
  if (command.type === 'jobs') jobIds = command.ids;
});
port.postMessage({ type: 'ready' });
// The parent stops the thread with terminate(); nothing here needs a clean shutdown.
await workerBeatLoop({
  api: graphqlQueueApi(
    createGraphqlClient({
      apiUrl: data.apiUrl,
      credentials: data.credentials,
      retry: data.retry,
      timeoutMs: data.timeoutMs,
    }),
  ),
  workerId: data.workerId,
  periodMs: data.periodMs,
  jobIds: () => jobIds,
  signal: new AbortController().signal,
  report: (event: WorkerBeatEvent) => port.postMessage(event),
});
