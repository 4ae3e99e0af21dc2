import { z } from 'zod';
import type { Principal } from '../platform/auth/roles.ts';
import { notFound } from '../platform/errors.ts';
import { ZMoney } from '../platform/money.ts';
import type { RecoveryRow } from './recoveries.ts';

/** A recovery case as the API shows it, with an example taken from the demo's quarter. */

const usd = (value: number) => ({ value, currency: 'USD' });

export const RECOVERY_EXAMPLE = {
  id: 'rec_01m8mde2p1kh4908cmvand5571',
  claimId: 'clm_01m8mde2p1kh4908cmvand5570',
  debtor: 'seller' as const,
  sellerId: 'slr-acme',
  customerId: null,
  insurerId: null,
  status: 'invoiced' as const,
  amount: usd(120000),
  offset: usd(20000),
  recovered: usd(0),
  writtenOff: usd(0),
  outstanding: usd(100000),
  waiverReason: null,
  writtenOffReason: null,
  dueAt: '2026-12-29T05:00:00.000Z',
  updatedAt: '2026-11-29T15:00:00.000Z',
};

export const RECOVERY_STATUSES = [
  'waived',
  'pending',
  'offset',
  'invoiced',
  'tendered_to_insurer',
  'recovered',
  'written_off',
] as const;

export const ZRecovery = z
  .object({
    id: z.string().describe('The recovery id (rec_…)'),
    claimId: z.string().describe('The claim the marketplace paid in another party’s place'),
    debtor: z
      .enum(['seller', 'customer'])
      .describe('Who owes it: the seller, or the claimant when a claim was flagged after its payout left'),
    sellerId: z.string().nullable().describe('The seller that owes it, when the debtor is the seller'),
    customerId: z.string().nullable().describe('The claimant that owes it, when the debtor is the customer'),
    insurerId: z.string().nullable().describe('The seller’s insurer, once the debt is tendered to it'),
    status: z
      .enum(RECOVERY_STATUSES)
      .describe(
        'pending: opened; offset: taken from proceeds; invoiced: the rest billed; tendered_to_insurer: the ' +
          'insurer answers; waived (under the marketplace’s threshold), recovered and written_off are final',
      ),
    amount: ZMoney.describe('What the marketplace paid and seeks back'),
    offset: ZMoney.describe('Taken from the seller’s proceeds held by the marketplace'),
    recovered: ZMoney.describe('Received from the debtor or its insurer'),
    writtenOff: ZMoney.describe('Given up on; the guarantee fund bears it'),
    outstanding: ZMoney.describe('Still owed; 0 once the case is settled'),
    waiverReason: z.string().nullable().describe('Why the case was waived, if it was'),
    writtenOffReason: z.string().nullable().describe('The agent’s reason for the write-off, if any'),
    dueAt: z.string().nullable().describe('When the invoice falls due'),
    updatedAt: z.string(),
  })
  .meta({ id: 'Recovery', example: RECOVERY_EXAMPLE });

export function toRecoveryView(r: RecoveryRow): z.infer<typeof ZRecovery> {
  const m = (value: number) => ({ value, currency: r.currency });
  const open = ['pending', 'invoiced', 'tendered_to_insurer'].includes(r.status);
  return {
    id: r.id,
    claimId: r.claim_id,
    debtor: r.debtor,
    sellerId: r.seller_id,
    customerId: r.customer_id,
    insurerId: r.insurer_id,
    status: r.status as z.infer<typeof ZRecovery>['status'],
    amount: m(r.amount),
    offset: m(r.offset_amount),
    recovered: m(r.recovered_amount),
    writtenOff: m(r.written_off_amount),
    outstanding: m(open ? r.amount - r.offset_amount - r.recovered_amount - r.written_off_amount : 0),
    waiverReason: r.waiver_reason,
    writtenOffReason: r.written_off_reason,
    dueAt: r.due_at?.toISOString() ?? null,
    updatedAt: r.updated_at.toISOString(),
  };
}

/** A seller or insurer may read only what concerns it; staff read everything. Others get 404. */
export function requireOwnRecovery(
  principal: Principal,
  r: RecoveryRow | undefined,
  id: string,
): RecoveryRow {
  const staff = principal.role === 'admin' || principal.role === 'agent';
  const own =
    (principal.role === 'seller' && r?.seller_id === principal.partyId) ||
    (principal.role === 'insurer' && r?.insurer_id === principal.partyId);
  if (!r || !(staff || own)) throw notFound('recovery', id);
  return r;
}
