import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { KEY_BYTES } from './sealing.ts';

/**
 * The master key wraps every data key; it never touches personal data itself. It comes from
 * configuration (`REDRESS_MASTER_KEY`, base64 of 32 bytes). During a rotation the key being
 * retired is `REDRESS_MASTER_KEY_PREVIOUS`: data keys wrapped by either open, and
 * `redress keys rotate-master` re-wraps the old ones under the current key.
 */
export interface MasterKey {
  /** A fingerprint stored beside each wrapped key, so we know which master key wrapped it. */
  id: string;
  key: Buffer;
}

export interface MasterKeys {
  current: MasterKey;
  previous: MasterKey | null;
}

export class MasterKeyError extends Error {}

export function masterKeyFrom(bytes: Buffer): MasterKey {
  if (bytes.length !== KEY_BYTES)
    throw new MasterKeyError(`a master key is ${KEY_BYTES} bytes, not ${bytes.length}`);
  return { id: createHash('sha256').update(bytes).digest('hex').slice(0, 16), key: bytes };
}

export function parseMasterKey(base64: string): MasterKey {
  return masterKeyFrom(Buffer.from(base64.trim(), 'base64'));
}

/**
 * The store and use cases get a Queryable, not the application context, so the keys are held
 * once per process, set at start-up (`startRuntime`, the test harness): a process serves one
 * deployment, which has one master key configuration.
 */
let installed: MasterKeys | null = null;

export function installMasterKeys(keys: MasterKeys): void {
  installed = keys;
}

export function masterKeys(): MasterKeys {
  if (!installed)
    throw new MasterKeyError('no master key installed: personal data cannot be sealed or opened');
  return installed;
}

/** Tests and benchmarks: a fixed key derived from a label, never used outside them. */
export function testMasterKeys(label = 'redress test master key'): MasterKeys {
  return { current: masterKeyFrom(createHash('sha256').update(label).digest()), previous: null };
}

export interface MasterKeySettings {
  masterKey: string | undefined;
  previousMasterKey: string | undefined;
  /** Keys must come from the environment (`keysFromEnvironmentRequired` in config.ts). */
  required: boolean;
  dataDir: string;
}

/**
 * Where keys must come from the environment (NODE_ENV=production, or DATABASE_URL outside
 * `--demo`) it refuses to start without REDRESS_MASTER_KEY: a generated key beside the data would
 * protect nothing, and a second machine would generate another and read nothing. Elsewhere (demo, development) a key is generated
 * once into `<data dir>/master.key` (mode 0600) and a warning says so on every start.
 */
export function resolveMasterKeys(settings: MasterKeySettings, warn: (message: string) => void): MasterKeys {
  const previous = settings.previousMasterKey ? parseMasterKey(settings.previousMasterKey) : null;
  if (settings.masterKey) return { current: parseMasterKey(settings.masterKey), previous };
  if (settings.required) {
    throw new MasterKeyError(
      'REDRESS_MASTER_KEY is required with DATABASE_URL (unless --demo) or NODE_ENV=production: it wraps the keys that ' +
        'encrypt personal data at rest. Generate one with `openssl rand -base64 32` and keep it in ' +
        'your secret store, apart from database backups.',
    );
  }
  const file = join(settings.dataDir, 'master.key');
  let encoded: string;
  try {
    encoded = readFileSync(file, 'utf8');
  } catch {
    encoded = randomBytes(KEY_BYTES).toString('base64');
    mkdirSync(settings.dataDir, { recursive: true });
    writeFileSync(file, `${encoded}\n`, { mode: 0o600, flag: 'wx' });
  }
  warn(
    `REDRESS_MASTER_KEY is not set: personal data is encrypted with a demo master key kept in ${file}. ` +
      'Anyone who can read that folder can read the data; set REDRESS_MASTER_KEY in production.',
  );
  return { current: parseMasterKey(encoded), previous };
}
