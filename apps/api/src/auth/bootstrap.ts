// Zero set-up on the embedded default: on start the server makes sure an owner account exists
// and that the local key file holds a working admin key, which the CLIs and workers on the same
// machine read by themselves. The file is mode 0600, like an SSH key.
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { IdentityService } from './identity.service';
import type { PrincipalResolver } from './principal';

/** Reads a secret file, or creates it with `make()` (mode 0600, written atomically). */
export function readOrCreateSecretFile(file: string, make: () => string): string {
  try {
    const existing = fs.readFileSync(file, 'utf8').trim();
    if (existing) return existing;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  return writeSecretFile(file, make());
}

/** Writes a secret file with mode 0600 (temp file + rename, so readers never see half of it). */
export function writeSecretFile(file: string, value: string): string {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  fs.writeFileSync(tmp, `${value}\n`, { mode: 0o600 });
  fs.renameSync(tmp, file);
  fs.chmodSync(file, 0o600);
  return value;
}

/** The signing secret of sessions: env CONVSCOPE_AUTH_SECRET, else a generated file. */
export function authSecret(file: string): string {
  const fromEnv = process.env.CONVSCOPE_AUTH_SECRET ?? process.env.BETTER_AUTH_SECRET;
  if (fromEnv) {
    if (fromEnv.length < 32)
      throw new Error('CONVSCOPE_AUTH_SECRET must be at least 32 characters');
    return fromEnv;
  }
  return readOrCreateSecretFile(file, () => randomBytes(32).toString('base64url'));
}

/**
 * Ensures the owner account and a valid local admin key in `keyFile`. A key file whose key no
 * longer works (revoked, another database) is replaced. Returns the key and the owner's e-mail.
 */
export async function ensureLocalKey(options: {
  identity: IdentityService;
  principals: PrincipalResolver;
  keyFile: string;
}): Promise<{ key: string; ownerEmail: string; createdOwner: boolean }> {
  const { identity, principals, keyFile } = options;
  const before = await identity.users(1, null);
  const owner = await identity.ensureOwner();
  const createdOwner = before.length === 0;
  let key: string | null = null;
  try {
    key = fs.readFileSync(keyFile, 'utf8').trim() || null;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  if (key) {
    try {
      const p = await principals.fromHeaders({ authorization: `Bearer ${key}` });
      if (p.kind === 'user' && p.isAdmin && !p.cap?.projectIds && p.cap?.role === 'owner')
        return { key, ownerEmail: owner.email, createdOwner };
    } catch {
      // Refused: replaced below.
    }
  }
  const created = await identity.createApiKey({
    userId: owner.id,
    name: `local (${os.hostname()})`,
    role: 'owner',
    projectIds: null,
  });
  writeSecretFile(keyFile, created.key);
  return { key: created.key, ownerEmail: owner.email, createdOwner };
}
