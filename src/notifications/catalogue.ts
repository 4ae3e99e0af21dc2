import { z } from 'zod';
import { DECISION_DENIAL_CODES } from '../claims/denial-codes.ts';
import { INELIGIBILITY_CODES } from '../claims/eligibility.ts';
import { CLAIM_EVENT_TYPES, type ClaimEventType } from '../claims/events.ts';
import { INSURANCE_EVENT_TYPES, type InsuranceEventType, ZInsuranceEventData } from '../insurance/events.ts';
import type { Principal } from '../platform/auth/roles.ts';
import { SAFETY_EVENT_TYPES, type SafetyEventType, ZSafetyEventData } from '../safety/events.ts';

/**
 * The one event catalogue: every event type, what it means, who may see it and which of its
 * fields each audience sees, and plain words for people. The claim history route, webhooks,
 * e-mails and the web app all pass events through `eventForAudience`; nothing else decides.
 *
 * Staff see everything; a third-party administrator sees as staff on its marketplaces' claims
 * (`audienceOf`). A party (claimant, seller, insurer, expert) sees only the types listed
 * for it, only the data fields listed, and a reason only where the reason was written for it
 * or is one of the codes listed: never screening signals, scores, hard rules or staff notes,
 * because telling a claimant which rule caught them teaches fraud.
 *
 * The file is long on purpose: one entry per event type, side by side, so a reviewer sees every
 * audience decision in one read; splitting it by domain would scatter the one place.
 */
export const AUDIENCES = ['staff', 'claimant', 'seller', 'insurer', 'expert'] as const;
export type Audience = (typeof AUDIENCES)[number];
export type PartyAudience = Exclude<Audience, 'staff'>;

export interface Words {
  en: string;
  es: string;
  /**
   * German, for the German marketplace's claimants: every type a claimant sees has it, and every
   * reason code a claimant may read (catalogue.test.ts); staff and sellers read English or Spanish.
   */
  de?: string;
}

export interface PartyView {
  /** The data fields this audience sees; every other field is dropped. */
  fields: readonly string[];
  /**
   * The event's reason: 'own' when this audience wrote it (the claimant's appeal grounds, shown
   * back only when the claimant was the actor, never an agent's note), a list of codes it may
   * see, or hidden (the default).
   */
  reason?: 'own' | readonly string[];
  /** What this audience is told, when it differs from the type's words. */
  words?: Words;
  /**
   * The type this audience sees the event as: a referral to a fraud expert reaches the claimant
   * as a review like any other, so neither its name nor its words tell it that it was suspected.
   */
  shownAs?: ClaimEventType;
}

interface EntryRules {
  words: Words;
  parties: Partial<Record<PartyAudience, PartyView>>;
}

export interface CatalogueEntry extends EntryRules {
  description: string;
  schema: z.ZodType;
}

/** The payload of every claim event, as written to the outbox in the claim's transaction. */
export const ZClaimEventData = z.object({
  claimId: z.string(),
  sellerId: z.string().nullable(),
  customerId: z.string(),
  status: z.string(),
  payer: z.enum(['marketplace', 'seller', 'insurer']).nullable(),
  stepIn: z.boolean(),
  reason: z.string().nullable(),
  data: z.record(z.string(), z.unknown()),
});

export const ZReferralReminderData = z.object({
  referralId: z.string(),
  expertId: z.string(),
  claimId: z.string(),
  dueAt: z.string(),
});

const view = (fields: readonly string[], rest: Omit<PartyView, 'fields'> = {}): PartyView => ({
  fields,
  ...rest,
});

/** A status move (history.ts moveClaim) carries from/to; parties see them as partyStatus says. */
const MOVE = ['from', 'to'] as const;
const DENIAL_CODES: readonly string[] = [...INELIGIBILITY_CODES, ...DECISION_DENIAL_CODES];
const SELLER_ANSWERS = ['accept', 'tender', 'dispute'] as const;
const PAYMENT_REASONS = ['payout_settled', 'seller_confirmed', 'insurer_confirmed'] as const;
const CLOSING_REASONS = [
  'appeal_window_passed',
  'recovery_waived',
  'paid_by_seller',
  'paid_by_insurer',
  'recovered',
  'recovered_by_offset',
  'recovery_written_off',
] as const;
const RESPONSE = ['action', 'defense', 'evidenceIds', 'late'] as const;
const TENDER = ['tenderId', 'insurerId', 'policyId', 'deadline', 'timeZone'] as const;
const RECOVERY_UPDATE = [
  'recoveryId',
  'status',
  'amount',
  'offset',
  'invoiced',
  'reference',
  'from',
  'tenderId',
  'dueAt',
  'insurerId',
  'cancelled',
  'refunded',
] as const;
const RECOVERY_STEPS = [
  'tendered_to_insurer',
  'offset',
  'invoiced',
  'payment_received',
  'recovered',
  'written_off',
  'reversed',
] as const;
const EVIDENCE = ['evidenceId', 'mediaType', 'sizeBytes'] as const;
/** When a review is due, in UTC and the marketplace's zone: a party reads it as a date to expect. */
const REVIEW_DUE = ['reviewDueAt', 'timeZone'] as const;
const MESSAGE = ['message'] as const;

const CLAIM_RULES: Record<ClaimEventType, EntryRules> = {
  'claim.filed': {
    words: { en: 'Claim filed', es: 'Reclamación presentada', de: 'Antrag gestellt' },
    // The seller hears of a claim only once screening holds it possibly valid (seller_notified).
    parties: { claimant: view(['orderId', 'lineId', 'type', 'amount']) },
  },
  'claim.screened': {
    words: { en: 'Checked for eligibility and risk', es: 'Revisada: elegibilidad y riesgo' },
    parties: {},
  },
  'claim.recall_linked': {
    words: {
      en: 'The product is being recalled',
      es: 'El producto está siendo retirado',
      de: 'Das Produkt wird zurückgerufen',
    },
    parties: { claimant: view(['recallId']), seller: view(['recallId']) },
  },
  'claim.public_recall_matched': {
    words: {
      en: 'The product is under a public recall',
      es: 'El producto está bajo una retirada pública',
      de: 'Für das Produkt läuft ein öffentlicher Rückruf',
    },
    // The recall's own public words: what it is and what the maker offers. The match score is staff's.
    parties: {
      claimant: view(['recallNumber', 'title', 'remedy', 'url']),
      seller: view(['recallNumber', 'title', 'remedy', 'url']),
      insurer: view(['recallNumber', 'title', 'remedy', 'url']),
    },
  },
  'claim.public_recall_unmatched': {
    words: {
      en: 'The public recall was found not to apply',
      es: 'La retirada pública no aplica',
      de: 'Der öffentliche Rückruf betrifft den Antrag nicht',
    },
    parties: {
      claimant: view(['recallNumber']),
      seller: view(['recallNumber']),
      insurer: view(['recallNumber']),
    },
  },
  'claim.hazard_classified': {
    words: { en: 'Classified for product safety', es: 'Clasificada para la seguridad del producto' },
    parties: {},
  },
  'claim.hazard_coded': {
    words: {
      en: 'Product-safety coding checked by staff',
      es: 'Codificación de seguridad revisada por el personal',
    },
    // A person's hazard coding is a safety-team label, like the machine's classification: staff only.
    parties: {},
  },
  'claim.passed_screening': {
    words: {
      en: 'Sent to the seller to answer',
      es: 'Enviada al vendedor para que responda',
      de: 'Zur Antwort an den Verkäufer gesandt',
    },
    parties: { claimant: view(MOVE) },
  },
  'claim.denied': {
    words: { en: 'Claim denied', es: 'Reclamación denegada', de: 'Antrag abgelehnt' },
    parties: {
      claimant: view([...MOVE, 'appealDeadline', 'finalDenial'], { reason: DENIAL_CODES }),
      seller: view([...MOVE, 'finalDenial'], { reason: DENIAL_CODES }),
    },
  },
  'claim.info_requested': {
    words: { en: 'More information needed', es: 'Se necesita más información' },
    parties: {
      claimant: view([...MOVE, 'question', 'informationDeadline'], {
        // The completeness check asks about arithmetic, not about fraud: the claimant may know.
        reason: ['damages_do_not_add_up'],
        words: {
          en: 'We need more information about your claim',
          es: 'Necesitamos más información sobre su reclamación',
          de: 'Wir benötigen weitere Angaben zu Ihrem Antrag',
        },
      }),
    },
  },
  'claim.info_provided': {
    words: { en: 'Information provided', es: 'Información aportada', de: 'Angaben nachgereicht' },
    parties: { claimant: view([...MOVE, 'evidenceIds', 'amount', 'damages'], { reason: 'own' }) },
  },
  'claim.review_started': {
    words: { en: 'An agent is reviewing the claim', es: 'Un agente está revisando la reclamación' },
    parties: {
      claimant: view([...MOVE, ...REVIEW_DUE], {
        words: {
          en: 'Our team is reviewing your claim',
          es: 'Estamos revisando su reclamación',
          de: 'Unser Team prüft Ihren Antrag',
        },
      }),
      seller: view([...MOVE, ...REVIEW_DUE], {
        words: { en: 'The marketplace is reviewing the claim', es: 'El marketplace revisa la reclamación' },
      }),
    },
  },
  'claim.referred_to_expert': {
    words: {
      en: 'Referred to an independent fraud expert',
      es: 'Derivada a un experto en fraude independiente',
      de: 'An einen unabhängigen Betrugsgutachter überwiesen',
    },
    parties: {
      claimant: view([...MOVE, ...REVIEW_DUE], { shownAs: 'claim.review_started' }),
      expert: view(['referralId', 'dueAt'], {
        words: { en: 'A claim was referred to you', es: 'Se le ha derivado una reclamación' },
      }),
    },
  },
  'claim.expert_findings': {
    words: { en: 'The expert returned findings', es: 'El experto entregó sus conclusiones' },
    parties: {},
  },
  'claim.viewed_by_expert': {
    words: { en: 'Viewed by the expert', es: 'Consultada por el experto' },
    parties: {},
  },
  'claim.referral_overdue': {
    words: { en: 'The expert is late', es: 'El experto va con retraso' },
    parties: {},
  },
  'claim.risk_flagged': {
    words: { en: 'New evidence raised the risk', es: 'Nuevas pruebas elevaron el riesgo' },
    parties: {},
  },
  'claim.seller_notified': {
    words: { en: 'Seller told, with a deadline', es: 'Vendedor avisado, con un plazo' },
    parties: {
      claimant: view([], {
        words: {
          en: 'The seller was told about your claim',
          es: 'Se informó al vendedor de su reclamación',
          de: 'Der Verkäufer wurde über Ihren Antrag informiert',
        },
      }),
      seller: view(['deadline', 'timeZone', 'canChangeOutcome'], {
        reason: ['seller_must_answer', 'seller_may_defend'],
      }),
      insurer: view(['deadline', 'timeZone', 'canChangeOutcome']),
    },
  },
  'claim.approved': {
    words: { en: 'Claim approved', es: 'Reclamación aprobada', de: 'Antrag genehmigt' },
    parties: {
      claimant: view([...MOVE, 'payer']),
      seller: view([...MOVE, 'payer', 'coveringPolicyId', 'tenderId']),
      insurer: view([...MOVE, 'payer', 'coveringPolicyId', 'tenderId']),
    },
  },
  'claim.seller_responded': {
    words: { en: 'Seller answered', es: 'El vendedor respondió', de: 'Der Verkäufer hat geantwortet' },
    parties: {
      claimant: view([], { reason: SELLER_ANSWERS }),
      seller: view(RESPONSE, { reason: SELLER_ANSWERS }),
    },
  },
  'claim.tendered': {
    words: { en: 'Tendered to the seller’s insurer', es: 'Cedida a la aseguradora del vendedor' },
    parties: {
      claimant: view(MOVE, {
        words: {
          en: 'The seller passed your claim to its insurer',
          es: 'El vendedor pasó su reclamación a su aseguradora',
          de: 'Der Verkäufer hat Ihren Antrag an seinen Versicherer weitergegeben',
        },
      }),
      seller: view([...MOVE, ...TENDER]),
      insurer: view([...MOVE, ...TENDER]),
    },
  },
  'claim.tender_info_requested': {
    words: { en: 'The insurer asked the seller a question', es: 'La aseguradora preguntó al vendedor' },
    parties: {
      seller: view(['tenderId', 'question', 'dueAt']),
      insurer: view(['tenderId', 'question', 'dueAt']),
    },
  },
  'claim.tender_declined': {
    words: { en: 'The insurer declined the tender', es: 'La aseguradora rechazó la cesión' },
    parties: {
      seller: view([...MOVE, 'tenderId', 'note']),
      insurer: view([...MOVE, 'tenderId', 'note']),
    },
  },
  'claim.tender_expired': {
    words: { en: 'The insurer did not answer in time', es: 'La aseguradora no respondió a tiempo' },
    parties: { seller: view([...MOVE, 'tenderId']), insurer: view([...MOVE, 'tenderId']) },
  },
  'claim.seller_defended': {
    words: { en: 'Seller defended its product', es: 'El vendedor defendió su producto' },
    parties: { seller: view(RESPONSE, { reason: SELLER_ANSWERS }) },
  },
  'claim.stepped_in': {
    words: { en: 'The marketplace stepped in to pay', es: 'El marketplace intervino para pagar' },
    parties: {
      claimant: view([...MOVE, 'payer'], {
        words: {
          en: 'The marketplace is paying your claim',
          es: 'El marketplace le paga su reclamación',
          de: 'Der Marktplatz zahlt Ihren Antrag aus',
        },
      }),
      seller: view([...MOVE, 'payer', 'previousPayer'], { reason: ['payment_not_confirmed'] }),
      insurer: view([...MOVE, 'payer', 'previousPayer'], { reason: ['payment_not_confirmed'] }),
    },
  },
  'claim.evidence_added': {
    words: { en: 'Evidence attached', es: 'Prueba adjuntada', de: 'Nachweis beigefügt' },
    parties: { claimant: view(EVIDENCE), seller: view(EVIDENCE) },
  },
  'claim.withdrawn': {
    words: { en: 'Claim withdrawn', es: 'Reclamación retirada', de: 'Antrag zurückgezogen' },
    parties: { claimant: view(MOVE, { reason: 'own' }), seller: view(MOVE), insurer: view(MOVE) },
  },
  'claim.appealed': {
    words: {
      en: 'Denial appealed',
      es: 'Denegación recurrida',
      de: 'Widerspruch gegen die Ablehnung eingelegt',
    },
    parties: { claimant: view([...MOVE, 'deniedFor', ...REVIEW_DUE], { reason: 'own' }) },
  },
  'claim.paid': {
    words: { en: 'Paid', es: 'Pagada', de: 'Ausgezahlt' },
    parties: {
      claimant: view([...MOVE, 'amount', 'payer', 'reference'], { reason: PAYMENT_REASONS }),
      seller: view([...MOVE, 'amount', 'payer'], { reason: PAYMENT_REASONS }),
      insurer: view([...MOVE, 'amount', 'payer'], { reason: PAYMENT_REASONS }),
    },
  },
  'claim.payout_failed': {
    words: { en: 'The payout failed', es: 'El pago falló' },
    parties: {},
  },
  'claim.recovery_waived': {
    words: { en: 'Recovery waived', es: 'Se renuncia al recobro' },
    parties: { seller: view(['recoveryId', 'amount'], { reason: ['small_claim_compliant_insured_seller'] }) },
  },
  'claim.recovery_opened': {
    words: { en: 'Recovery opened', es: 'Recobro abierto' },
    parties: {
      seller: view(['recoveryId', 'amount', 'dueAt'], {
        reason: ['above_small_claim_limit', 'seller_not_compliant', 'seller_uninsured_on_incident_date'],
      }),
      insurer: view(['recoveryId', 'amount', 'dueAt']),
    },
  },
  'claim.recovery_updated': {
    words: { en: 'Recovery moved on', es: 'El recobro avanzó' },
    parties: {
      seller: view(RECOVERY_UPDATE, { reason: RECOVERY_STEPS }),
      insurer: view(RECOVERY_UPDATE, { reason: RECOVERY_STEPS }),
    },
  },
  'claim.contested': {
    words: { en: 'The seller contested the resolution', es: 'El vendedor impugnó la resolución' },
    // Between the marketplace and the seller's side: the claimant's payment stands either way.
    parties: {
      seller: view(['contestId', 'evidenceIds', 'windowClosedAt'], { reason: ['contested'] }),
      insurer: view(['contestId', 'evidenceIds', 'windowClosedAt'], { reason: ['contested'] }),
    },
  },
  'claim.contest_decided': {
    words: { en: 'The contest was decided', es: 'Se resolvió la impugnación' },
    parties: {
      seller: view(['contestId', 'outcome', 'cancelled', 'refunded'], { reason: ['upheld', 'reversed'] }),
      insurer: view(['contestId', 'outcome', 'cancelled', 'refunded'], { reason: ['upheld', 'reversed'] }),
    },
  },
  // Litigation is staff's: counsel, court and strategy are never sent to a party by us.
  'claim.matter_opened': {
    words: { en: 'In litigation: handled as a matter', es: 'En litigio: tramitada como asunto' },
    parties: {},
  },
  'claim.matter_closed': {
    words: { en: 'The matter was closed', es: 'El asunto se cerró' },
    parties: {},
  },
  'claim.payout_held': {
    words: { en: 'Payout held while a flag is checked', es: 'Pago retenido mientras se revisa una alerta' },
    // Never why: the claimant learns that payment waits, not which signal holds it.
    parties: {
      claimant: view([], {
        // The one reason the hold gives: a fixed phrase, never the signal behind it.
        reason: ['checking_a_detail'],
        words: {
          en: 'We are checking a detail before we pay you',
          es: 'Estamos comprobando un detalle antes de pagarle',
          de: 'Wir prüfen noch eine Einzelheit, bevor wir zahlen',
        },
      }),
    },
  },
  'claim.payout_released': {
    words: { en: 'Held payout released', es: 'Pago retenido liberado' },
    parties: {
      claimant: view([], {
        words: {
          en: 'Your payment is on its way',
          es: 'Su pago está en camino',
          de: 'Ihre Zahlung ist unterwegs',
        },
      }),
    },
  },
  'claim.payout_cancelled': {
    // The denial that follows carries the reason code a claimant may see; this event carries none.
    words: { en: 'Held payout cancelled', es: 'Pago retenido cancelado' },
    parties: {
      claimant: view([], {
        words: {
          en: 'The payment was cancelled',
          es: 'El pago fue cancelado',
          de: 'Die Zahlung wurde storniert',
        },
      }),
    },
  },
  'claim.personal_data_erased': {
    words: { en: 'Personal data erased on request', es: 'Datos personales borrados a petición' },
    // Who asked and why is in the erasure audit log, for staff; the person erased reads no claim any more.
    parties: {},
  },
  'claim.review_escalated': {
    words: { en: 'Review overdue: escalated', es: 'Revisión vencida: escalada' },
    // The parties learn only the new date to expect; that an agent ran late is staff's business.
    parties: {
      claimant: view(REVIEW_DUE, {
        words: {
          en: 'Our review is taking longer than planned; we have set a new date',
          es: 'Nuestra revisión tarda más de lo previsto; hemos fijado una nueva fecha',
          de: 'Unsere Prüfung dauert länger als geplant; wir haben einen neuen Termin festgelegt',
        },
      }),
      seller: view(REVIEW_DUE, {
        words: {
          en: 'The marketplace’s review is taking longer; it has set a new date',
          es: 'La revisión del marketplace tarda más; ha fijado una nueva fecha',
        },
      }),
    },
  },
  'claim.assigned': {
    words: { en: 'Assigned', es: 'Asignada' },
    // Who works a claim inside the marketplace is staff's business.
    parties: {},
  },
  'claim.note_added': {
    words: { en: 'Internal note', es: 'Nota interna' },
    parties: {},
  },
  'claim.message_to_claimant': {
    words: { en: 'Message to the claimant', es: 'Mensaje al reclamante' },
    parties: {
      claimant: view(MESSAGE, {
        words: {
          en: 'A message from our team',
          es: 'Un mensaje de nuestro equipo',
          de: 'Eine Nachricht unseres Teams',
        },
      }),
    },
  },
  'claim.message_to_seller': {
    words: { en: 'Message to the seller', es: 'Mensaje al vendedor' },
    parties: {
      seller: view(MESSAGE, {
        words: { en: 'A message from the marketplace', es: 'Un mensaje del marketplace' },
      }),
    },
  },
  'claim.message_from_claimant': {
    words: { en: 'Message from the claimant', es: 'Mensaje del reclamante' },
    parties: {
      claimant: view(MESSAGE, {
        words: { en: 'You wrote to us', es: 'Usted nos escribió', de: 'Sie haben uns geschrieben' },
      }),
    },
  },
  'claim.message_from_seller': {
    words: { en: 'Message from the seller', es: 'Mensaje del vendedor' },
    parties: {
      seller: view(MESSAGE, {
        words: { en: 'You wrote to the marketplace', es: 'Usted escribió al marketplace' },
      }),
    },
  },
  'claim.closed': {
    words: { en: 'Closed', es: 'Cerrada', de: 'Abgeschlossen' },
    parties: {
      claimant: view(MOVE),
      seller: view(MOVE, { reason: CLOSING_REASONS }),
      insurer: view(MOVE, { reason: CLOSING_REASONS }),
    },
  },
};

/** Insurance events concern one seller and (where named) its insurer: each sees its own. */
const bothSides = (fields: readonly string[]): EntryRules['parties'] => ({
  seller: view(fields),
  insurer: view(fields),
});

const INSURANCE_RULES: Record<InsuranceEventType, EntryRules> = {
  'insurance.policy_filed': {
    words: { en: 'Policy put on file', es: 'Póliza registrada' },
    parties: bothSides(['policyNumber']),
  },
  'insurance.policy_verified': {
    words: { en: 'Policy verified', es: 'Póliza verificada' },
    parties: bothSides(['by']),
  },
  'insurance.policy_rejected': {
    words: { en: 'Policy not accepted', es: 'Póliza no aceptada' },
    parties: bothSides(['reason']),
  },
  'insurance.policy_expiring': {
    words: { en: 'Policy expires soon', es: 'La póliza vence pronto' },
    parties: bothSides(['policyNumber', 'expiresAt', 'daysBefore']),
  },
  'insurance.policy_expired': {
    words: { en: 'Policy expired', es: 'Póliza vencida' },
    parties: bothSides(['policyNumber']),
  },
  'insurance.status_changed': {
    words: { en: 'Insurance standing changed', es: 'Cambió la situación de seguro' },
    parties: { seller: view(['from', 'to', 'coveringPolicyId', 'graceUntil']) },
  },
  'insurance.tender_opened': {
    words: { en: 'Tender opened', es: 'Cesión abierta' },
    parties: bothSides(['kind', 'claimId', 'recoveryId', 'amount', 'deductible', 'dueAt', 'timeZone']),
  },
  'insurance.tender_answered': {
    words: { en: 'The insurer answered a tender', es: 'La aseguradora respondió a una cesión' },
    parties: bothSides(['action', 'kind', 'claimId']),
  },
  'insurance.tender_information_provided': {
    words: { en: 'The seller answered the insurer', es: 'El vendedor respondió a la aseguradora' },
    parties: bothSides(['claimId', 'dueAt']),
  },
  'insurance.tender_expired': {
    words: { en: 'Tender expired', es: 'Cesión vencida' },
    parties: bothSides(['kind', 'claimId']),
  },
  'insurance.tender_withdrawn': {
    words: { en: 'Tender withdrawn', es: 'Cesión retirada' },
    parties: bothSides(['kind', 'claimId', 'note']),
  },
  'insurance.quote_requested': {
    words: { en: 'Quotes requested', es: 'Cotizaciones solicitadas' },
    parties: bothSides(['respondBy', 'claimsHistory', 'compliance']),
  },
  'insurance.quote_offered': {
    words: { en: 'Quote offered', es: 'Cotización ofrecida' },
    parties: bothSides(['requestId', 'premium']),
  },
  'insurance.bind_requested': {
    words: { en: 'Quote chosen: binding requested', es: 'Cotización elegida: contratación solicitada' },
    parties: bothSides(['requestId', 'premium']),
  },
  'insurance.bound': {
    words: { en: 'Policy bound', es: 'Póliza contratada' },
    parties: bothSides(['policyId']),
  },
  'insurance.bind_refused': {
    words: { en: 'Binding refused', es: 'Contratación rechazada' },
    parties: bothSides(['reason']),
  },
};

const SAFETY_RULES: Record<SafetyEventType, EntryRules> = {
  'safety.public_recall_match_decided': {
    words: { en: 'Public recall match decided', es: 'Coincidencia con retirada pública decidida' },
    parties: {},
  },
  'safety.alert_raised': { words: { en: 'Safety alert raised', es: 'Alerta de seguridad' }, parties: {} },
  'safety.alert_updated': {
    words: { en: 'Safety alert updated', es: 'Alerta de seguridad actualizada' },
    parties: {},
  },
  'safety.alert_triaged': {
    words: { en: 'Safety alert triaged', es: 'Alerta de seguridad evaluada' },
    parties: {},
  },
  'safety.listing_paused': {
    words: { en: 'Listing paused for safety', es: 'Anuncio pausado por seguridad' },
    // The triage note is the agent's own; the seller learns which alert or recall paused it.
    parties: { seller: view(['alertId', 'recallId']) },
  },
  'safety.report_due': {
    words: { en: 'Regulator report due', es: 'Informe al regulador pendiente' },
    parties: {},
  },
  'safety.report_overdue': {
    words: { en: 'Regulator report overdue', es: 'Informe al regulador vencido' },
    parties: {},
  },
  'safety.report_submitted': {
    words: { en: 'Regulator report submitted', es: 'Informe al regulador enviado' },
    parties: {},
  },
  'safety.recall_opened': {
    words: { en: 'Recall opened', es: 'Retirada abierta' },
    parties: { seller: view(['hazard', 'remedy', 'unitsAffected', 'buyersNotified']) },
  },
  'safety.recall_notice': {
    words: {
      en: 'Your product is being recalled',
      es: 'Su producto está siendo retirado',
      de: 'Ihr Produkt wird zurückgerufen',
    },
    parties: { claimant: view(['productTitle', 'hazard', 'remedy', 'description']) },
  },
  'safety.counterfeit_suspected': {
    words: { en: 'Counterfeit suspected', es: 'Sospecha de falsificación' },
    parties: {},
  },
};

const entries = <T extends string>(
  descriptions: Record<T, string>,
  rules: Record<T, EntryRules>,
  schema: z.ZodType,
): [string, CatalogueEntry][] =>
  (Object.keys(descriptions) as T[]).map((type) => [
    type,
    { description: descriptions[type], schema, ...rules[type] },
  ]);

export const EVENT_CATALOGUE: Record<string, CatalogueEntry> = Object.fromEntries([
  ...entries(CLAIM_EVENT_TYPES, CLAIM_RULES, ZClaimEventData),
  ...entries(INSURANCE_EVENT_TYPES, INSURANCE_RULES, ZInsuranceEventData),
  ...entries(SAFETY_EVENT_TYPES, SAFETY_RULES, ZSafetyEventData),
  [
    'referral.reminder',
    {
      description: 'An expert’s findings are due within a day',
      schema: ZReferralReminderData,
      words: { en: 'Findings due within a day', es: 'Conclusiones pendientes en un día' },
      parties: { expert: view([]) },
    },
  ],
]);

export const EVENT_TYPES = Object.keys(EVENT_CATALOGUE);

/**
 * Who a signed-in principal is to the catalogue. A third-party administrator (tpa) is the
 * marketplace's claims agent: it reads a claim's events as staff do, whole, but only on the
 * claims of the marketplaces it is assigned to (src/claims/access.ts lets it reach no other
 * claim). It owns no webhook endpoint, so no event reaches it but through a claim it may read.
 */
export function audienceOf(role: Principal['role']): Audience {
  switch (role) {
    case 'tpa':
      return 'staff';
    case 'customer':
      return 'claimant';
    case 'seller':
    case 'insurer':
    case 'expert':
      return role;
    default:
      return 'staff';
  }
}

export function isVisibleTo(type: string, audience: Audience): boolean {
  if (audience === 'staff') return type in EVENT_CATALOGUE;
  return EVENT_CATALOGUE[type]?.parties[audience] !== undefined;
}

/** The event types an audience may see (and a party's webhook endpoint may subscribe to). */
export const typesFor = (audience: Audience): string[] =>
  EVENT_TYPES.filter(
    (t) =>
      isVisibleTo(t, audience) && (audience === 'staff' || !EVENT_CATALOGUE[t]?.parties[audience]?.shownAs),
  );

/** What an audience is told an event means. */
export function wordsFor(type: string, audience: Audience): Words | null {
  const entry = EVENT_CATALOGUE[type];
  if (!entry || !isVisibleTo(type, audience)) return null;
  return (audience === 'staff' ? undefined : entry.parties[audience]?.words) ?? entry.words;
}

/**
 * A claim's status as a party sees it: an expert referral is a review like any other, so the
 * status cannot tell a claimant (or a seller) that screening suspected it.
 */
export const partyStatus = (status: string): string => (status === 'expert_review' ? 'under_review' : status);

/** Keys that hold a claim status wherever they appear; a party gets them through partyStatus. */
const STATUS_KEYS = new Set(['status', 'from', 'to']);
/**
 * Who acted, as a party sees it: another party by role and id; anyone working for the
 * marketplace (an agent, a third-party administrator, the system, an independent expert) as
 * "marketplace", so an expert's
 * hand in a claim shows nowhere.
 */
const PARTY_ACTORS = new Set(['customer', 'seller', 'insurer']);

/** The role a party acts under, to tell its own words from staff's. */
const ACTOR_ROLE: Record<PartyAudience, string> = {
  claimant: 'customer',
  seller: 'seller',
  insurer: 'insurer',
  expert: 'expert',
};

function visibleReason(
  reason: string | null | undefined,
  rule: PartyView['reason'],
  authoredBy: string | undefined,
  audience: PartyAudience,
): string | null {
  if (!reason || !rule) return null;
  if (rule === 'own') return authoredBy === ACTOR_ROLE[audience] ? reason : null;
  // Joined codes (a recovery's several reasons) are shown only when every one is allowed.
  return reason.split(',').every((code) => rule.includes(code)) ? reason : null;
}

function withPartyStatus(value: unknown): unknown {
  return typeof value === 'string' ? partyStatus(value) : value;
}

export interface AudienceEvent {
  type: string;
  reason?: string | null;
  data: Record<string, unknown>;
}

/**
 * The one filter: an event (a history row, an outbox payload with its type) as one audience
 * may see it, or null when that audience may not see the type at all. Staff get it unchanged.
 */
export function eventForAudience<E extends AudienceEvent>(event: E, audience: Audience): E | null {
  if (audience === 'staff') return event;
  const partyView = EVENT_CATALOGUE[event.type]?.parties[audience];
  if (!partyView) return null;
  const data: Record<string, unknown> = {};
  for (const field of partyView.fields) {
    if (field in event.data)
      data[field] = STATUS_KEYS.has(field) ? withPartyStatus(event.data[field]) : event.data[field];
  }
  const visible: Record<string, unknown> = {
    ...(event as AudienceEvent & Record<string, unknown>),
    type: partyView.shownAs ?? event.type,
    data,
  };
  const actor = visible.actor as { role: string; id: string | null } | undefined;
  if ('reason' in event)
    visible.reason = visibleReason(event.reason, partyView.reason, actor?.role, audience);
  if ('status' in visible) visible.status = withPartyStatus(visible.status);
  if (actor && !PARTY_ACTORS.has(actor.role)) visible.actor = { role: 'marketplace', id: null };
  return visible as E;
}

/**
 * An outbox message for one audience: the claim, insurance or safety payload with its data
 * filtered, under the type that audience sees; null when it may not see it.
 */
export function messageForAudience(
  type: string,
  payload: Record<string, unknown>,
  audience: Audience,
): { type: string; payload: Record<string, unknown> } | null {
  const visible = eventForAudience(
    { ...payload, type, data: (payload.data ?? {}) as Record<string, unknown> },
    audience,
  );
  if (!visible) return null;
  const { type: shownType, ...rest } = visible;
  return { type: shownType, payload: rest };
}

/** What the reason codes a party may see mean, for e-mails and screens. */
const REASON_WORDS: Record<string, Words> = {
  order_unknown: {
    en: 'we could not find the order',
    es: 'no encontramos el pedido',
    de: 'wir konnten die Bestellung nicht finden',
  },
  order_not_claimants: {
    en: 'the order is not yours',
    es: 'el pedido no es suyo',
    de: 'die Bestellung gehört nicht zu Ihrem Konto',
  },
  line_unknown: {
    en: 'the item is not on the order',
    es: 'el artículo no figura en el pedido',
    de: 'der Artikel ist nicht Teil der Bestellung',
  },
  not_delivered: {
    en: 'the item was not delivered',
    es: 'el artículo no fue entregado',
    de: 'der Artikel wurde nicht geliefert',
  },
  not_third_party_seller: {
    en: 'the item was not sold by a third-party seller',
    es: 'el artículo no lo vendió un vendedor externo',
    de: 'der Artikel wurde nicht von einem Drittverkäufer verkauft',
  },
  incident_before_delivery: {
    en: 'the incident happened before delivery',
    es: 'el incidente ocurrió antes de la entrega',
    de: 'der Vorfall geschah vor der Lieferung',
  },
  incident_in_future: {
    en: 'the incident date is in the future',
    es: 'la fecha del incidente es futura',
    de: 'das Datum des Vorfalls liegt in der Zukunft',
  },
  outside_filing_window: {
    en: 'the claim was filed too long after the incident',
    es: 'la reclamación se presentó demasiado tarde tras el incidente',
    de: 'der Antrag wurde zu lange nach dem Vorfall gestellt',
  },
  amount_not_positive: {
    en: 'the amount claimed must be more than zero',
    es: 'el importe debe ser mayor que cero',
    de: 'der geforderte Betrag muss größer als null sein',
  },
  amount_above_maximum: {
    en: 'the amount claimed is above the guarantee’s maximum',
    es: 'el importe supera el máximo de la garantía',
    de: 'der geforderte Betrag übersteigt den Höchstbetrag der Garantie',
  },
  currency_mismatch: {
    en: 'the claim is in the wrong currency',
    es: 'la reclamación está en otra moneda',
    de: 'der Antrag lautet auf eine andere Währung',
  },
  open_claim_on_line: {
    en: 'another claim on this item is still open',
    es: 'hay otra reclamación abierta sobre este artículo',
    de: 'zu diesem Artikel ist noch ein anderer Antrag offen',
  },
  unsubstantiated: {
    en: 'the claim was not substantiated',
    es: 'la reclamación no quedó acreditada',
    de: 'der Antrag wurde nicht belegt',
  },
  frivolous: {
    en: 'the claim has no basis',
    es: 'la reclamación carece de fundamento',
    de: 'der Antrag ist unbegründet',
  },
  abusive: {
    en: 'the claim breaks the guarantee’s terms',
    es: 'la reclamación infringe las condiciones',
    de: 'der Antrag verstößt gegen die Garantiebedingungen',
  },
  duplicate: {
    en: 'the claim duplicates another',
    es: 'la reclamación duplica otra',
    de: 'der Antrag doppelt einen anderen',
  },
  not_covered: {
    en: 'the loss is not covered by the guarantee',
    es: 'la garantía no cubre la pérdida',
    de: 'der Schaden ist von der Garantie nicht gedeckt',
  },
  damages_do_not_add_up: {
    en: 'the itemised losses do not add up to the amount claimed',
    es: 'las pérdidas detalladas no suman el importe reclamado',
    de: 'die aufgeschlüsselten Schäden ergeben nicht den geforderten Betrag',
  },
};

export const reasonWords = (code: string, language: keyof Words): string =>
  REASON_WORDS[code]?.[language] ?? REASON_WORDS[code]?.en ?? code.replace(/_/g, ' ');

/** What a webhook carries: the Standard Webhooks body shape (type, timestamp, data). */
export const ZEventEnvelope = z
  .object({
    id: z.string().describe('The event id; also the webhook-id header, the same on every retry'),
    type: z.string(),
    timestamp: z.string(),
    marketplaceId: z.string().nullable(),
    data: z.record(z.string(), z.unknown()),
  })
  .meta({ id: 'EventEnvelope' });

export const ZEventType = z
  .object({
    type: z.string(),
    description: z.string(),
    words: z
      .object({ en: z.string(), es: z.string(), de: z.string().optional() })
      .describe('What the asking audience is told; German (de) for every type a claimant sees'),
    audiences: z.array(z.enum(AUDIENCES)).describe('Who sees events of this type'),
    fields: z
      .array(z.string())
      .nullable()
      .describe('The data fields the asking audience sees; null for staff, who see all'),
    schema: z.unknown().describe('JSON Schema of the full payload (as staff receive it)'),
  })
  .meta({ id: 'EventType' });

/** The catalogue as an audience may read it (GET /v1/event-types): only the types it sees. */
export function eventTypesFor(audience: Audience): z.infer<typeof ZEventType>[] {
  return typesFor(audience).map((type) => {
    const entry = EVENT_CATALOGUE[type] as CatalogueEntry;
    return {
      type,
      description: entry.description,
      words: wordsFor(type, audience) as Words,
      audiences: AUDIENCES.filter((a) => isVisibleTo(type, a)),
      fields: audience === 'staff' ? null : [...(entry.parties[audience]?.fields ?? [])],
      schema: z.toJSONSchema(entry.schema),
    };
  });
}
