import { randomFillSync } from 'node:crypto';
import { monotonicFactory } from 'ulid';
import type { Clock } from './clock.ts';

export { ID_MAX_LENGTH } from './ids.schemas.ts';

/** Every public id is a short prefix naming its kind plus a ULID, so ids sort by creation time. */
export const ID_PREFIXES = {
  claim: 'clm',
  apiKey: 'key',
  evidence: 'evd',
  policyVersion: 'pol',
  event: 'evt',
  payout: 'pay',
  recovery: 'rec',
  journalEntry: 'jnl',
  import: 'imp',
  referral: 'ref',
  webhookEndpoint: 'whe',
  webhookDelivery: 'whd',
  mail: 'mail',
  insurancePolicy: 'ipol',
  tender: 'tnd',
  quoteRequest: 'qrq',
  quote: 'qte',
  safetyAlert: 'alr',
  regulatorReport: 'rpt',
  recall: 'rcl',
  erasure: 'ers',
  publicRecall: 'prc',
  publicRecallMatch: 'prm',
  hazardModel: 'hzm',
  contest: 'cst',
  tpaAssignment: 'tpl',
} as const;

export type IdKind = keyof typeof ID_PREFIXES;

/**
 * The same draw ulid makes by default (one crypto-random byte over 256 per character), taken
 * from a pool refilled 4 KiB at a time: by default ulid asks crypto for one byte per character,
 * sixteen calls into the kernel's generator per id, several ids per filing.
 */
const pool = new Uint8Array(4096);
let drawn = pool.length;
function randomFraction(): number {
  if (drawn === pool.length) {
    randomFillSync(pool);
    drawn = 0;
  }
  return (pool[drawn++] as number) / 256;
}

const nextUlid = monotonicFactory(randomFraction);

export function newId(kind: IdKind, clock: Clock): string {
  return `${ID_PREFIXES[kind]}_${nextUlid(clock.now().getTime()).toLowerCase()}`;
}
