import { sql } from 'kysely';
import pMap from 'p-map';
import type { AppContext } from '../platform/context.ts';
import { languageOf } from '../platform/locale.ts';
import {
  CUSTOMER_DATA_KEY_COLUMNS,
  type CustomerDataKeyColumns,
  customerOwnerOf,
  type KeyScope,
  knownCustomerDataKey,
  openPersonal,
} from '../privacy/data-keys.ts';
import { ERASED } from '../privacy/sealing.ts';
import { templateValues } from './mail-values.ts';
import { type Mailer, mailMessageId, type OutgoingMail, SMTP_CONNECTIONS } from './mailer.ts';
import { render, renderCustomerUpdates } from './templates.ts';

const MAIL_RETRY_SECONDS = [60, 300, 1800, 7200, 21_600];
/**
 * Mails leased at once: one statement leases them and reads what their templates need. A
 * customer's mails about one claim go as one e-mail only within a batch (emailsByRecipient): at
 * 20 a batch, 8 callers on the intake bench were sent 2.8 e-mails a filing for 4 mails.
 */
export const MAIL_BATCH = 100;
/**
 * A send that has not finished by then is given up (and retried): a mail server that hangs must
 * not outlast the lease, or another worker would take the mail while this one still sends it.
 */
const MAIL_SEND_TIMEOUT_MS = 30_000;
/** How long a batch is leased: a worker that dies mid-batch leaves its mails to be sent again after this. */
const MAIL_LEASE_MS = 120_000;
/**
 * Recipients a batch sends to at once, each one's mails in order. One mail after another, the
 * worker sent about 20 a second on the intake bench at 8 callers, which queue 340 a second
 * (docs/performance.md, seventh session); over SMTP a mail waits for the server's answer.
 * As many as the SMTP connections the mailer keeps open.
 */
export const MAIL_SENDS_AT_ONCE = SMTP_CONNECTIONS;

/** With the customer's data key row, when there is one (a destroyed key's row has no wrapped key). */
interface LeasedMail extends CustomerDataKeyColumns {
  id: string;
  recipient_role: string;
  recipient_id: string;
  to_address: string;
  language: string;
  template: string;
  attempts: number;
  event_type: string;
  payload: Record<string, unknown>;
  event_at: Date;
  /** Sealed for a customer, as the customers table holds it. */
  recipient_name: string | null;
  claim_currency: string | null;
  claim_amount: number | null;
  claim_time_zone: string | null;
}

interface Outcome {
  id: string;
  status: 'sent' | 'pending' | 'dead';
  sentAt: Date | null;
  nextAttemptAt: Date | null;
  error: string | null;
}

/**
 * Sends due e-mails at least once, outside any transaction (issue #16): a batch is leased by one
 * statement that also reads what the templates need, the mails are rendered and sent with no
 * transaction open (a slow mail server holds no connection, and on PGlite no other request), and
 * their outcomes are recorded by one more statement. A worker that dies between the two leaves
 * its mails leased; they are sent again when the lease ends, under the same Message-ID
 * (`mailMessageId`), so a receiving server can tell the copy. While a lease lasts, no other
 * worker takes the mail (`for update skip locked`, then `lease_until`).
 */
export async function sendMail(ctx: AppContext, options: { max?: number } = {}): Promise<number> {
  const max = options.max ?? 200;
  let handled = 0;
  while (handled < max) {
    const limit = Math.min(MAIL_BATCH, max - handled);
    const leasedAt = performance.now();
    const { leaseUntil, mails } = await leaseDueMails(ctx, limit);
    if (mails.length === 0) break;
    const outcomes: Outcome[] = [];
    // The batch's customer keys, unwrapped from the rows the lease joined and dropped with the batch.
    const scope: KeyScope = {};
    let withdrawn = 0;
    // A recipient's e-mails go one after another, in the order they fell due (a claim's "filed"
    // before its "paid"); different recipients' at once. A check that fails (the database gone)
    // ends that recipient's turn and, once every recipient's turn has ended, the pass: what was
    // sent is recorded first, so it is not sent again when the lease ends.
    let failed: unknown = null;
    await pMap(
      emailsByRecipient(mails),
      async (theirs) => {
        for (const email of theirs) {
          // Mails the lease can no longer cover are left leased and taken again when it ends.
          if (failed || performance.now() - leasedAt > MAIL_LEASE_MS - MAIL_SEND_TIMEOUT_MS) return;
          try {
            const live =
              email[0]?.recipient_role === 'customer' ? await stillLeased(ctx, email, leaseUntil) : email;
            withdrawn += email.length - live.length;
            if (live.length > 0) outcomes.push(...(await sendOne(ctx, live, scope)));
          } catch (error) {
            failed ??= error;
            return;
          }
        }
      },
      { concurrency: MAIL_SENDS_AT_ONCE },
    );
    await recordOutcomes(ctx, leaseUntil, outcomes);
    if (failed) throw failed;
    handled += outcomes.length + withdrawn;
    if (mails.length < limit || outcomes.length + withdrawn < mails.length) break;
  }
  return handled;
}

/**
 * One statement, committed on its own: due mails no other worker holds are leased, and each comes
 * back with its event, its recipient's name (a customer's sealed, with the customer's data key
 * row) and the claim's money and zone.
 */
// next_attempt_at moves to the lease's end too: a worker of the previous release, which knows no
// lease_until, then does not find the mail due while this one sends it (a rolling upgrade).
async function leaseDueMails(ctx: AppContext, limit: number) {
  const now = ctx.clock.now();
  const leaseUntil = new Date(now.getTime() + MAIL_LEASE_MS);
  const { rows } = await sql<LeasedMail>`
    with leased as (
      update mail_deliveries m set lease_until = ${leaseUntil}, next_attempt_at = ${leaseUntil}
      from (
        select id, next_attempt_at as due from mail_deliveries
        where status = 'pending' and next_attempt_at <= ${now}
          and (lease_until is null or lease_until <= ${now})
        order by next_attempt_at limit ${limit}
        for update skip locked) d
      where m.id = d.id
      returning m.id, m.outbox_id, m.recipient_role, m.recipient_id, m.to_address, m.language,
        m.template, m.attempts, d.due as next_attempt_at)
    select leased.id, leased.recipient_role, leased.recipient_id, leased.to_address, leased.language,
      leased.template, leased.attempts, o.event_type, o.payload, o.created_at as event_at,
      coalesce(c.name, s.name, x.name) as recipient_name, ${CUSTOMER_DATA_KEY_COLUMNS},
      cl.currency as claim_currency, cl.amount as claim_amount, m.time_zone as claim_time_zone
    from leased
    join outbox o on o.id = leased.outbox_id
    left join customers c on leased.recipient_role = 'customer' and c.id = leased.recipient_id
    left join data_keys dk on leased.recipient_role = 'customer'
      and dk.owner = ${customerOwnerOf('leased.recipient_id')}
    left join sellers s on leased.recipient_role = 'seller' and s.id = leased.recipient_id
    left join experts x on leased.recipient_role not in ('customer', 'seller') and x.id = leased.recipient_id
    left join claims cl on cl.id = o.payload ->> 'claimId'
    left join marketplaces m on m.id = cl.marketplace_id
    order by leased.next_attempt_at, leased.id`.execute(ctx.db);
  return { leaseUntil, mails: rows };
}

/**
 * A batch's mails as e-mails, per recipient, in the order they fell due. A customer's
 * customer_decision mails about one claim are one e-mail, at the place of the first: a small
 * claim is filed, approved and paid within a second, and its customer was sent three e-mails at
 * once (four mails a filing, the worker's largest cost on the intake bench: docs/performance.md,
 * seventh session). Each keeps its delivery row; the e-mail goes under the first one's Message-ID.
 */
function emailsByRecipient(mails: LeasedMail[]): LeasedMail[][][] {
  const byRecipient = new Map<string, Map<string, LeasedMail[]>>();
  for (const mail of mails) {
    const recipient = `${mail.recipient_role}\u0000${mail.recipient_id}`;
    const theirs = byRecipient.get(recipient) ?? new Map<string, LeasedMail[]>();
    byRecipient.set(recipient, theirs);
    const claimId = mail.payload.claimId;
    const email =
      mail.template === 'customer_decision' && typeof claimId === 'string'
        ? `claim\u0000${claimId}`
        : mail.id;
    theirs.set(email, [...(theirs.get(email) ?? []), mail]);
  }
  // An e-mail tells its steps in the order they happened (a mail due again after a failed send
  // may come after a later one), the latest last: it heads the subject.
  const byEvent = (a: LeasedMail, b: LeasedMail) => a.event_at.getTime() - b.event_at.getTime();
  return [...byRecipient.values()].map((theirs) => [...theirs.values()].map((email) => email.sort(byEvent)));
}

/**
 * A mail to a customer is sent only if it is still pending under this lease when its turn comes:
 * an erasure committed since the batch was leased (erase-customer.ts marks the customer's mail
 * dead and destroys the key, which this batch still holds) withdraws it. One statement per
 * e-mail to a customer (the mails it carries checked together), the price of not writing to an
 * erased person; other recipients are not checked. Returns the mails still leased.
 */
async function stillLeased(ctx: AppContext, email: LeasedMail[], leaseUntil: Date): Promise<LeasedMail[]> {
  const { rows } = await sql<{ id: string }>`
    select id from mail_deliveries
    where id = any(${email.map((mail) => mail.id)}::text[]) and status = 'pending'
      and lease_until = ${leaseUntil}`.execute(ctx.db);
  const live = new Set(rows.map((row) => row.id));
  return email.filter((mail) => live.has(mail.id));
}

/** Sends one e-mail carrying one mail or several (emailsByRecipient); each gets its outcome. */
async function sendOne(ctx: AppContext, email: LeasedMail[], scope: KeyScope): Promise<Outcome[]> {
  const [first] = email as [LeasedMail, ...LeasedMail[]];
  try {
    if (first.recipient_role === 'customer') knownCustomerDataKey(ctx.db, first.recipient_id, first, scope);
    await sendWithin(ctx.notifications.mailer, await rendered(ctx, email, scope), MAIL_SEND_TIMEOUT_MS);
    const sentAt = ctx.clock.now();
    return email.map((mail) => ({ id: mail.id, status: 'sent', sentAt, nextAttemptAt: null, error: null }));
  } catch (error) {
    return email.map((mail) => {
      const retryIn = MAIL_RETRY_SECONDS[mail.attempts];
      return {
        id: mail.id,
        status: retryIn === undefined ? 'dead' : 'pending',
        sentAt: null,
        nextAttemptAt: retryIn === undefined ? null : new Date(ctx.clock.now().getTime() + retryIn * 1000),
        error: (error as Error).message.slice(0, 500),
      };
    });
  }
}

/**
 * A customer's address is copied into the delivery sealed, as the customers table holds it
 * (fanout.ts), so the delivery log holds no readable address and an erasure shreds it too. It and
 * the customer's name are opened here, just before the mail is rendered, with the key the lease read.
 */
async function rendered(ctx: AppContext, email: LeasedMail[], scope: KeyScope): Promise<OutgoingMail> {
  const [first] = email as [LeasedMail, ...LeasedMail[]];
  const customer = first.recipient_role === 'customer';
  const open = (field: string, value: string) =>
    openPersonal(ctx.db, first.recipient_id, field, value, scope);
  const name =
    first.recipient_name === null
      ? undefined
      : customer
        ? await open('customer.name', first.recipient_name)
        : first.recipient_name;
  // `language` holds the reader's locale (de-DE, en-GB; plain en or es in older rows).
  const valuesOf = (mail: LeasedMail) =>
    templateValues(
      mail.event_type,
      mail.payload,
      {
        recipientRole: mail.recipient_role,
        recipientName: name,
        eventAt: mail.event_at,
        claim:
          mail.claim_currency === null || mail.claim_amount === null || mail.claim_time_zone === null
            ? undefined
            : { currency: mail.claim_currency, amount: mail.claim_amount, time_zone: mail.claim_time_zone },
      },
      mail.language,
    );
  const language = languageOf(first.language);
  return {
    messageId: mailMessageId(first.id),
    to: customer ? await open('customer.email', first.to_address) : first.to_address,
    ...(email.length === 1
      ? render(first.template, valuesOf(first), language)
      : renderCustomerUpdates(email.map(valuesOf), language)),
  };
}

/**
 * Gives a send up after `timeoutMs` and aborts it (the mailer's signal: SMTP drops it from its
 * pool's queue or closes its connection); a mailer that ignores the signal is raced.
 */
async function sendWithin(mailer: Mailer, mail: OutgoingMail, timeoutMs: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const abort = new AbortController();
  const timedOut = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      reject(new Error(`the mail server did not answer within ${timeoutMs / 1000} s`));
      abort.abort();
    }, timeoutMs);
  });
  try {
    await Promise.race([mailer.send(mail, { signal: abort.signal }), timedOut]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * One statement for the batch. Only rows still under this lease are written: a worker that
 * outlived its lease (another has taken the mail since) records nothing. A mail whose customer
 * was erased while it was being sent (erase-customer.ts cancels pending mail and deletes our
 * copies) keeps the erasure's status; the copy this send left is deleted here.
 */
async function recordOutcomes(ctx: AppContext, leaseUntil: Date, outcomes: Outcome[]): Promise<void> {
  if (outcomes.length === 0) return;
  const values = outcomes.map(
    (o) =>
      sql`(${o.id}, ${o.status}, ${o.sentAt}::timestamptz, ${o.nextAttemptAt}::timestamptz, ${o.error}::text)`,
  );
  const { rows } = await sql<{ id: string; erased: boolean }>`
    update mail_deliveries m set
      status = case when m.status = 'pending' then v.status else m.status end,
      next_attempt_at = case when m.status = 'pending' then v.next_attempt_at else m.next_attempt_at end,
      last_error = case when m.status = 'pending' then v.last_error else m.last_error end,
      attempts = m.attempts + 1, sent_at = v.sent_at, lease_until = null
    from (values ${sql.join(values)}) as v (id, status, sent_at, next_attempt_at, last_error)
    where m.id = v.id and m.lease_until = ${leaseUntil}
    returning m.id, v.sent_at is not null and m.to_address = ${ERASED} as erased`.execute(ctx.db);
  for (const row of rows) if (row.erased) await ctx.notifications.mailer.forget(mailMessageId(row.id));
}
