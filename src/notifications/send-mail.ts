import { NO_WAIVER_NOTICE } from '../claims/contest-rules.ts';
import type { Role } from '../platform/auth/roles.ts';
import type { AppContext } from '../platform/context.ts';
import type { Tx } from '../platform/db/sql.ts';
import { dateTimeFormat, languageOf } from '../platform/locale.ts';
import { formatMoney, type Money } from '../platform/money.ts';
import { openPersonal } from '../privacy/data-keys.ts';
import { audienceOf, messageForAudience, reasonWords } from './catalogue.ts';
import { mailMessageId } from './mailer.ts';
import {
  CONTEST_HEADLINES,
  CUSTOMER_HEADLINES,
  INSURANCE_HEADLINES,
  type Language,
  render,
} from './templates.ts';

const MAIL_RETRY_SECONDS = [60, 300, 1800, 7200, 21_600];

/** Sends due e-mails, each once: the row is locked while it is sent and marked in the same transaction. */
export async function sendMail(ctx: AppContext, options: { max?: number } = {}): Promise<number> {
  let handled = 0;
  while (handled < (options.max ?? 200)) {
    const did = await ctx.db.transaction().execute(async (tx) => {
      const now = ctx.clock.now();
      const mail = await tx
        .selectFrom('mail_deliveries')
        .selectAll()
        .where('status', '=', 'pending')
        .where('next_attempt_at', '<=', now)
        .orderBy('next_attempt_at')
        .limit(1)
        .forUpdate()
        .skipLocked()
        .executeTakeFirst();
      if (!mail) return false;
      const event = await tx
        .selectFrom('outbox')
        .selectAll()
        .where('id', '=', mail.outbox_id)
        .executeTakeFirstOrThrow();
      // `language` holds the reader's locale (de-DE, en-GB; plain en or es in older rows).
      const values = await templateValues(
        tx,
        event.event_type,
        event.payload as Record<string, unknown>,
        { ...mail, eventAt: event.created_at },
        mail.language,
      );
      const rendered = render(mail.template, values, languageOf(mail.language));
      try {
        await ctx.notifications.mailer.send({
          messageId: mailMessageId(mail.id),
          to: await recipientAddress(tx, mail),
          ...rendered,
        });
        await tx
          .updateTable('mail_deliveries')
          .set({ status: 'sent', sent_at: now, attempts: mail.attempts + 1 })
          .where('id', '=', mail.id)
          .execute();
      } catch (error) {
        const retryIn = MAIL_RETRY_SECONDS[mail.attempts];
        await tx
          .updateTable('mail_deliveries')
          .set({
            attempts: mail.attempts + 1,
            status: retryIn === undefined ? 'dead' : 'pending',
            next_attempt_at: retryIn === undefined ? null : new Date(now.getTime() + retryIn * 1000),
            last_error: (error as Error).message.slice(0, 500),
          })
          .where('id', '=', mail.id)
          .execute();
      }
      return true;
    });
    if (!did) break;
    handled++;
  }
  return handled;
}

/**
 * A customer's address is copied into the delivery sealed, as the customers table holds it
 * (fanout.ts), so the delivery log holds no readable address and an erasure shreds it too.
 */
async function recipientAddress(
  tx: Tx,
  mail: { recipient_role: string; recipient_id: string; to_address: string },
) {
  if (mail.recipient_role !== 'customer') return mail.to_address;
  return openPersonal(tx, mail.recipient_id, 'customer.email', mail.to_address);
}

async function customerName(db: Tx, customerId: string): Promise<string | undefined> {
  const row = await db.selectFrom('customers').select('name').where('id', '=', customerId).executeTakeFirst();
  return row ? openPersonal(db, customerId, 'customer.name', row.name) : undefined;
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
 * The claim's money and the marketplace's zone, for the e-mails that speak of an amount or a
 * date: events carry minor units (and not always the currency) and not always the zone.
 */
async function claimFacts(db: Tx, claimId: string) {
  return db
    .selectFrom('claims')
    .innerJoin('marketplaces', 'marketplaces.id', 'claims.marketplace_id')
    .select(['claims.currency', 'claims.amount', 'marketplaces.time_zone'])
    .where('claims.id', '=', claimId)
    .executeTakeFirst();
}

async function templateValues(
  db: Tx,
  type: string,
  payload: Record<string, unknown>,
  mail: { recipient_role: string; recipient_id: string; eventAt: Date },
  locale: string,
): Promise<Record<string, string>> {
  const language = languageOf(locale);
  // An e-mail says only what its recipient may see of the event: the catalogue filters it.
  const visible = messageForAudience(type, payload, audienceOf(mail.recipient_role as Role))?.payload ?? {};
  const data = (visible.data ?? {}) as Record<string, unknown>;
  const reason = typeof visible.reason === 'string' ? reasonWords(visible.reason, language) : '';
  const name =
    mail.recipient_role === 'customer'
      ? await customerName(db, mail.recipient_id)
      : mail.recipient_role === 'seller'
        ? (
            await db
              .selectFrom('sellers')
              .select('name')
              .where('id', '=', mail.recipient_id)
              .executeTakeFirst()
          )?.name
        : (
            await db
              .selectFrom('experts')
              .select('name')
              .where('id', '=', mail.recipient_id)
              .executeTakeFirst()
          )?.name;
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
  const claim = typeof visible.claimId === 'string' ? await claimFacts(db, visible.claimId) : undefined;
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
      mail.recipient_role === 'seller' && type === 'claim.message_to_seller'
        ? String(data.message ?? '')
        : mail.recipient_role === 'seller'
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
