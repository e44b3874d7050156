// Runs the API from the environment: `npx tsx apps/api/src/main.ts`.
import { startApiServer } from './server.js';

const server = await startApiServer();
console.log(`API ready at ${server.url}`);

const shutdown = (signal: string) => {
  console.log(`[api] ${signal}: shutting down`);
  server.close().then(
    () => process.exit(0),
    (err: unknown) => {
      console.error(err);
      process.exit(1);
    },
  );
};
process.once('SIGINT', () => shutdown('SIGINT'));
process.once('SIGTERM', () => shutdown('SIGTERM'));
