import type { Principal } from '../platform/auth/roles.ts';
import { type ClaimStatus, canTransition, OPEN_STATUSES } from './lifecycle.ts';

/**
 * What a caller may do to a claim now, each with the deadline it must be done by (if any).
 * Computed here from the transition table, the claim's state and the caller's role and
 * ownership, so no client re-encodes the rules: the web app shows exactly these actions.
 *
 * Each name is one route of the API:
 *   decide → POST /decision, request_information → POST /information-request,
 *   refer_to_expert → POST /referrals (in expert_review without an expert: "assign an expert"),
 *   resolve_hold → POST /payout-hold, take / reassign / release → POST /assignment,
 *   note → POST /notes, message_claimant / message_seller / message → POST /messages,
 *   provide_information → POST /information, appeal → POST /appeal, withdraw → POST /withdraw,
 *   respond → POST /seller-response (accept, tender or dispute), defend → POST /seller-response
 *   (dispute or accept a claim the marketplace already paid).
 * The use cases still check every rule themselves; this only says what is worth offering.
 */
export const CLAIM_ACTIONS = [
  'decide',
  'request_information',
  'refer_to_expert',
  'resolve_hold',
  'take',
  'reassign',
  'release',
  'note',
  'message_claimant',
  'message_seller',
  'open_matter',
  'close_matter',
  'message',
  'provide_information',
  'appeal',
  'withdraw',
  'respond',
  'defend',
] as const;

export type ClaimActionName = (typeof CLAIM_ACTIONS)[number];

/** The facts about a claim the actions depend on (a subset of its row, plus what rides beside it). */
export interface ClaimActionFacts {
  status: string;
  customer_id: string;
  seller_id: string | null;
  seller_notified_at: Date | null;
  seller_response: unknown;
  payer: string | null;
  step_in: boolean;
  appealed_at: Date | null;
  owner_id: string | null;
  review_due_at: Date | null;
  info_deadline: Date | null;
  appeal_deadline: Date | null;
  seller_deadline: Date | null;
  /** The claim's payout is held on a flag raised after approval. */
  payoutHeld: boolean;
  /** The claim's payout is executing or settled: too late to withdraw. */
  payoutUnderway: boolean;
  /** An expert has an open referral on the claim. */
  withExpert: boolean;
  /** Set while the claim is a matter (in litigation: matters.ts). */
  matter_opened_at: Date | null;
}

export interface ClaimAction {
  name: ClaimActionName;
  /** The moment the action must be taken by; null when nothing presses. */
  due: Date | null;
}

const open = (status: string) => (OPEN_STATUSES as readonly string[]).includes(status);
const DECIDABLE = ['under_review'];
const ASKABLE = ['screening', 'under_review'];
/** Statuses in which staff may refer a claim to an expert: only these need to know whether one has it. */
export const REFERABLE: readonly string[] = ['screening', 'under_review', 'awaiting_seller', 'expert_review'];

function staffActions(claim: ClaimActionFacts, viewer: Principal): ClaimAction[] {
  const actions: ClaimAction[] = [];
  const add = (name: ClaimActionName, due: Date | null = null) => actions.push({ name, due });
  const reviewDue = claim.status === 'under_review' ? claim.review_due_at : null;
  if (DECIDABLE.includes(claim.status)) add('decide', reviewDue);
  if (ASKABLE.includes(claim.status)) add('request_information', reviewDue);
  if (REFERABLE.includes(claim.status) && !claim.withExpert) add('refer_to_expert', reviewDue);
  if (claim.payoutHeld) add('resolve_hold');
  if (open(claim.status)) {
    const mine = viewer.keyId !== null && claim.owner_id === viewer.keyId;
    if (!mine && viewer.keyId !== null) add('take');
    add('reassign');
    if (claim.owner_id !== null) add('release');
  }
  add('note');
  add('message_claimant');
  if (claim.seller_id !== null && claim.seller_notified_at !== null) add('message_seller');
  // Litigation: a person makes a claim a matter, and only a person closes it.
  if (claim.matter_opened_at !== null) add('close_matter');
  else if (!['withdrawn', 'closed'].includes(claim.status)) add('open_matter');
  return actions;
}

function customerActions(claim: ClaimActionFacts, viewer: Principal): ClaimAction[] {
  if (claim.customer_id !== viewer.partyId) return [];
  const actions: ClaimAction[] = [];
  if (claim.status === 'needs_info') actions.push({ name: 'provide_information', due: claim.info_deadline });
  if (claim.status === 'denied' && claim.appealed_at === null && canTransition('denied', 'under_review'))
    actions.push({ name: 'appeal', due: claim.appeal_deadline });
  if (canTransition(claim.status as ClaimStatus, 'withdrawn') && !claim.payoutUnderway)
    actions.push({ name: 'withdraw', due: null });
  actions.push({ name: 'message', due: null });
  return actions;
}

function sellerActions(claim: ClaimActionFacts, viewer: Principal): ClaimAction[] {
  if (claim.seller_id !== viewer.partyId || claim.seller_notified_at === null) return [];
  const actions: ClaimAction[] = [];
  const answered = claim.seller_response !== null && claim.seller_response !== undefined;
  if (!answered && claim.status === 'awaiting_seller')
    actions.push({ name: 'respond', due: claim.seller_deadline });
  // A small claim the marketplace paid itself: the seller may still put its defence on record.
  const paidByMarketplace =
    ['approved', 'paid', 'closed'].includes(claim.status) && claim.payer === 'marketplace' && !claim.step_in;
  if (!answered && paidByMarketplace) actions.push({ name: 'defend', due: null });
  actions.push({ name: 'message', due: null });
  return actions;
}

/** The actions this viewer may take on this claim now. Experts and insurers act elsewhere. */
export function claimActions(claim: ClaimActionFacts, viewer: Principal): ClaimAction[] {
  switch (viewer.role) {
    case 'agent':
    case 'admin':
    // A third-party administrator works its marketplaces' claims as an agent does (access.ts
    // has already refused it any other marketplace's claim).
    case 'tpa':
      return staffActions(claim, viewer);
    case 'customer':
      return customerActions(claim, viewer);
    case 'seller':
      return sellerActions(claim, viewer);
    default:
      return [];
  }
}
