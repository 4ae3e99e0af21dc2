import { monotonicFactory } from 'ulid';
import type { Clock } from './clock.ts';

/**
 * The longest id a path may carry: ids the marketplace chooses (orders, sellers, products) are
 * documented up to this length, and the router (Fastify's `maxParamLength`) keeps the same.
 */
export const ID_MAX_LENGTH = 120;

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

const nextUlid = monotonicFactory();

export function newId(kind: IdKind, clock: Clock): string {
  return `${ID_PREFIXES[kind]}_${nextUlid(clock.now().getTime()).toLowerCase()}`;
}
