// Runs the API from the environment: `npx tsx apps/api/src/main.ts`.
import { startApiServer } from './server';

const server = await startApiServer();
console.log(`API ready at ${server.url}`);
// Under `npm start` the launcher supervises this process (IPC channel): tell it where the API is.
process.send?.({ type: 'api-ready', url: server.url, pid: process.pid });
// Like Jupyter: a one-time link signs the operator into the dashboard (owner account).
if (process.env.LOGIN_LINK !== '0') {
  const link = await server.loginLink();
  console.log(
    `[api] sign in to the dashboard as ${server.ownerEmail} (one-time link, 15 min):\n      ${link}`,
  );
}

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
