import { describe, expect, it } from 'vitest';
import { DECISION_DENIAL_CODES } from '../claims/denial-codes.ts';
import { INELIGIBILITY_CODES } from '../claims/eligibility.ts';
import { DEFAULT_SIGNAL_WEIGHTS, HARD_RULES } from '../screening/signals.ts';
import {
  AUDIENCES,
  EVENT_CATALOGUE,
  EVENT_TYPES,
  eventForAudience,
  eventTypesFor,
  isVisibleTo,
  messageForAudience,
  type PartyAudience,
  reasonWords,
  typesFor,
  wordsFor,
} from './catalogue.ts';

const PARTIES = AUDIENCES.filter((a): a is PartyAudience => a !== 'staff');
const SIGNAL_CODES = Object.keys(DEFAULT_SIGNAL_WEIGHTS);

/** What screening and staff write about a claim: none of it may reach a claimant, seller or insurer. */
const SCREENING_DATA = {
  score: 0.87,
  signals: [{ code: 'frequent_claimant', reason: 'SECRET-3 claims this year', weight: 1.5 }],
  hardRule: 'duplicate_evidence_file',
  reviewKind: 'risk',
  confidence: 0.9,
  notes: 'SECRET-expert thinks the photo is staged',
  terms: ['SECRET-fake'],
  expertId: 'exp_SECRET',
  severity: 'SECRET-serious',
  counterfeit: true,
};
const SCREENING_FIELDS = Object.keys(SCREENING_DATA);

/** Every field any audience may see, with a harmless value, so each view has something to drop. */
const allVisibleFields = () => {
  const data: Record<string, unknown> = {};
  for (const entry of Object.values(EVENT_CATALOGUE))
    for (const view of Object.values(entry.parties)) for (const f of view?.fields ?? []) data[f] = `v-${f}`;
  return data;
};

function sample(type: string) {
  return {
    id: 'evt_1',
    type,
    at: '2026-11-16T15:00:00.000Z',
    actor: { role: 'agent', id: 'key_SECRET_agent' },
    reason: 'frequent_claimant,high_claim_to_order_ratio',
    data: { ...allVisibleFields(), ...SCREENING_DATA, from: 'screening', to: 'expert_review' },
  };
}

describe('the event catalogue', () => {
  it('lists every event type once, each with a description and words in English and Spanish', () => {
    expect(EVENT_TYPES.length).toBeGreaterThanOrEqual(59);
    for (const type of EVENT_TYPES) {
      const entry = EVENT_CATALOGUE[type];
      expect(entry?.description, type).toMatch(/\w{3}/);
      expect(entry?.words.en, type).toMatch(/\w{3}/);
      expect(entry?.words.es, type).toMatch(/\w{3}/);
      expect(entry?.words.es, type).not.toBe(entry?.words.en);
    }
  });

  it('has German words for every type a claimant sees (the German marketplace writes to its claimants in German)', () => {
    const claimantTypes = EVENT_TYPES.filter((type) => isVisibleTo(type, 'claimant'));
    expect(claimantTypes.length).toBeGreaterThan(20);
    for (const type of claimantTypes) {
      const words = wordsFor(type, 'claimant');
      expect(words?.de, type).toMatch(/\w{3}/);
      expect(words?.de, type).not.toBe(words?.en);
    }
    expect(reasonWords('outside_filing_window', 'de')).toBe(
      'der Antrag wurde zu lange nach dem Vorfall gestellt',
    );
    for (const code of [...INELIGIBILITY_CODES, ...DECISION_DENIAL_CODES])
      expect(reasonWords(code, 'de'), code).not.toBe(reasonWords(code, 'en'));
  });

  it('walks every type × every audience: a party gets only its listed fields and no screening vocabulary', () => {
    let shown = 0;
    for (const type of EVENT_TYPES) {
      const event = sample(type);
      expect(eventForAudience(event, 'staff')).toBe(event);
      for (const audience of PARTIES) {
        const view = EVENT_CATALOGUE[type]?.parties[audience];
        const visible = eventForAudience(event, audience);
        if (!view) {
          expect(visible, `${type} → ${audience}`).toBeNull();
          continue;
        }
        shown++;
        expect(visible, `${type} → ${audience}`).not.toBeNull();
        for (const field of Object.keys(visible?.data ?? {})) expect(view.fields, type).toContain(field);
        const text = JSON.stringify(visible);
        expect(text, `${type} → ${audience}`).not.toMatch(/SECRET|frequent_claimant|high_claim_to_order/);
        expect(text, `${type} → ${audience}`).not.toContain('expert_review');
        if (audience !== 'expert') expect(visible?.type, type).not.toMatch(/expert|risk|\.screened/);
        expect(visible?.reason ?? null, `${type} → ${audience}`).toBeNull();
      }
    }
    expect(shown).toBeGreaterThan(60);
  });

  it('lets no party view list a screening field, nor allow a signal code or hard rule as a reason', () => {
    for (const [type, entry] of Object.entries(EVENT_CATALOGUE)) {
      for (const [audience, view] of Object.entries(entry.parties)) {
        for (const field of SCREENING_FIELDS)
          expect(view?.fields, `${type} → ${audience}`).not.toContain(field);
        const codes = Array.isArray(view?.reason) ? view.reason : [];
        for (const code of [...SIGNAL_CODES, ...HARD_RULES])
          expect(codes, `${type} → ${audience}`).not.toContain(code);
      }
    }
  });

  it('shows a referral to the claimant as a review like any other, in its words', () => {
    const referral = eventForAudience(sample('claim.referred_to_expert'), 'claimant');
    expect(referral).toMatchObject({
      type: 'claim.review_started',
      reason: null,
      data: { from: 'screening', to: 'under_review' },
      actor: { role: 'marketplace', id: null },
    });
    expect(wordsFor('claim.review_started', 'claimant')).toEqual({
      en: 'Our team is reviewing your claim',
      es: 'Estamos revisando su reclamación',
      de: 'Unser Team prüft Ihren Antrag',
    });
    expect(typesFor('claimant')).not.toContain('claim.referred_to_expert');
    expect(typesFor('claimant')).not.toContain('claim.screened');
    expect(eventForAudience(sample('claim.viewed_by_expert'), 'claimant')).toBeNull();
  });

  it('shows a party only the reasons written for it or listed for it', () => {
    const denial = { type: 'claim.denied', reason: 'outside_filing_window', data: { note: 'staff only' } };
    expect(eventForAudience(denial, 'claimant')).toMatchObject({ reason: 'outside_filing_window', data: {} });
    const approval = { type: 'claim.approved', reason: 'Photos show the charger caused it', data: {} };
    expect(eventForAudience(approval, 'claimant')?.reason).toBeNull();
    const appeal = {
      type: 'claim.appealed',
      actor: { role: 'customer', id: 'cus_dana' },
      reason: 'My photos were not looked at',
      data: {},
    };
    expect(eventForAudience(appeal, 'claimant')?.reason).toBe('My photos were not looked at');
    expect(eventForAudience(appeal, 'seller')).toBeNull();
    const withdrawnByAgent = { ...appeal, type: 'claim.withdrawn', actor: { role: 'agent', id: 'key_1' } };
    expect(eventForAudience(withdrawnByAgent, 'claimant')?.reason).toBeNull();
  });

  it('filters an outbox payload the same way, keeping the claim it is about', () => {
    const payload = {
      claimId: 'clm_1',
      sellerId: 'slr_acme',
      customerId: 'cus_dana',
      status: 'expert_review',
      payer: null,
      stepIn: false,
      reason: 'frequent_claimant',
      data: { payer: 'marketplace', score: 3 },
    };
    expect(messageForAudience('claim.approved', payload, 'seller')).toEqual({
      type: 'claim.approved',
      payload: { ...payload, status: 'under_review', reason: null, data: { payer: 'marketplace' } },
    });
    expect(messageForAudience('claim.screened', payload, 'seller')).toBeNull();
    expect(messageForAudience('claim.screened', payload, 'staff')?.payload).toEqual(payload);
  });

  it('lists for each audience the types it sees, with its own words and fields', () => {
    const staff = eventTypesFor('staff');
    expect(staff.map((t) => t.type)).toEqual(EVENT_TYPES);
    expect(staff.find((t) => t.type === 'claim.screened')).toMatchObject({
      audiences: ['staff'],
      fields: null,
    });
    const seller = eventTypesFor('seller');
    expect(seller.map((t) => t.type)).toEqual(typesFor('seller'));
    expect(seller.find((t) => t.type === 'claim.seller_notified')?.fields).toEqual([
      'deadline',
      'timeZone',
      'canChangeOutcome',
    ]);
  });
});
