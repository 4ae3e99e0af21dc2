import { sql } from 'kysely';
import { z } from 'zod';
import { recordClaimEvent } from '../claims/history.ts';
import { lockClaim } from '../claims/store.ts';
import { currentPolicyVersion } from '../marketplace/store.ts';
import { mailMessageId } from '../notifications/mailer.ts';
import type { Principal } from '../platform/auth/roles.ts';
import type { AppContext } from '../platform/context.ts';
import { json, type Tx } from '../platform/db/sql.ts';
import { AppError, notFound } from '../platform/errors.ts';
import { newId } from '../platform/ids.ts';
import { destroyCustomerKey } from './data-keys.ts';
import { erasureBlockers } from './retention.ts';
import { ERASED } from './sealing.ts';

export const ZErasureRequest = z
  .object({
    reason: z
      .string()
      .trim()
      .min(5, 'say why, in at least 5 characters (e.g. the request ticket)')
      .max(1000)
      .describe('Why the data is erased, e.g. the data-subject request it answers; kept in the audit log'),
  })
  .meta({ example: { reason: 'Data-subject erasure request, ticket DSR-2027-0042' } });

export type ErasureRequest = z.infer<typeof ZErasureRequest>;

/**
 * Erases a customer's personal data: crypto-shredding first (the customer's data key is
 * destroyed, so every value it sealed, including what the claims' hash-chained histories
 * hold, is unreadable for good), then the copies that are not sealed are overwritten or
 * deleted: the customer's row, the claims' narratives, outbox payloads, mail deliveries and
 * their files, evidence files the claimant's side uploaded, idempotent answers, identity hashes.
 * Ledger entries, amounts and the histories stay (legal retention); each claim records the
 * erasure in its history, and the audit log says who erased, when and why.
 *
 * One transaction; the files are deleted last inside it, so a failure leaves nothing erased
 * in the database and a retry finds the same files (or none) to delete.
 */
export async function eraseCustomer(
  tx: Tx,
  ctx: AppContext,
  principal: Principal,
  customerId: string,
  request: ErasureRequest,
) {
  const customer = await tx
    .selectFrom('customers')
    .select(['id', 'marketplace_id', 'erased_at'])
    .where('id', '=', customerId)
    .forUpdate()
    .executeTakeFirst();
  if (!customer) throw notFound('customer', customerId);
  if (customer.erased_at) {
    throw new AppError('conflict', `the personal data of customer ${customerId} was already erased`, {
      extra: { rule: 'already_erased', erasedAt: customer.erased_at.toISOString() },
    });
  }
  const now = ctx.clock.now();
  const claims = await tx
    .selectFrom('claims')
    .leftJoin('payouts', 'payouts.claim_id', 'claims.id')
    .leftJoin('recoveries', 'recoveries.claim_id', 'claims.id')
    .select([
      'claims.id',
      'claims.status',
      'claims.updated_at',
      'payouts.status as payout_status',
      'recoveries.status as recovery_status',
    ])
    .where('claims.customer_id', '=', customerId)
    .orderBy('claims.id')
    .forUpdate('claims')
    .execute();
  const policy = await currentPolicyVersion(tx, customer.marketplace_id);
  if (!policy) throw new Error(`marketplace ${customer.marketplace_id} has no policy`);
  const blockers = erasureBlockers(
    claims.map((c) => ({
      id: c.id,
      status: c.status,
      lastActivityAt: c.updated_at,
      payoutStatus: c.payout_status,
      recoveryStatus: c.recovery_status,
    })),
    now,
    policy.policy,
  );
  const [first] = blockers;
  if (first) {
    throw new AppError('conflict', `personal data is retained: ${first.detail}`, {
      extra: { rule: first.rule, blockers },
    });
  }
  const claimIds = [...new Set(claims.map((c) => c.id))];

  await destroyCustomerKey(tx, customerId, now);
  await tx
    .updateTable('customers')
    .set({
      name: ERASED,
      email: ERASED,
      name_index: null,
      email_index: null,
      birth_year: null,
      region: null,
      account_created_at: null,
      erased_at: now,
      updated_at: now,
    })
    .where('id', '=', customerId)
    .execute();
  // Identity hashes link accounts for fraud screening; with the person gone they only single
  // them out, and a plain hash of a phone number can be reversed by trying them all.
  await tx.deleteFrom('customer_identities').where('customer_id', '=', customerId).execute();
  await tx
    .updateTable('api_keys')
    .set({ revoked_at: now, label: null })
    .where('role', '=', 'customer')
    .where('party_id', '=', customerId)
    .where('revoked_at', 'is', null)
    .execute();

  const erasureId = newId('erasure', ctx.clock);
  const evidenceFiles = claimIds.length ? await claimantEvidenceFiles(tx, claimIds) : [];
  if (claimIds.length) await eraseClaimCopies(tx, claimIds);
  const mails = await eraseMailDeliveries(tx, customerId);
  await tx
    .updateTable('outbox')
    .set({ payload: sql`(payload - 'reason' - 'data') || '{"reason":null,"data":{"erased":true}}'::jsonb` })
    .where((eb) =>
      eb.or([
        sql<boolean>`payload->>'customerId' = ${customerId}`,
        ...(claimIds.length ? [eb('aggregate_id', 'in', claimIds)] : []),
      ]),
    )
    .execute();
  for (const claimId of claimIds) {
    const claim = await lockClaim(tx, claimId);
    if (!claim) continue;
    await recordClaimEvent(tx, ctx.clock, claim, {
      type: 'claim.personal_data_erased',
      actor: principal,
      data: { erasureId },
    });
  }

  let evidenceDeleted = 0;
  for (const sha256 of evidenceFiles) if (await ctx.blobs.delete(sha256)) evidenceDeleted++;
  let mailDeleted = 0;
  for (const id of mails) if (await ctx.notifications.mailer.forget(mailMessageId(id))) mailDeleted++;
  const audit = await tx
    .insertInto('personal_data_erasures')
    .values({
      id: erasureId,
      customer_id: customerId,
      actor_role: principal.role,
      actor_id: principal.partyId ?? principal.keyId,
      request_id: principal.requestId,
      reason: request.reason,
      claim_ids: json(claimIds),
      evidence_files_deleted: evidenceDeleted,
      mail_files_deleted: mailDeleted,
      erased_at: now,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  return toErasureView(audit);
}

export const toErasureView = (row: {
  id: string;
  customer_id: string;
  actor_role: string;
  actor_id: string | null;
  reason: string;
  claim_ids: string[];
  evidence_files_deleted: number;
  mail_files_deleted: number;
  erased_at: Date;
}) => ({
  id: row.id,
  customerId: row.customer_id,
  erasedBy: { role: row.actor_role, id: row.actor_id },
  reason: row.reason,
  claimIds: row.claim_ids,
  evidenceFilesDeleted: row.evidence_files_deleted,
  mailFilesDeleted: row.mail_files_deleted,
  erasedAt: row.erased_at.toISOString(),
});

/**
 * Files the claimant's side attached (the customer, or an agent for them); the seller's and
 * insurer's defence files are their records. A file is content-addressed: it is deleted only
 * when no claim outside this erasure cites the same bytes.
 */
async function claimantEvidenceFiles(tx: Tx, claimIds: string[]): Promise<string[]> {
  const rows = await tx
    .selectFrom('evidence')
    // The stored file is the cleaned copy (content_sha256); sha256 is the upload's, kept for screening.
    .select('content_sha256')
    .distinct()
    .where('claim_id', 'in', claimIds)
    .where('uploaded_by_role', 'not in', ['seller', 'insurer'])
    .where(({ not, exists, selectFrom }) =>
      not(
        exists(
          selectFrom('evidence as other')
            .select('other.id')
            .whereRef('other.content_sha256', '=', 'evidence.content_sha256')
            .where('other.claim_id', 'not in', claimIds),
        ),
      ),
    )
    .execute();
  // The file name may carry a name ("dana-whitfield-receipt.pdf"); the hash and size stay.
  await tx
    .updateTable('evidence')
    .set({ filename: null })
    .where('claim_id', 'in', claimIds)
    .where('uploaded_by_role', 'not in', ['seller', 'insurer'])
    .execute();
  return rows.map((r) => r.content_sha256);
}

/** The copies of the claims' personal data that are not sealed with the destroyed key. */
async function eraseClaimCopies(tx: Tx, claimIds: string[]): Promise<void> {
  await tx
    .updateTable('claims')
    .set({
      description: ERASED,
      damages: json([]),
      // The seller's defence is about the claimant's incident and may name them.
      seller_response: sql`case when seller_response->>'defense' is null then seller_response
        else jsonb_set(seller_response, '{defense}', to_jsonb(${ERASED}::text)) end`,
    })
    .where('id', 'in', claimIds)
    .execute();
  await tx
    .deleteFrom('idempotency_keys')
    .where((eb) =>
      eb.or([
        eb(sql<string>`response_body->>'id'`, 'in', claimIds),
        eb(sql<string>`response_body->>'claimId'`, 'in', claimIds),
      ]),
    )
    .execute();
  await tx
    .updateTable('referrals')
    .set({ notes: ERASED })
    .where('claim_id', 'in', claimIds)
    .where('notes', 'is not', null)
    .execute();
  await tx
    .updateTable('tenders')
    .set({
      question: sql`case when question is null then null else ${ERASED} end`,
      information: sql`case when information is null then null else ${ERASED} end`,
    })
    .where('claim_id', 'in', claimIds)
    .execute();
  const reports = await tx
    .selectFrom('regulator_reports')
    .select(['id', 'draft'])
    .where(
      sql<boolean>`exists (select 1 from jsonb_array_elements(coalesce(draft->'incidents', '[]'::jsonb)) i
        where i->>'claimId' in (${sql.join(claimIds)}))`,
    )
    .execute();
  for (const report of reports) {
    const draft = report.draft as { incidents?: { claimId: string; narrative?: string }[] };
    if (!draft.incidents?.some((i) => claimIds.includes(i.claimId))) continue;
    const incidents = draft.incidents.map((i) =>
      claimIds.includes(i.claimId) ? { ...i, narrative: ERASED } : i,
    );
    await tx
      .updateTable('regulator_reports')
      .set({ draft: json({ ...draft, incidents }) })
      .where('id', '=', report.id)
      .execute();
  }
}

/** Deliveries to the customer: the address is overwritten and unsent ones are cancelled. */
async function eraseMailDeliveries(tx: Tx, customerId: string): Promise<string[]> {
  const rows = await tx
    .updateTable('mail_deliveries')
    .set({
      to_address: ERASED,
      status: sql`case when status = 'pending' then 'dead' else status end`,
      last_error: sql`case when status = 'pending' then 'recipient erased' else last_error end`,
    })
    .where('recipient_role', '=', 'customer')
    .where('recipient_id', '=', customerId)
    .returning('id')
    .execute();
  return rows.map((r) => r.id);
}
