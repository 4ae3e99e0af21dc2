import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Config } from '../platform/config.ts';
import { ConfigError, keysFromEnvironmentRequired } from '../platform/config.ts';
import { type IdentityKey, identityKeyFrom } from './identities.ts';

export const IDENTITY_KEY_FILE = 'identity.key';

/**
 * Where the identity key comes from. `REDRESS_IDENTITY_KEY` always wins. Where keys must come
 * from the environment (`keysFromEnvironmentRequired`: production, or a PostgreSQL
 * `DATABASE_URL` outside `--demo`) it refuses to start without it: a generated key would live on
 * one machine's disk, and a second API process or a restored backup would hash with another
 * key and silently stop linking accounts. The embedded database and demos get a
 * key generated once and kept beside the data, readable by the owner only.
 */
export function resolveIdentityKey(
  config: Pick<Config, 'identityKey' | 'databaseUrl' | 'dataDir' | 'production'>,
  options: { demo?: boolean } = {},
): { key: IdentityKey; source: 'environment' | 'data folder' | 'generated' } {
  if (config.identityKey) return { key: identityKeyFrom(config.identityKey), source: 'environment' };
  if (keysFromEnvironmentRequired(config, options)) {
    throw new ConfigError(
      'Invalid configuration:\n  REDRESS_IDENTITY_KEY: required with DATABASE_URL (unless --demo) or NODE_ENV=production; ' +
        'set a secret of at least 32 characters, e.g. `openssl rand -base64 32` (see docs/security.md)',
    );
  }
  const file = join(config.dataDir, IDENTITY_KEY_FILE);
  if (existsSync(file)) {
    return { key: identityKeyFrom(readFileSync(file, 'utf8').trim()), source: 'data folder' };
  }
  mkdirSync(config.dataDir, { recursive: true });
  const secret = randomBytes(32).toString('base64url');
  // 'wx' fails if another process wrote the file first; then its key is the one to use.
  try {
    writeFileSync(file, `${secret}\n`, { mode: 0o600, flag: 'wx' });
  } catch {
    return { key: identityKeyFrom(readFileSync(file, 'utf8').trim()), source: 'data folder' };
  }
  return { key: identityKeyFrom(secret), source: 'generated' };
}
