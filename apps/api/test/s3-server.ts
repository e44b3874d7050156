// An S3-compatible server for tests: s3rver (pure Node, installs from npm) on a random port
// with a temp directory, and an S3 client configured the way create-artifact-store.ts
// configures one from the AWS_* variables.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { S3Client } from '@aws-sdk/client-s3';
import S3rver from 's3rver';
import { s3ClientFromEnv } from '../src/artifact/create-artifact-store';

/** A running s3rver with one bucket. */
export interface TestS3 {
  /** http://127.0.0.1:<port> */
  endpoint: string;
  bucket: string;
  /** The AWS_* variables that point a client at this server. */
  env: Record<string, string>;
  client: S3Client;
  stop(): Promise<void>;
}

/** Starts s3rver on a random port with `bucket` created. */
export async function startTestS3(bucket = 'convscope-test'): Promise<TestS3> {
  const directory = fs.mkdtempSync(path.join(os.tmpdir(), 'convscope-s3rver-'));
  const server = new S3rver({
    address: '127.0.0.1',
    port: 0,
    silent: true,
    directory,
    configureBuckets: [{ name: bucket }],
  });
  const { port } = await server.run();
  const endpoint = `http://127.0.0.1:${port}`;
  // s3rver's fixed credentials.
  const env = {
    AWS_ENDPOINT_URL: endpoint,
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: 'S3RVER',
    AWS_SECRET_ACCESS_KEY: 'S3RVER',
  };
  const client = s3ClientFromEnv(env);
  return {
    endpoint,
    bucket,
    env,
    client,
    async stop() {
      client.destroy();
      await server.close();
      fs.rmSync(directory, { recursive: true, force: true });
    },
  };
}
