import { describe, expect, it } from 'vitest';
import type { Principal } from '../platform/auth/roles.ts';
import { type ClaimActionFacts, claimActions } from './claim-actions.ts';
import { CLAIM_STATUSES } from './lifecycle.ts';

const at = (iso: string) => new Date(iso);
const agent: Principal = { role: 'agent', partyId: null, keyId: 'key_jordan', requestId: null };
const admin: Principal = { role: 'admin', partyId: null, keyId: 'key_admin', requestId: null };
const customer: Principal = { role: 'customer', partyId: 'cus_dana', keyId: 'key_c', requestId: null };
const stranger: Principal = { role: 'customer', partyId: 'cus_other', keyId: 'key_o', requestId: null };
const seller: Principal = { role: 'seller', partyId: 'slr_acme', keyId: 'key_s', requestId: null };
const expert: Principal = { role: 'expert', partyId: 'exp_lee', keyId: 'key_e', requestId: null };
const insurer: Principal = { role: 'insurer', partyId: 'ins_x', keyId: 'key_i', requestId: null };

function claim(overrides: Partial<ClaimActionFacts> = {}): ClaimActionFacts {
  return {
    status: 'under_review',
    customer_id: 'cus_dana',
    seller_id: 'slr_acme',
    seller_notified_at: at('2026-11-20T10:00:00Z'),
    seller_response: null,
    payer: null,
    step_in: false,
    appealed_at: null,
    owner_id: null,
    review_due_at: at('2026-12-02T05:00:00Z'),
    info_deadline: at('2026-12-10T05:00:00Z'),
    appeal_deadline: at('2026-12-30T05:00:00Z'),
    seller_deadline: at('2026-12-01T05:00:00Z'),
    payoutHeld: false,
    payoutUnderway: false,
    withExpert: false,
    matter_opened_at: null,
    ...overrides,
  };
}

const names = (facts: ClaimActionFacts, who: Principal) => claimActions(facts, who).map((a) => a.name);

describe('what an agent may do', () => {
  it('decides, asks for information or refers a review, due when the review is', () => {
    const actions = claimActions(claim(), agent);
    expect(actions.map((a) => a.name)).toEqual([
      'decide',
      'request_information',
      'refer_to_expert',
      'take',
      'reassign',
      'note',
      'message_claimant',
      'message_seller',
      'open_matter',
    ]);
    expect(actions.find((a) => a.name === 'decide')?.due).toEqual(at('2026-12-02T05:00:00Z'));
    expect(actions.find((a) => a.name === 'take')?.due).toBeNull();
  });

  it('is offered to assign an expert to a claim in expert review nobody works on, not a decision', () => {
    expect(names(claim({ status: 'expert_review' }), agent)).toContain('refer_to_expert');
    expect(names(claim({ status: 'expert_review' }), agent)).not.toContain('decide');
    expect(names(claim({ status: 'expert_review', withExpert: true }), agent)).not.toContain(
      'refer_to_expert',
    );
  });

  it('does not take its own claim again, but may release or reassign it', () => {
    const mine = names(claim({ owner_id: 'key_jordan' }), agent);
    expect(mine).not.toContain('take');
    expect(mine).toEqual(expect.arrayContaining(['reassign', 'release']));
    expect(names(claim({ owner_id: 'key_other' }), agent)).toEqual(
      expect.arrayContaining(['take', 'release']),
    );
  });

  it('works only open claims: a paid claim takes notes and messages, nothing else', () => {
    expect(names(claim({ status: 'paid' }), agent)).toEqual([
      'note',
      'message_claimant',
      'message_seller',
      'open_matter',
    ]);
    expect(names(claim({ status: 'closed' }), admin)).toEqual(['note', 'message_claimant', 'message_seller']);
  });

  it('makes a claim a matter, and closes a matter, never both', () => {
    expect(names(claim(), agent)).toContain('open_matter');
    const suing = names(claim({ matter_opened_at: at('2026-11-25T10:00:00Z') }), agent);
    expect(suing).toContain('close_matter');
    expect(suing).not.toContain('open_matter');
    expect(names(claim({ status: 'withdrawn' }), agent)).not.toContain('open_matter');
    expect(names(claim(), customer)).not.toContain('open_matter');
  });

  it('asks for information during screening, and writes to the seller only once it was told', () => {
    const screening = names(claim({ status: 'screening', seller_notified_at: null }), agent);
    expect(screening).toContain('request_information');
    expect(screening).not.toContain('decide');
    expect(screening).not.toContain('message_seller');
  });

  it('releases or cancels a held payout', () => {
    expect(names(claim({ status: 'approved', payoutHeld: true }), agent)).toContain('resolve_hold');
    expect(names(claim({ status: 'approved' }), agent)).not.toContain('resolve_hold');
  });

  it('has no decision in any status but under review', () => {
    for (const status of CLAIM_STATUSES) {
      expect(names(claim({ status }), agent).includes('decide')).toBe(status === 'under_review');
    }
  });
});

describe('what the claimant may do', () => {
  it('answers a request for information by its deadline', () => {
    const actions = claimActions(claim({ status: 'needs_info' }), customer);
    expect(actions.map((a) => a.name)).toEqual(['provide_information', 'withdraw', 'message']);
    expect(actions[0]?.due).toEqual(at('2026-12-10T05:00:00Z'));
  });

  it('appeals a denial once, within the window, and cannot withdraw it', () => {
    expect(names(claim({ status: 'denied' }), customer)).toEqual(['appeal', 'message']);
    expect(claimActions(claim({ status: 'denied' }), customer)[0]?.due).toEqual(at('2026-12-30T05:00:00Z'));
    expect(names(claim({ status: 'denied', appealed_at: at('2026-12-01T00:00:00Z') }), customer)).toEqual([
      'message',
    ]);
  });

  it('withdraws before payment, not once the payout is under way or the claim is paid', () => {
    expect(names(claim({ status: 'approved' }), customer)).toContain('withdraw');
    expect(names(claim({ status: 'approved', payoutUnderway: true }), customer)).not.toContain('withdraw');
    expect(names(claim({ status: 'paid' }), customer)).toEqual(['message']);
  });

  it("acts on no one else's claim", () => {
    expect(claimActions(claim({ status: 'needs_info' }), stranger)).toEqual([]);
  });
});

describe('what the seller may do', () => {
  it('answers a claim awaiting it by the seller deadline, once', () => {
    const actions = claimActions(claim({ status: 'awaiting_seller' }), seller);
    expect(actions.map((a) => a.name)).toEqual(['respond', 'message']);
    expect(actions[0]?.due).toEqual(at('2026-12-01T05:00:00Z'));
    expect(
      names(claim({ status: 'awaiting_seller', seller_response: { action: 'dispute' } }), seller),
    ).toEqual(['message']);
  });

  it('defends its product on a small claim the marketplace paid itself', () => {
    expect(names(claim({ status: 'paid', payer: 'marketplace' }), seller)).toEqual(['defend', 'message']);
    expect(names(claim({ status: 'paid', payer: 'marketplace', step_in: true }), seller)).toEqual([
      'message',
    ]);
  });

  it('does nothing on a claim it was not told of, or about another seller', () => {
    expect(claimActions(claim({ status: 'awaiting_seller', seller_notified_at: null }), seller)).toEqual([]);
    expect(claimActions(claim({ status: 'awaiting_seller', seller_id: 'slr_other' }), seller)).toEqual([]);
  });
});

it('offers experts and insurers nothing on the claim itself (they act on referrals and tenders)', () => {
  expect(claimActions(claim(), expert)).toEqual([]);
  expect(claimActions(claim({ status: 'awaiting_insurer' }), insurer)).toEqual([]);
});
