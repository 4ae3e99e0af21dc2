import type { Clock } from '../platform/clock.ts';
import type { Queryable } from '../platform/db/sql.ts';
import { json } from '../platform/db/sql.ts';
import { unprocessable } from '../platform/errors.ts';
import { replaceIdentities } from '../screening/identities.ts';
import type { SellerInput } from './schemas.ts';
import { findMarketplace, findSeller, sellerMarketplaceIds } from './store.ts';
import { toSellerView } from './views.ts';

export async function putSeller(db: Queryable, clock: Clock, id: string, input: SellerInput) {
  if (!(await findMarketplace(db, input.marketplaceId))) {
    throw unprocessable('body.marketplaceId', `marketplace ${input.marketplaceId} does not exist`);
  }
  const existing = await findSeller(db, id);
  if (existing && existing.marketplace_id !== input.marketplaceId) {
    throw unprocessable(
      'body.marketplaceId',
      'a seller keeps its home marketplace; list another one in otherMarketplaceIds',
    );
  }
  for (const [index, other] of (input.otherMarketplaceIds ?? []).entries()) {
    if (!(await findMarketplace(db, other))) {
      throw unprocessable(`body.otherMarketplaceIds.${index}`, `marketplace ${other} does not exist`);
    }
  }
  const now = clock.now();
  const fields = {
    name: input.name,
    standing: input.standing,
    kind: input.kind,
    contact: json(input.contact),
    updated_at: now,
  };
  await db
    .insertInto('sellers')
    .values({ id, marketplace_id: input.marketplaceId, created_at: now, ...fields })
    .onConflict((oc) => oc.column('id').doUpdateSet(fields))
    .execute();
  // One identity wherever it sells: the marketplaces are added to, never replaced, because the
  // seller's claims and ledger accounts in a marketplace outlive its listing there.
  await db
    .insertInto('seller_marketplaces')
    .values(
      [input.marketplaceId, ...(input.otherMarketplaceIds ?? [])].map((marketplaceId) => ({
        seller_id: id,
        marketplace_id: marketplaceId,
        created_at: now,
      })),
    )
    .onConflict((oc) => oc.columns(['seller_id', 'marketplace_id']).doNothing())
    .execute();
  await replaceIdentities(db, 'seller_identities', id, [
    { kind: 'email', value: input.contact.email },
    { kind: 'phone', value: input.contact.phone },
    { kind: 'address', value: input.contact.address },
  ]);
  const stored = await findSeller(db, id);
  if (!stored) throw new Error(`seller ${id} vanished while being written`);
  return toSellerView(stored, await sellerMarketplaceIds(db, id));
}
