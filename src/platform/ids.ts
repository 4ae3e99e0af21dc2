import { monotonicFactory } from 'ulid';
import type { Clock } from './clock.ts';
import { randomByte } from './random-pool.ts';

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
 * The same draw ulid makes by default (one crypto-random byte over 256 per character), from the
 * pool of random bytes instead of one call into crypto per character.
 */
const randomFraction = (): number => randomByte() / 256;

const nextUlid = monotonicFactory(randomFraction);

export function newId(kind: IdKind, clock: Clock): string {
  return `${ID_PREFIXES[kind]}_${nextUlid(clock.now().getTime()).toLowerCase()}`;
}
