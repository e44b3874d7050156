// Picks the artifact store from the configuration: ARTIFACTS_URL=s3://bucket/prefix for
// S3-compatible object storage (endpoint, region and credentials from the standard AWS_*
// variables), else the local folder ARTIFACTS_DIR (the default: no server needed).
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { S3Client } from '@aws-sdk/client-s3';
import type { ArtifactStore } from './artifact-store';
import { LocalArtifactStore } from './local-artifact-store';
import { S3ArtifactStore } from './s3-artifact-store';

/** Where artifacts live, parsed from ARTIFACTS_URL (or the local folder). */
export type ArtifactsLocation =
  { kind: 'local'; dir: string } | { kind: 's3'; bucket: string; prefix: string };

// S3's bucket rules (3-63 characters; lower-case letters, digits, dots and hyphens).
const BUCKET = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;

/**
 * Parses ARTIFACTS_URL: `s3://bucket[/prefix]` or `file:///absolute/folder`; empty or absent
 * means the local folder `localDir`.
 * @throws Error naming the problem for anything else
 */
export function parseArtifactsUrl(
  url: string | undefined | null,
  localDir: string,
): ArtifactsLocation {
  const raw = (url ?? '').trim();
  if (raw === '') return { kind: 'local', dir: path.resolve(localDir) };
  if (raw.startsWith('file://')) return { kind: 'local', dir: fileURLToPath(raw) };
  const m = /^s3:\/\/([^/?#]*)(?:\/([^?#]*))?$/.exec(raw);
  if (!m)
    throw new Error(
      `ARTIFACTS_URL must be s3://bucket/prefix or file:///folder, got ${JSON.stringify(raw)}`,
    );
  const bucket = m[1] ?? '';
  if (!BUCKET.test(bucket))
    throw new Error(
      `ARTIFACTS_URL names an invalid bucket ${JSON.stringify(bucket)} (3-63 lower-case letters, digits, '.' or '-')`,
    );
  const prefix = decodeURIComponent(m[2] ?? '').replace(/^\/+|\/+$/g, '');
  return { kind: 's3', bucket, prefix };
}

/**
 * An S3 client from the standard AWS variables: AWS_ENDPOINT_URL (or AWS_ENDPOINT_URL_S3) for a
 * custom endpoint (MinIO, Ceph, R2...), addressed path-style unless AWS_S3_FORCE_PATH_STYLE=0;
 * AWS_REGION (default us-east-1); credentials through the SDK's default chain
 * (AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY, profiles, instance roles).
 */
export function s3ClientFromEnv(env: NodeJS.ProcessEnv = process.env): S3Client {
  const endpoint = env.AWS_ENDPOINT_URL_S3 || env.AWS_ENDPOINT_URL || undefined;
  const pathStyle = env.AWS_S3_FORCE_PATH_STYLE;
  const { AWS_ACCESS_KEY_ID: accessKeyId, AWS_SECRET_ACCESS_KEY: secretAccessKey } = env;
  return new S3Client({
    endpoint,
    // Keys given in `env` are used as they are; otherwise the SDK's chain finds them.
    credentials:
      accessKeyId && secretAccessKey
        ? { accessKeyId, secretAccessKey, sessionToken: env.AWS_SESSION_TOKEN || undefined }
        : undefined,
    region: env.AWS_REGION || env.AWS_DEFAULT_REGION || 'us-east-1',
    forcePathStyle: pathStyle ? pathStyle !== '0' && pathStyle !== 'false' : Boolean(endpoint),
    // Checksums only where S3 requires them: the SDK's default streams uploads as aws-chunked
    // with a trailing CRC, which several S3-compatible servers store verbatim. Our PUTs carry
    // their SHA-256 explicitly instead.
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
    // A budget per request: a stalled connection fails instead of holding a request forever.
    requestHandler: { connectionTimeout: 5_000, requestTimeout: 60_000 },
    maxAttempts: 3,
  });
}

/**
 * The artifact store of this configuration.
 * @param options.url ARTIFACTS_URL (empty: the local folder)
 * @param options.dir ARTIFACTS_DIR: the local store's folder; with S3, where uploads in flight
 *   are spooled while they are hashed (its `tmp` folder)
 */
export function createArtifactStore(options: {
  url?: string | null;
  dir: string;
  env?: NodeJS.ProcessEnv;
  client?: S3Client;
}): ArtifactStore {
  const location = parseArtifactsUrl(options.url, options.dir);
  if (location.kind === 'local') return new LocalArtifactStore(location.dir);
  return new S3ArtifactStore({
    client: options.client ?? s3ClientFromEnv(options.env),
    bucket: location.bucket,
    prefix: location.prefix,
    spoolDir: path.join(path.resolve(options.dir), 'tmp'),
  });
}
