import { z } from 'zod';
import { FINANCIAL_RATINGS } from '../marketplace/policy.ts';
import type { Principal } from '../platform/auth/roles.ts';
import type { Clock } from '../platform/clock.ts';
import { json, type Queryable } from '../platform/db/sql.ts';
import { AppError, forbidden, notFound } from '../platform/errors.ts';
import type { Appetite } from './appetite.ts';
import { findInsurer } from './store.ts';
import { toInsurerView } from './views.ts';

export const ZInsurerInput = z
  .object({
    name: z.string().trim().min(1).max(200),
    financialRating: z
      .enum(FINANCIAL_RATINGS)
      .nullable()
      .default(null)
      .describe('Financial-strength rating (A++ … D); null when unrated'),
    contactEmail: z.email().nullable().default(null),
  })
  .meta({ example: { name: 'Harbor Mutual', financialRating: 'A', contactEmail: 'claims@harbor.example' } });

/** An admin registers a carrier: sellers can then file its policies, and it can answer tenders. */
export async function putInsurer(
  db: Queryable,
  clock: Clock,
  id: string,
  input: z.infer<typeof ZInsurerInput>,
) {
  const now = clock.now();
  const fields = {
    name: input.name,
    financial_rating: input.financialRating,
    contact_email: input.contactEmail,
    updated_at: now,
  };
  const stored = await db
    .insertInto('insurers')
    .values({ id, ...fields, vetted_at: null, vetted_by: null, appetite: null, created_at: now })
    .onConflict((oc) => oc.column('id').doUpdateSet(fields))
    .returningAll()
    .executeTakeFirstOrThrow();
  return toInsurerView(stored);
}

/**
 * A provider (or an admin for it) publishes what it will insure and its rating table. A
 * provider new to the network is `applied` until an admin vets it; changing the appetite of a
 * vetted provider keeps it vetted.
 */
export async function publishAppetite(
  db: Queryable,
  clock: Clock,
  principal: Principal,
  id: string,
  appetite: Appetite,
) {
  const insurer = await findInsurer(db, id);
  const own = principal.role === 'insurer' && principal.partyId === id;
  if (!insurer || !(own || principal.role === 'admin')) throw notFound('insurer', id);
  const stored = await db
    .updateTable('insurers')
    .set({
      appetite: json(appetite),
      network_status: insurer.network_status === 'none' ? 'applied' : insurer.network_status,
      updated_at: clock.now(),
    })
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow();
  return toInsurerView(stored);
}

export const ZVettingDecision = z
  .object({
    decision: z.enum(['vetted', 'suspended']),
    note: z.string().trim().max(2000).optional(),
  })
  .meta({
    example: {
      decision: 'vetted',
      note: 'Licensed in all states; rated A by AM Best; claims handling audited.',
    },
  });

/** Only vetted providers quote sellers; a suspended one stops quoting at once. */
export async function vetInsurer(
  db: Queryable,
  clock: Clock,
  principal: Principal,
  id: string,
  vetting: z.infer<typeof ZVettingDecision>,
) {
  if (principal.role !== 'admin') throw forbidden('only an admin vets insurers');
  const insurer = await findInsurer(db, id);
  if (!insurer) throw notFound('insurer', id);
  if (vetting.decision === 'vetted' && insurer.appetite === null) {
    throw new AppError('conflict', `insurer ${id} has published no appetite: there is nothing to quote from`);
  }
  const now = clock.now();
  const stored = await db
    .updateTable('insurers')
    .set({
      network_status: vetting.decision,
      vetted_at: vetting.decision === 'vetted' ? now : insurer.vetted_at,
      vetted_by: principal.keyId,
      updated_at: now,
    })
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow();
  return toInsurerView(stored);
}
