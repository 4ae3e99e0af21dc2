/**
 * The catalogue of things that happen to a claim. Each is appended to the claim's history
 * and written to the outbox under the same name.
 */
export const CLAIM_EVENT_TYPES = {
  'claim.filed': 'The claimant (or an agent for them) filed the claim',
  'claim.screened': 'Eligibility and risk screening produced a result',
  'claim.recall_linked': "The claim's product was recalled: the claim carries the recall",
  'claim.public_recall_matched':
    "The claim's product is in a public recall notice (CPSC or another regulator's): the claim carries it, and the reason tells the claimant the remedy",
  'claim.public_recall_unmatched':
    'A safety officer found the public recall notice is not about the claim’s product',
  'claim.hazard_classified':
    'The claim was classified into the hazard taxonomy with a severity (and any recall of its product linked)',
  'claim.hazard_coded':
    "A person coded the claim's hazard and severity, overriding the machine's; the coding is kept as a label",
  'claim.passed_screening': 'The claim was held possibly valid and goes to the seller to answer',
  'claim.denied': 'The claim was denied, with a reason code',
  'claim.info_requested': 'The claimant was asked for more information, with a deadline',
  'claim.info_provided': 'The claimant answered a request for information',
  'claim.review_started': 'An agent must look at the claim (risk, dispute or appeal)',
  'claim.referred_to_expert': 'The claim went to an independent fraud expert',
  'claim.expert_findings': 'The expert returned findings: valid, unsubstantiated, frivolous or abusive',
  'claim.viewed_by_expert': 'The expert the claim was referred to looked at it or its evidence',
  'claim.referral_overdue': 'The expert has not answered by the deadline',
  'claim.risk_flagged': 'New evidence raised the risk of a claim already screened',
  'claim.seller_notified': "The seller (and its insurer, if any) was told, with the seller's deadline",
  'claim.approved': 'The claim was approved and its payer set',
  'claim.seller_responded': 'The seller accepted, tendered to its insurer or disputed',
  'claim.tendered': 'The seller tendered the claim to the insurer whose policy covered the incident',
  'claim.tender_info_requested': 'The insurer asked the seller for information before answering the tender',
  'claim.tender_declined': 'The insurer declined the tender: the seller must answer again',
  'claim.tender_expired': 'The insurer did not answer the tender in time',
  'claim.seller_defended': 'The seller defended its product on a claim the marketplace already paid',
  'claim.stepped_in': 'The marketplace stepped in to pay in place of the seller',
  'claim.evidence_added': 'A file was attached to the claim',
  'claim.withdrawn': 'The claimant withdrew the claim',
  'claim.appealed': 'The claimant appealed a denial',
  'claim.paid': 'The customer was paid (by the marketplace, the seller or its insurer)',
  'claim.payout_failed': 'The payment provider refused the payout or it ran out of attempts',
  'claim.payout_held':
    "A flag raised after approval holds the claim's payout; the claimant is told only that a detail is being checked",
  'claim.payout_released': 'An agent or expert cleared the flag: the held payout goes ahead',
  'claim.payout_cancelled':
    'An agent or expert upheld the flag: the held payout is cancelled and its cost reversed',
  'claim.recovery_waived':
    'The marketplace will not recover what it paid (small claim, compliant insured seller)',
  'claim.recovery_opened': 'The marketplace will recover what it paid from the seller or its insurer',
  'claim.recovery_updated': 'The recovery moved on: offset, invoiced, tendered, paid or written off',
  'claim.contested':
    'The seller (or its insurer) contested how the marketplace resolved the claim, with a written reason and evidence; it waives no rights or defences',
  'claim.contest_decided':
    'An agent decided the contest: upheld (the resolution and any recovery stand) or reversed (the recovery is cancelled and what was taken refunded)',
  'claim.matter_opened':
    'The claim went to litigation (the claimant sued, or counsel is involved): automated deadlines and step-in stop',
  'claim.matter_closed': 'A person closed the matter: the litigation ended',
  'claim.closed': 'The claim is finished',
  'claim.review_escalated':
    'A review passed its due time: it is escalated, given a new due time, and the claimant (and the seller in a dispute) told the new date',
  'claim.assigned': 'An agent took the claim, or it was reassigned to another agent or released',
  'claim.note_added': 'An agent wrote an internal note on the claim (staff only)',
  'claim.message_to_claimant': 'The marketplace wrote to the claimant (e-mailed; only the claimant sees it)',
  'claim.message_to_seller': 'The marketplace wrote to the seller (e-mailed; only the seller sees it)',
  'claim.message_from_claimant': 'The claimant wrote to the marketplace',
  'claim.message_from_seller': 'The seller wrote to the marketplace',
  'claim.personal_data_erased':
    "The claimant's personal data was erased on request: narrative and names now read [erased]; amounts and history stay",
} as const;

export type ClaimEventType = keyof typeof CLAIM_EVENT_TYPES;
