import { NO_WAIVER_NOTICE } from '../claims/contest-rules.ts';
import type { Role } from '../platform/auth/roles.ts';
import { dateTimeFormat, languageOf } from '../platform/locale.ts';
import { formatMoney, type Money } from '../platform/money.ts';
import { audienceOf, messageForAudience, reasonWords } from './catalogue.ts';
import { CONTEST_HEADLINES, CUSTOMER_HEADLINES, INSURANCE_HEADLINES, type Language } from './templates.ts';

/** What an e-mail says beyond its event, read with the mail when it is leased (send-mail.ts). */
export interface MailFacts {
  recipientRole: string;
  /** Opened: a customer's name is unsealed just before the mail is rendered. */
  recipientName: string | undefined;
  eventAt: Date;
  /** The claim's money and its marketplace's zone: events carry minor units (and not always the currency) and not always the zone. */
  claim: { currency: string; amount: number; time_zone: string } | undefined;
}

/** A deadline as people read it: in the marketplace's zone, with the zone named beside it. */
function localTime(iso: string, timeZone: string, locale: string): string {
  return dateTimeFormat(locale, {
    timeZone,
    dateStyle: 'full',
    timeStyle: 'short',
  }).format(new Date(iso));
}

/**
 * A day-boundary deadline in plain words: business-day deadlines end at local midnight, which
 * people read as the day before ("by the end of Tuesday, December 1 (America/New_York time)").
 */
function endOfDay(iso: string, timeZone: string, locale: string): string {
  const lastMinute = new Date(new Date(iso).getTime() - 60_000);
  const day = dateTimeFormat(locale, {
    timeZone,
    weekday: 'long',
    month: 'long',
    day: 'numeric',
  }).format(lastMinute);
  const city = timeZone.split('/').at(-1)?.replace(/_/g, ' ') ?? timeZone;
  const words: Record<Language, string> = {
    en: `the end of ${day} (${city} time)`,
    es: `el final del ${day} (hora de ${city})`,
    de: `Ende ${day} (Ortszeit ${city})`,
  };
  return words[languageOf(locale)];
}

/** A day as people read it, in the marketplace's zone: "29 December 2026", "29. Dezember 2026". */
function localDay(at: Date, timeZone: string, locale: string): string {
  return dateTimeFormat(locale, { timeZone, dateStyle: 'long' }).format(at);
}

/**
 * What a template is filled with, from the event as its recipient may see it and the facts the
 * lease read with the mail (send-mail.ts): no I/O here.
 */
export function templateValues(
  type: string,
  payload: Record<string, unknown>,
  mail: MailFacts,
  locale: string,
): Record<string, string> {
  const language = languageOf(locale);
  // An e-mail says only what its recipient may see of the event: the catalogue filters it.
  const visible = messageForAudience(type, payload, audienceOf(mail.recipientRole as Role))?.payload ?? {};
  const data = (visible.data ?? {}) as Record<string, unknown>;
  const reason = typeof visible.reason === 'string' ? reasonWords(visible.reason, language) : '';
  const name = mail.recipientName;
  if (type === 'safety.recall_notice') {
    return {
      name: name ?? '',
      recallId: String(visible.subjectId ?? ''),
      productTitle: String(data.productTitle ?? ''),
      hazard: String(data.hazard ?? '').replace(/_/g, ' '),
      remedy: String(data.remedy ?? ''),
      description: String(data.description ?? ''),
    };
  }
  const sellerHeadlines = INSURANCE_HEADLINES[type] ?? CONTEST_HEADLINES[type];
  if (sellerHeadlines) {
    const [headline, detail] = sellerHeadlines[language];
    const fill = (text: string) =>
      text.replace(/\{(\w+)\}/g, (whole, key: string) =>
        data[key] === undefined ? whole : String(data[key] ?? '—'),
      );
    return {
      name: name ?? '',
      subjectId: String(visible.subjectId ?? ''),
      claimId: String(visible.claimId ?? ''),
      headline: fill(headline),
      detail: fill(detail),
      // The programme's promise, in every contest e-mail (English: the notice is the legal text).
      notice: NO_WAIVER_NOTICE,
    };
  }
  const [headline, detail] = CUSTOMER_HEADLINES[type]?.[language] ?? ['', ''];
  const claim = typeof visible.claimId === 'string' ? mail.claim : undefined;
  const amountOf = (value: unknown): string => {
    if (value && typeof value === 'object' && 'value' in value && 'currency' in value)
      return formatMoney(value as Money, locale);
    if (typeof value === 'number' && claim) return formatMoney({ value, currency: claim.currency }, locale);
    return claim ? formatMoney({ value: claim.amount, currency: claim.currency }, locale) : '';
  };
  const zone = String(data.timeZone ?? claim?.time_zone ?? 'UTC');
  return {
    name: name ?? '',
    claimId: String(visible.claimId ?? ''),
    referralId: String(visible.referralId ?? data.referralId ?? ''),
    headline,
    detail:
      mail.recipientRole === 'seller' && type === 'claim.message_to_seller'
        ? String(data.message ?? '')
        : mail.recipientRole === 'seller'
          ? data.canChangeOutcome
            ? 'The marketplace needs your answer: accept, tender it to your insurer, or dispute it with evidence.'
            : 'The marketplace has paid the customer under its guarantee; you may still defend your product.'
          : detail
              .replace('{reason}', reason)
              .replace('{question}', String(data.question ?? reason))
              .replace('{message}', String(data.message ?? ''))
              .replace('{amount}', amountOf(data.amount))
              .replace('{paidOn}', localDay(mail.eventAt, zone, locale))
              .replace(
                '{informationDeadline}',
                data.informationDeadline ? endOfDay(String(data.informationDeadline), zone, locale) : '',
              )
              .replace(
                '{reviewDueAt}',
                data.reviewDueAt && data.timeZone
                  ? endOfDay(String(data.reviewDueAt), String(data.timeZone), locale)
                  : '',
              ),
    reason,
    deadline:
      data.deadline && data.timeZone ? localTime(String(data.deadline), String(data.timeZone), locale) : '',
    timeZone: String(data.timeZone ?? ''),
    dueAt: String(visible.dueAt ?? data.dueAt ?? ''),
  };
}
