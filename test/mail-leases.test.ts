import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { folderMailer, type Mailer, type OutgoingMail } from '../src/notifications/mailer.ts';
import { MAIL_BATCH, sendMail } from '../src/notifications/send-mail.ts';
import type { AppContext } from '../src/platform/context.ts';
import { runAllDue } from '../src/platform/jobs.ts';
import { claimBody, deliveredOrder, fileClaim, usMarketplace } from './fixtures.ts';
import { createWorld, type World } from './harness.ts';
import { gate } from './support/gate.ts';

/**
 * E-mails are leased by one statement, sent with no transaction open, and their outcomes recorded
 * by one more (notifications/send-mail.ts): a slow mail server holds neither a connection nor a
 * row, a worker that dies mid-send leaves its mails to be sent again, and two workers never send
 * the same mail while its lease lasts.
 */
let world: World;
let keys: Awaited<ReturnType<typeof usMarketplace>>;
let recording: string[] | null = null;
beforeAll(async () => {
  world = await createWorld({
    log: (event) => {
      recording?.push(event.query.sql);
    },
  });
});
afterAll(() => world.close());
beforeEach(async () => {
  await world.reset();
  keys = await usMarketplace(world);
});

/** Files clean small claims and fans their events out, sending nothing: the mails wait, due. */
async function dueMails(claims: number): Promise<string[]> {
  for (let n = 1; n <= claims; n++) {
    await deliveredOrder(world, `ord_mail_${n}`, 'cus_dana');
    const filed = await fileClaim(world, keys.dana, claimBody({ orderId: `ord_mail_${n}` }));
    expect(filed.body).toMatchObject({ status: 'approved', payer: 'marketplace' });
  }
  await runAllDue({ ...world.ctx, jobs: world.ctx.jobs.filter((job) => job.name !== 'mail') });
  const rows = await world.ctx.db
    .selectFrom('mail_deliveries')
    .select('id')
    .where('status', '=', 'pending')
    .orderBy('id')
    .execute();
  expect(rows.length).toBeGreaterThan(0);
  return rows.map((r) => r.id);
}

const deliveries = () =>
  world.ctx.db
    .selectFrom('mail_deliveries')
    .select(['id', 'status', 'attempts', 'next_attempt_at', 'lease_until', 'last_error'])
    .orderBy('id')
    .execute();

/** Records every mail; the first one waits for the gate (a mail server that does not answer). */
function hangingMailer(inner: Mailer | null = null, hangs: (mail: OutgoingMail) => boolean = () => true) {
  const sent: OutgoingMail[] = [];
  const held = gate();
  let firstAsked!: (mail: OutgoingMail) => void;
  let hanging = false;
  // The first mail `hangs` picks (by default the first sent) hangs until release; the others go.
  const first = new Promise<OutgoingMail>((resolve) => {
    firstAsked = resolve;
  });
  const mailer: Mailer = {
    kind: 'folder',
    send: async (mail) => {
      sent.push(mail);
      if (!hanging && hangs(mail)) {
        hanging = true;
        firstAsked(mail);
        await held.opened;
      }
      await inner?.send(mail);
    },
    forget: async (messageId) => (inner ? inner.forget(messageId) : false),
  };
  return { mailer, sent, first, release: held.open };
}

const withMailer = (mailer: Mailer, ctx: AppContext = world.ctx): AppContext => ({
  ...ctx,
  notifications: { ...ctx.notifications, mailer },
});

const messageIdOf = (id: string) => `<${id}@redress>`;

describe('a slow mail server', () => {
  it('holds no transaction and no row while a send hangs: another command and a lock on the mail go through', async () => {
    const mails = await dueMails(1);
    const slow = hangingMailer();
    const pass = sendMail(withMailer(slow.mailer));
    let mailId: string | undefined;
    try {
      const hung = await slow.first;
      mailId = mails.find((id) => messageIdOf(id) === hung.messageId);
      expect(mailId).toBeDefined();
      // A filing (a transaction of its own) completes on PGlite's one connection meanwhile…
      await deliveredOrder(world, 'ord_during_send', 'cus_eli');
      const filed = await fileClaim(world, keys.eli, claimBody({ orderId: 'ord_during_send' }));
      expect(filed.body.status).toBe('approved');
      // …and the mail's row is not locked: the lease is a committed column, not a held lock.
      const locked = await world.ctx.db.transaction().execute(async (tx) => {
        const { rows } = await sql<{ lease_until: Date }>`
          select lease_until from mail_deliveries where id = ${mailId} for update nowait`.execute(tx);
        return rows[0];
      });
      expect(locked?.lease_until).toBeInstanceOf(Date);
      // The other recipients' mails went meanwhile; none more to the one whose mail hangs.
      await expect.poll(() => slow.sent.some((m) => m.to !== hung.to)).toBe(true);
      expect(slow.sent.filter((m) => m.to === hung.to)).toHaveLength(1);
    } finally {
      slow.release();
    }
    expect(await pass).toBeGreaterThan(0);
    expect((await deliveries()).find((d) => d.id === mailId)).toMatchObject({
      status: 'sent',
      attempts: 1,
      lease_until: null,
    });
  });
});

describe('a worker that dies between the lease and the outcome', () => {
  it('leaves its mails leased; they are sent again when the lease ends, under the same Message-ID', async () => {
    const mails = await dueMails(1);
    const dying = hangingMailer();
    // The first worker leases the batch and never comes back from its first send.
    const zombie = sendMail(withMailer(dying.mailer));
    const interrupted = await dying.first;
    const other: OutgoingMail[] = [];
    const second = withMailer({
      kind: 'folder',
      send: async (m) => void other.push(m),
      forget: async () => false,
    });
    // While the lease lasts no other worker takes them.
    expect(await sendMail(second)).toBe(0);
    world.clock.advance(119);
    expect(await sendMail(second)).toBe(0);
    world.clock.advance(1);
    expect(await sendMail(second)).toBe(mails.length);
    expect(new Set(other.map((m) => m.messageId)).size).toBe(other.length);
    expect(other.find((m) => m.messageId === interrupted.messageId)).toMatchObject({
      to: interrupted.to,
      subject: interrupted.subject,
    });
    // The first worker comes back after its lease was taken over: it records nothing.
    dying.release();
    await zombie;
    for (const row of await deliveries()) {
      expect(row).toMatchObject({ status: 'sent', attempts: 1, lease_until: null, last_error: null });
    }
  });
});

describe('two workers at once', () => {
  it('never send the same mail twice', async () => {
    const mails = await dueMails(3);
    const other = await world.secondContext();
    try {
      const sent: string[] = [];
      const recorder: Mailer = {
        kind: 'folder',
        send: async (m) => void sent.push(m.messageId),
        forget: async () => false,
      };
      const [a, b] = await Promise.all([
        sendMail(withMailer(recorder)),
        sendMail(withMailer(recorder, other)),
      ]);
      expect(a + b).toBe(mails.length);
      // No e-mail twice (an e-mail carries a customer's steps on one claim under the first one's id).
      expect(new Set(sent).size).toBe(sent.length);
      for (const row of await deliveries()) expect(row).toMatchObject({ status: 'sent', attempts: 1 });
    } finally {
      await other.close();
    }
  });

  it('leaves a leased mail to the worker sending it, and takes the others', async () => {
    await dueMails(1);
    const slow = hangingMailer();
    const pass = sendMail(withMailer(slow.mailer));
    await slow.first;
    const sent: string[] = [];
    const recorder: Mailer = {
      kind: 'folder',
      send: async (m) => void sent.push(m.messageId),
      forget: async () => false,
    };
    try {
      // Every due mail was leased by the first worker's one batch.
      expect(await sendMail(withMailer(recorder))).toBe(0);
    } finally {
      slow.release();
    }
    await pass;
    expect(sent).toEqual([]);
    expect((await deliveries()).every((d) => d.status === 'sent')).toBe(true);
  });
});

describe('a mail server that refuses', () => {
  it('retries after 1, 5, 30, 120 and 360 minutes, then dead-letters the mail', async () => {
    const mails = await dueMails(1);
    const refusing: Mailer = {
      kind: 'smtp',
      send: async () => {
        throw new Error('550 mailbox unavailable');
      },
      forget: async () => false,
    };
    const ctx = withMailer(refusing);
    let attempts = 0;
    for (const wait of [60, 300, 1800, 7200, 21_600]) {
      expect(await sendMail(ctx)).toBe(mails.length);
      attempts++;
      const now = world.clock.now().getTime();
      for (const row of await deliveries()) {
        expect(row).toMatchObject({
          status: 'pending',
          attempts,
          lease_until: null,
          last_error: '550 mailbox unavailable',
        });
        expect(row.next_attempt_at?.getTime()).toBe(now + wait * 1000);
      }
      world.clock.advance(wait - 1);
      expect(await sendMail(ctx)).toBe(0);
      world.clock.advance(1);
    }
    expect(await sendMail(ctx)).toBe(mails.length);
    for (const row of await deliveries()) {
      expect(row).toMatchObject({ status: 'dead', attempts: 6, next_attempt_at: null, lease_until: null });
    }
    world.clock.advance(86_400);
    expect(await sendMail(ctx)).toBe(0);
  });
});

describe('a customer erased while the mail to them is being sent', () => {
  it("keeps the erasure's status, and the copy the send left is deleted", async () => {
    await dueMails(1);
    const folder = mkdtempSync(join(tmpdir(), 'redress-mail-lease-'));
    try {
      const slow = hangingMailer(folderMailer(folder), (m) => m.to === 'dana@example.com');
      const pass = sendMail(withMailer(slow.mailer));
      const hung = await slow.first;
      const mail = (
        await world.ctx.db.selectFrom('mail_deliveries').select(['id', 'recipient_role']).execute()
      ).find((row) => messageIdOf(row.id) === hung.messageId);
      expect(mail?.recipient_role).toBe('customer');
      // What erase-customer.ts does to the customer's deliveries, committed while the send hangs.
      await world.ctx.db
        .updateTable('mail_deliveries')
        .set({ to_address: '[erased]', status: 'dead', last_error: 'recipient erased' })
        .where('id', '=', mail?.id as string)
        .execute();
      slow.release();
      await pass;
      expect(existsSync(join(folder, `${hung.messageId.replace(/[^\w.-]/g, '_')}.eml`))).toBe(false);
      expect((await deliveries()).find((d) => d.id === mail?.id)).toMatchObject({
        status: 'dead',
        last_error: 'recipient erased',
        lease_until: null,
      });
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });
});

describe('a customer erased while a batch with several mails to them is being sent', () => {
  it('sends none of the rest: each is checked under its lease just before its turn', async () => {
    await dueMails(2);
    const toDana = await world.ctx.db
      .selectFrom('mail_deliveries')
      .select('id')
      .where('recipient_role', '=', 'customer')
      .where('recipient_id', '=', 'cus_dana')
      .execute();
    expect(toDana.length).toBeGreaterThan(1);
    const slow = hangingMailer(null, (m) => m.to === 'dana@example.com');
    const pass = sendMail(withMailer(slow.mailer));
    const hung = await slow.first;
    // What erase-customer.ts does to the customer's deliveries, committed while her first send hangs.
    await world.ctx.db
      .updateTable('mail_deliveries')
      .set({
        to_address: '[erased]',
        status: sql`case when status = 'pending' then 'dead' else status end`,
        last_error: sql`case when status = 'pending' then 'recipient erased' else last_error end`,
      })
      .where('recipient_role', '=', 'customer')
      .where('recipient_id', '=', 'cus_dana')
      .execute();
    slow.release();
    await pass;
    // The hung send was already under way; after it, nothing more went to her (her mails go one
    // after another, each checked just before it is sent).
    const toDanaSent = slow.sent.filter((m) => m.to === 'dana@example.com');
    expect(toDanaSent).toEqual([hung]);
    expect(slow.sent.length).toBeGreaterThan(1); // the others' mails still went
    const rows = await world.ctx.db
      .selectFrom('mail_deliveries')
      .select(['id', 'status', 'last_error'])
      .where('recipient_id', '=', 'cus_dana')
      .execute();
    for (const row of rows.filter((r) => messageIdOf(r.id) !== hung?.messageId))
      expect(row).toMatchObject({ status: 'dead', last_error: 'recipient erased' });
  });
});

describe("a customer's e-mail about a clean small claim", () => {
  it('says filed, approved and paid in one e-mail, in that order, headed by the latest', async () => {
    const mails = await dueMails(1);
    const sent: OutgoingMail[] = [];
    const recorder: Mailer = {
      kind: 'folder',
      send: async (m) => void sent.push(m),
      forget: async () => false,
    };
    expect(await sendMail(withMailer(recorder))).toBe(mails.length);
    const toDana = sent.filter((m) => m.to === 'dana@example.com');
    expect(toDana).toHaveLength(1);
    const [email] = toDana as [OutgoingMail];
    expect(email.subject).toMatch(/: you have been paid$/);
    const at = ['we received your claim', 'your claim was approved', 'you have been paid'].map((headline) =>
      email.text.indexOf(headline),
    );
    expect(at[0]).toBeGreaterThan(0);
    expect(at).toEqual([...at].sort((x, y) => x - y));
    expect(email.text.match(/Hello Dana Reyes/g)).toHaveLength(1);
    // Under the first mail's Message-ID; every mail it carries is recorded sent.
    const toHer = await world.ctx.db
      .selectFrom('mail_deliveries')
      .select(['id', 'status'])
      .where('recipient_id', '=', 'cus_dana')
      .orderBy('id')
      .execute();
    expect(toHer).toHaveLength(3);
    expect(email.messageId).toBe(messageIdOf(toHer[0]?.id ?? ''));
    expect(toHer.every((d) => d.status === 'sent')).toBe(true);
    expect(sent.filter((m) => m.to === 'claims@acme.example')).toHaveLength(1);
  });
});

describe('the statements of a mail pass', () => {
  it('are two per batch of up to MAIL_BATCH mails, and one per e-mail to a customer, with no transaction: the lease (with what the templates need), the outcomes, and the check before a customer is written to', async () => {
    // Four mails a clean small claim: more than one batch.
    const mails = await dueMails(Math.ceil(MAIL_BATCH / 4) + 1);
    expect(mails.length).toBeGreaterThan(MAIL_BATCH);
    const sent: OutgoingMail[] = [];
    recording = [];
    try {
      expect(
        await sendMail(
          withMailer({ kind: 'folder', send: async (m) => void sent.push(m), forget: async () => false }),
        ),
      ).toBe(mails.length);
    } finally {
      const statements = recording;
      recording = null;
      const batches = Math.ceil(mails.length / MAIL_BATCH);
      // A last, full batch is followed by one lease that finds nothing.
      const leases = mails.length % MAIL_BATCH === 0 ? batches + 1 : batches;
      expect(statements.filter((s) => /^\s*(begin|commit)/i.test(s))).toEqual([]);
      expect(statements.filter((s) => /^\s*with leased as \(\s*update mail_deliveries/.test(s))).toHaveLength(
        leases,
      );
      expect(statements.filter((s) => /^\s*update mail_deliveries m set/.test(s))).toHaveLength(batches);
      // And one per e-mail to a customer (the mails it carries), checked under its lease just
      // before it is sent (an erasure committed since the lease withdraws it).
      const toCustomers = sent.filter((m) => m.to === 'dana@example.com').length;
      expect(statements.filter((s) => /^\s*select id from mail_deliveries/.test(s))).toHaveLength(
        toCustomers,
      );
      expect(statements).toHaveLength(leases + batches + toCustomers);
    }
    // Names and the customer's address were opened from the rows the lease read.
    const toDana = sent.filter((m) => m.to === 'dana@example.com');
    expect(toDana.length).toBeGreaterThan(0);
    expect(toDana.every((m) => m.text.includes('Dana Reyes'))).toBe(true);
    expect(sent.some((m) => m.to === 'claims@acme.example' && m.text.includes('Acme Home'))).toBe(true);
    // A batch's mails to her about one claim went as one e-mail (the payouts, settled after all six
    // filings, fell due later: their mails came in the next batch).
    expect(toDana.length).toBeLessThan(
      (
        await world.ctx.db
          .selectFrom('mail_deliveries')
          .select('id')
          .where('recipient_id', '=', 'cus_dana')
          .execute()
      ).length,
    );
  });
});
