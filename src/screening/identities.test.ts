import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ConfigError } from '../platform/config.ts';
import { identityHash, identityKeyFrom, keyedIdentityHash, legacyIdentityDigest } from './identities.ts';
import { IDENTITY_KEY_FILE, resolveIdentityKey } from './identity-key-config.ts';

const keyA = identityKeyFrom('a-server-secret-of-at-least-32-characters');
const keyB = identityKeyFrom('another-server-secret-of-32-characters!!');

describe('identityHash', () => {
  it('gives the same hash for the same fact written differently, under one key', () => {
    expect(identityHash('phone', '+1 (555) 010-2030', keyA)).toEqual(
      identityHash('phone', '+15550102030', keyA),
    );
    expect(identityHash('address', '12 Elm St, Springfield', keyA)).toEqual(
      identityHash('address', '12  ELM ST  Springfield', keyA),
    );
  });

  it('cannot be recomputed without the key: the old public-prefix SHA-256 no longer matches', () => {
    const { hash } = identityHash('phone', '+15550102030', keyA);
    const unkeyed = createHash('sha256').update('redress-identity:phone:+15550102030').digest('hex');
    expect(hash).not.toBe(unkeyed);
    expect(hash).toBe(keyedIdentityHash(keyA, unkeyed));
  });

  it('hashes differently under another key, and says which key made it', () => {
    const a = identityHash('email', 'dana@example.com', keyA);
    const b = identityHash('email', 'dana@example.com', keyB);
    expect(a.hash).not.toBe(b.hash);
    expect(a.keyId).toBe(keyA.id);
    expect(b.keyId).toBe(keyB.id);
    expect(keyA.id).toMatch(/^ik_[0-9a-f]{12}$/);
    expect(keyA.id).not.toBe(keyB.id);
    expect(identityKeyFrom('a-server-secret-of-at-least-32-characters').id).toBe(keyA.id);
  });

  it('re-keys a legacy digest to the hash of its value', () => {
    expect(keyedIdentityHash(keyA, legacyIdentityDigest('device_id', 'DEV-9'))).toBe(
      identityHash('device_id', 'DEV-9', keyA).hash,
    );
  });
});

describe('resolveIdentityKey', () => {
  let dataDir = '';
  afterEach(() => {
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it('takes REDRESS_IDENTITY_KEY when set', () => {
    const resolved = resolveIdentityKey({
      identityKey: 'a-server-secret-of-at-least-32-characters',
      databaseUrl: 'postgres://db/redress',
      dataDir: '/nonexistent',
      production: false,
    });
    expect(resolved).toMatchObject({ source: 'environment', key: { id: keyA.id } });
  });

  it('refuses a production database without it', () => {
    const resolve = () =>
      resolveIdentityKey({
        identityKey: undefined,
        databaseUrl: 'postgres://db/redress',
        dataDir: '/nonexistent',
        production: false,
      });
    expect(resolve).toThrow(ConfigError);
    expect(resolve).toThrow('REDRESS_IDENTITY_KEY: required with DATABASE_URL');
  });

  it('generates one key for the embedded database (or a demo), kept owner-only in the data folder', () => {
    dataDir = mkdtempSync(join(tmpdir(), 'redress-identity-'));
    const first = resolveIdentityKey({
      identityKey: undefined,
      databaseUrl: undefined,
      dataDir,
      production: false,
    });
    expect(first.source).toBe('generated');
    const file = join(dataDir, IDENTITY_KEY_FILE);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(readFileSync(file, 'utf8').trim().length).toBeGreaterThanOrEqual(32);
    const again = resolveIdentityKey(
      { identityKey: undefined, databaseUrl: 'postgres://db/demo', dataDir, production: false },
      { demo: true },
    );
    expect(again).toMatchObject({ source: 'data folder', key: { id: first.key.id } });
  });
});
