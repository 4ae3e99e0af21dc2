import { findMarketplace, findSeller, sellsIn } from '../marketplace/store.ts';
import type { Clock } from '../platform/clock.ts';
import type { Tx } from '../platform/db/sql.ts';
import { notFound, unprocessable } from '../platform/errors.ts';
import type { Money } from '../platform/money.ts';
import { post } from './ledger-store.ts';
import { sellerProceeds } from './postings.ts';

/**
 * Books a seller's sales proceeds held by the marketplace: what a recovery can later offset
 * against. The amount is positive and in the marketplace's currency; returns the journal entry.
 */
export async function recordSellerProceeds(
  tx: Tx,
  clock: Clock,
  sellerId: string,
  amount: Money,
  /** One of the marketplaces the seller sells in (each has its own account and currency); its home one by default. */
  marketplaceId?: string,
): Promise<{ entryId: string }> {
  const seller = await findSeller(tx, sellerId);
  if (!seller) throw notFound('seller', sellerId);
  const where = marketplaceId ?? seller.marketplace_id;
  if (!(await sellsIn(tx, seller.id, where)))
    throw unprocessable('body.marketplaceId', `seller ${seller.id} does not sell in ${where}`);
  const marketplace = await findMarketplace(tx, where);
  if (!marketplace) throw notFound('marketplace', where);
  if (amount.currency !== marketplace.currency)
    throw unprocessable(
      'body.amount.currency',
      `must be the marketplace's currency, ${marketplace.currency}`,
    );
  if (amount.value <= 0) throw unprocessable('body.amount.value', 'must be more than 0');
  const entryId = await post(tx, clock, {
    marketplaceId: where,
    currency: marketplace.currency,
    claimId: null,
    posting: sellerProceeds(seller.id, amount.value),
  });
  return { entryId };
}
