/**
 * E-mail templates per event and language. Plain text is the source; the HTML part is the
 * same text, escaped, in paragraphs, so the two never say different things. Placeholders are
 * {name}; unknown ones are left visible rather than silently dropped. Every text exists in every
 * language (`Language`): English, Spanish and German (the German marketplace's claimants).
 */
import type { Language } from '../platform/locale.ts';

export type { Language };

interface Template {
  subject: string;
  text: string;
}

export const TEMPLATES: Record<string, Record<Language, Template>> = {
  customer_decision: {
    en: {
      subject: 'Your claim {claimId}: {headline}',
      text: 'Hello {name},\n\n{headline}.\n{detail}\n\nYou can follow your claim at any time in your account. Reference: {claimId}.',
    },
    es: {
      subject: 'Su reclamación {claimId}: {headline}',
      text: 'Hola {name}:\n\n{headline}.\n{detail}\n\nPuede seguir su reclamación en cualquier momento desde su cuenta. Referencia: {claimId}.',
    },
    de: {
      subject: 'Ihr Antrag {claimId}: {headline}',
      text: 'Guten Tag {name},\n\n{headline}.\n{detail}\n\nSie können Ihren Antrag jederzeit in Ihrem Konto verfolgen. Aktenzeichen: {claimId}.',
    },
  },
  // Several customer_decision mails about one claim, due together (a small claim filed, approved
  // and paid within a second): one e-mail with each step in order, headed by the latest.
  customer_updates: {
    en: {
      subject: 'Your claim {claimId}: {headline}',
      text: 'Hello {name},\n\n{updates}\n\nYou can follow your claim at any time in your account. Reference: {claimId}.',
    },
    es: {
      subject: 'Su reclamación {claimId}: {headline}',
      text: 'Hola {name}:\n\n{updates}\n\nPuede seguir su reclamación en cualquier momento desde su cuenta. Referencia: {claimId}.',
    },
    de: {
      subject: 'Ihr Antrag {claimId}: {headline}',
      text: 'Guten Tag {name},\n\n{updates}\n\nSie können Ihren Antrag jederzeit in Ihrem Konto verfolgen. Aktenzeichen: {claimId}.',
    },
  },
  seller_notice: {
    en: {
      subject: 'Claim {claimId} about your product needs your attention',
      text: 'Hello {name},\n\nA customer filed a claim about one of your products. {detail}\nAnswer by {deadline} ({timeZone}).\n\nReference: {claimId}.',
    },
    es: {
      subject: 'La reclamación {claimId} sobre su producto requiere su atención',
      text: 'Hola {name}:\n\nUn cliente presentó una reclamación sobre uno de sus productos. {detail}\nResponda antes de {deadline} ({timeZone}).\n\nReferencia: {claimId}.',
    },
    de: {
      subject: 'Antrag {claimId} zu Ihrem Produkt erfordert Ihre Aufmerksamkeit',
      text: 'Guten Tag {name},\n\nein Kunde hat einen Antrag zu einem Ihrer Produkte gestellt. {detail}\nAntworten Sie bis {deadline} ({timeZone}).\n\nAktenzeichen: {claimId}.',
    },
  },
  recall_notice: {
    en: {
      subject: 'Safety recall: {productTitle}',
      text: 'Hello {name},\n\nYou bought {productTitle}. It is being recalled because of a {hazard} hazard: {description}\nStop using it now. The remedy offered is a {remedy}; answer this recall in your account to receive it.\n\nRecall: {recallId}.',
    },
    es: {
      subject: 'Retirada de seguridad: {productTitle}',
      text: 'Hola {name}:\n\nUsted compró {productTitle}. Se retira por un riesgo de {hazard}: {description}\nDeje de usarlo ahora. El remedio ofrecido es: {remedy}; responda a esta retirada en su cuenta para recibirlo.\n\nRetirada: {recallId}.',
    },
    de: {
      subject: 'Sicherheitsrückruf: {productTitle}',
      text: 'Guten Tag {name},\n\nSie haben {productTitle} gekauft. Es wird wegen einer Gefahr ({hazard}) zurückgerufen: {description}\nBenutzen Sie es nicht mehr. Angeboten wird: {remedy}; antworten Sie auf diesen Rückruf in Ihrem Konto, um es zu erhalten.\n\nRückruf: {recallId}.',
    },
  },
  seller_insurance: {
    en: {
      subject: 'Your insurance: {headline}',
      text: 'Hello {name},\n\n{headline}.\n{detail}\n\nReference: {subjectId}.',
    },
    es: {
      subject: 'Su seguro: {headline}',
      text: 'Hola {name}:\n\n{headline}.\n{detail}\n\nReferencia: {subjectId}.',
    },
    de: {
      subject: 'Ihre Versicherung: {headline}',
      text: 'Guten Tag {name},\n\n{headline}.\n{detail}\n\nAktenzeichen: {subjectId}.',
    },
  },
  seller_message: {
    en: {
      subject: 'Claim {claimId}: a message from the marketplace',
      text: 'Hello {name},\n\n{detail}\n\nYou can answer from the claim in your seller account. Reference: {claimId}.',
    },
    es: {
      subject: 'Reclamación {claimId}: un mensaje del marketplace',
      text: 'Hola {name}:\n\n{detail}\n\nPuede responder desde la reclamación en su cuenta de vendedor. Referencia: {claimId}.',
    },
    de: {
      subject: 'Antrag {claimId}: eine Nachricht des Marktplatzes',
      text: 'Guten Tag {name},\n\n{detail}\n\nSie können im Antrag in Ihrem Verkäuferkonto antworten. Aktenzeichen: {claimId}.',
    },
  },
  seller_contest: {
    en: {
      subject: 'Claim {claimId}: {headline}',
      text: 'Hello {name},\n\n{headline}.\n{detail}\n\n{notice}\n\nReference: {claimId}.',
    },
    es: {
      subject: 'Reclamación {claimId}: {headline}',
      text: 'Hola {name}:\n\n{headline}.\n{detail}\n\n{notice}\n\nReferencia: {claimId}.',
    },
    de: {
      subject: 'Antrag {claimId}: {headline}',
      text: 'Guten Tag {name},\n\n{headline}.\n{detail}\n\n{notice}\n\nAktenzeichen: {claimId}.',
    },
  },
  expert_referral: {
    en: {
      subject: 'Referral {referralId}: findings due {dueAt}',
      text: 'Hello {name},\n\nA claim was referred to you for an independent review. Findings are due {dueAt}.\n\nReferral: {referralId}.',
    },
    es: {
      subject: 'Derivación {referralId}: conclusiones antes de {dueAt}',
      text: 'Hola {name}:\n\nSe le ha derivado una reclamación para una revisión independiente. Las conclusiones vencen el {dueAt}.\n\nDerivación: {referralId}.',
    },
    de: {
      subject: 'Überweisung {referralId}: Befund fällig am {dueAt}',
      text: 'Guten Tag {name},\n\nIhnen wurde ein Antrag zur unabhängigen Prüfung überwiesen. Der Befund ist fällig am {dueAt}.\n\nÜberweisung: {referralId}.',
    },
  },
};

/** What a customer is told at each decision, in each language. */
export const CUSTOMER_HEADLINES: Record<string, Record<Language, [string, string]>> = {
  'claim.filed': {
    en: ['we received your claim', 'You claimed {amount}. We will write to you at each step.'],
    es: ['hemos recibido su reclamación', 'Reclamó {amount}. Le escribiremos en cada paso.'],
    de: ['wir haben Ihren Antrag erhalten', 'Sie fordern {amount}. Wir schreiben Ihnen bei jedem Schritt.'],
  },
  'claim.approved': {
    en: ['your claim was approved', 'We will pay you shortly.'],
    es: ['su reclamación fue aprobada', 'Le pagaremos en breve.'],
    de: ['Ihr Antrag wurde genehmigt', 'Wir zahlen Ihnen den Betrag in Kürze aus.'],
  },
  'claim.stepped_in': {
    en: ['we are paying your claim', 'The seller did not pay in time, so the marketplace pays you itself.'],
    es: ['le pagamos su reclamación', 'El vendedor no pagó a tiempo; el marketplace le paga directamente.'],
    de: [
      'wir zahlen Ihren Antrag aus',
      'Der Verkäufer hat nicht rechtzeitig gezahlt, daher zahlt Ihnen der Marktplatz selbst.',
    ],
  },
  'claim.denied': {
    en: ['your claim was denied', 'Reason: {reason}. You may appeal once.'],
    es: ['su reclamación fue denegada', 'Motivo: {reason}. Puede recurrir una vez.'],
    de: ['Ihr Antrag wurde abgelehnt', 'Grund: {reason}. Sie können einmal Widerspruch einlegen.'],
  },
  'claim.info_requested': {
    en: ['we need more information', '{question}\nPlease answer by {informationDeadline}.'],
    es: ['necesitamos más información', '{question}\nResponda antes de {informationDeadline}.'],
    de: ['wir benötigen weitere Angaben', '{question}\nBitte antworten Sie bis {informationDeadline}.'],
  },
  // Never why: the claimant learns that payment waits, not which signal holds it.
  'claim.payout_held': {
    en: ['we are checking a detail', 'We are checking a detail of your claim before we pay you.'],
    es: [
      'estamos comprobando un detalle',
      'Estamos comprobando un detalle de su reclamación antes de pagarle.',
    ],
    de: [
      'wir prüfen noch eine Einzelheit',
      'Wir prüfen noch eine Einzelheit Ihres Antrags, bevor wir zahlen.',
    ],
  },
  'claim.public_recall_matched': {
    en: ['your product is under a public safety recall', '{reason}'],
    es: ['su producto está en una retirada pública de seguridad', '{reason}'],
    de: ['für Ihr Produkt läuft ein öffentlicher Sicherheitsrückruf', '{reason}'],
  },
  'claim.paid': {
    en: ['you have been paid', 'The payment of {amount} for your claim was sent on {paidOn}.'],
    es: ['se le ha pagado', 'El pago de {amount} de su reclamación se envió el {paidOn}.'],
    de: [
      'Ihre Zahlung ist unterwegs',
      'Die Zahlung von {amount} für Ihren Antrag wurde am {paidOn} veranlasst.',
    ],
  },
  'claim.message_to_claimant': {
    en: ['a message from our team', '{message}\n\nYou can answer from your claim page.'],
    es: ['un mensaje de nuestro equipo', '{message}\n\nPuede responder desde la página de su reclamación.'],
    de: ['eine Nachricht unseres Teams', '{message}\n\nSie können auf der Seite Ihres Antrags antworten.'],
  },
  'claim.review_escalated': {
    en: [
      'your claim is taking longer than planned',
      'We are sorry for the wait. We now expect to answer by {reviewDueAt}.',
    ],
    es: [
      'su reclamación tarda más de lo previsto',
      'Sentimos la espera. Ahora esperamos responderle antes de {reviewDueAt}.',
    ],
    de: [
      'Ihr Antrag dauert länger als geplant',
      'Entschuldigen Sie die Wartezeit. Wir rechnen nun mit einer Antwort bis {reviewDueAt}.',
    ],
  },
};

/** What a seller is told about its insurance, per event; {placeholders} come from the event's data. */
export const INSURANCE_HEADLINES: Record<string, Record<Language, [string, string]>> = {
  'insurance.policy_expiring': {
    en: [
      'a policy expires soon',
      'Policy {policyNumber} expires on {expiresAt}. Put the renewal on file before then.',
    ],
    es: [
      'una póliza vence pronto',
      'La póliza {policyNumber} vence el {expiresAt}. Registre la renovación antes.',
    ],
    de: [
      'eine Police läuft bald ab',
      'Die Police {policyNumber} läuft am {expiresAt} ab. Hinterlegen Sie vorher die Verlängerung.',
    ],
  },
  'insurance.policy_rejected': {
    en: [
      'a policy was not accepted',
      'Reason: {reason}. Upload a corrected certificate to have it checked again.',
    ],
    es: [
      'una póliza no fue aceptada',
      'Motivo: {reason}. Suba un certificado corregido para que se revise de nuevo.',
    ],
    de: [
      'eine Police wurde nicht anerkannt',
      'Grund: {reason}. Laden Sie eine berichtigte Bescheinigung hoch, damit sie erneut geprüft wird.',
    ],
  },
  'insurance.status_changed': {
    en: ['your insurance standing is now {to}', 'It was {from}. Cover must be on file by {graceUntil}.'],
    es: [
      'su situación de seguro es ahora {to}',
      'Era {from}. La cobertura debe registrarse antes de {graceUntil}.',
    ],
    de: [
      'Ihr Versicherungsstatus ist jetzt {to}',
      'Er war {from}. Der Versicherungsschutz muss bis {graceUntil} hinterlegt sein.',
    ],
  },
  'insurance.tender_answered': {
    en: ['your insurer answered a tender', 'The answer was: {action}. Claim {claimId}.'],
    es: ['su aseguradora respondió a una cesión', 'La respuesta fue: {action}. Reclamación {claimId}.'],
    de: ['Ihr Versicherer hat auf eine Abtretung geantwortet', 'Die Antwort: {action}. Antrag {claimId}.'],
  },
};

const filled = (text: string, values: Record<string, string>) =>
  text.replace(/\{(\w+)\}/g, (whole, key: string) => values[key] ?? whole);

export function render(
  template: string,
  values: Record<string, string>,
  language: Language,
): { subject: string; text: string; html: string } {
  const t = TEMPLATES[template]?.[language] ?? TEMPLATES[template]?.en;
  if (!t) throw new Error(`no e-mail template ${template}`);
  const fill = (s: string) => filled(s, values);
  const text = fill(fill(t.text));
  const escapeHtml = (s: string) =>
    s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
  const html = text
    .split(/\n\n/)
    .map((p) => `<p>${escapeHtml(p).replace(/\n/g, '<br>')}</p>`)
    .join('\n');
  return { subject: fill(t.subject), text, html };
}

/**
 * One e-mail for a customer's decisions on one claim (the values of each customer_decision mail,
 * in the order they fell due): each step's headline and detail as its own e-mail would say them,
 * under the latest step's subject.
 */
export function renderCustomerUpdates(
  steps: Record<string, string>[],
  language: Language,
): { subject: string; text: string; html: string } {
  const latest = steps.at(-1);
  if (!latest) throw new Error('no customer update to render');
  const updates = steps.map((values) => filled(filled('{headline}.\n{detail}', values), values)).join('\n\n');
  return render('customer_updates', { ...latest, updates }, language);
}

/** What a seller is told about its contest of a claim; {placeholders} come from the event's data. */
export const CONTEST_HEADLINES: Record<string, Record<Language, [string, string]>> = {
  'claim.contested': {
    en: ['your contest was received', 'An agent will decide it. Contest {contestId}.'],
    es: ['recibimos su impugnación', 'Un agente la resolverá. Impugnación {contestId}.'],
    de: [
      'wir haben Ihren Einspruch erhalten',
      'Ein Sachbearbeiter entscheidet darüber. Einspruch {contestId}.',
    ],
  },
  'claim.contest_decided': {
    en: [
      'your contest was decided: {outcome}',
      'Upheld: the resolution and any recovery stand. Reversed: the recovery is cancelled ({cancelled} minor units) and {refunded} minor units are credited back to your balance.',
    ],
    es: [
      'su impugnación fue resuelta: {outcome}',
      'Confirmada: la resolución y el recobro se mantienen. Revocada: el recobro se cancela ({cancelled} unidades menores) y se le abonan {refunded} unidades menores.',
    ],
    de: [
      'über Ihren Einspruch wurde entschieden: {outcome}',
      'Bestätigt: die Regulierung und jeder Rückgriff bleiben bestehen. Aufgehoben: der Rückgriff wird storniert ({cancelled} kleinste Einheiten) und {refunded} kleinste Einheiten werden Ihrem Guthaben gutgeschrieben.',
    ],
  },
};
