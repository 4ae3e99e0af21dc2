import { type Selectable, sql } from 'kysely';
import { recordClaimEvent } from '../claims/history.ts';
import { type ClaimRow, lockClaim } from '../claims/store.ts';
import type { Principal } from '../platform/auth/roles.ts';
import { systemPrincipal } from '../platform/auth/roles.ts';
import type { AppContext } from '../platform/context.ts';
import type { ProductsTable, PublicRecallMatchesTable, PublicRecallsTable } from '../platform/db/database.ts';
import { json, type Queryable, type Tx } from '../platform/db/sql.ts';
import { newId } from '../platform/ids.ts';
import {
  matchProductToRecall,
  normaliseBrand,
  normaliseModel,
  normaliseUpc,
  type RecallIdentity,
  type RecallMatch,
} from './public-recall-matching.ts';

export type PublicRecallRow = Selectable<PublicRecallsTable>;
export type PublicRecallMatchRow = Selectable<PublicRecallMatchesTable>;
type ProductRow = Selectable<ProductsTable>;

const identityOf = (recall: PublicRecallRow): RecallIdentity => ({
  title: recall.title,
  productNames: recall.product_names,
  brandKeys: recall.brand_keys,
  modelKeys: recall.model_keys,
  upcKeys: recall.upc_keys,
});

const productIdentity = (p: Pick<ProductRow, 'title' | 'brand' | 'upc' | 'model_number'>) => ({
  title: p.title,
  brand: p.brand,
  upc: p.upc,
  modelNumber: p.model_number,
});

/**
 * Records a match for a safety officer; a match already decided stays as decided, a pending
 * one takes the latest reading. Returns whether the match is new.
 */
async function recordMatch(
  tx: Tx,
  ctx: AppContext,
  recallId: string,
  product: { id: string; marketplace_id: string },
  match: RecallMatch,
): Promise<boolean> {
  const now = ctx.clock.now();
  const reading = {
    method: match.method,
    score: match.score,
    matched_terms: json(match.terms),
    updated_at: now,
  };
  const row = await tx
    .insertInto('public_recall_matches')
    .values({
      id: newId('publicRecallMatch', ctx.clock),
      public_recall_id: recallId,
      product_id: product.id,
      marketplace_id: product.marketplace_id,
      status: 'pending',
      decided_by: null,
      decided_at: null,
      note: null,
      created_at: now,
      ...reading,
    })
    .onConflict((oc) =>
      oc
        .columns(['public_recall_id', 'product_id'])
        .doUpdateSet(reading)
        .where('public_recall_matches.status', '=', 'pending'),
    )
    .returning(sql<boolean>`xmax = 0`.as('inserted'))
    .executeTakeFirst();
  return row?.inserted === true;
}

/**
 * Matches one stored notice against every product that could be it. The database narrows the
 * candidates (a code in the notice, or a brand sharing its first word); the pure matcher decides.
 * The SQL repeats the normalisation of normaliseUpc/normaliseModel so the indexes can be skipped
 * only for products that carry a code at all.
 */
export async function matchRecallToProducts(tx: Tx, ctx: AppContext, recallId: string): Promise<number> {
  const recall = await tx
    .selectFrom('public_recalls')
    .selectAll()
    .where('id', '=', recallId)
    .executeTakeFirstOrThrow();
  const brandWords = [...new Set(recall.brand_keys.map((k) => k.split(' ')[0] as string))];
  if (recall.upc_keys.length + recall.model_keys.length + brandWords.length === 0) return 0;
  const candidates = await tx
    .selectFrom('products')
    .innerJoin('sellers', 'sellers.id', 'products.seller_id')
    .select([
      'products.id',
      'products.title',
      'products.brand',
      'products.upc',
      'products.model_number',
      'sellers.marketplace_id',
    ])
    .where((eb) =>
      eb.or([
        ...(recall.upc_keys.length > 0
          ? [eb(sql`ltrim(regexp_replace(products.upc, '[^0-9]', '', 'g'), '0')`, 'in', recall.upc_keys)]
          : []),
        ...(recall.model_keys.length > 0
          ? [
              eb(
                sql`upper(regexp_replace(products.model_number, '[^A-Za-z0-9]', '', 'g'))`,
                'in',
                recall.model_keys,
              ),
            ]
          : []),
        ...brandWords.map((word) => eb(sql`lower(products.brand)`, 'like', `%${word}%`)),
      ]),
    )
    .execute();
  let created = 0;
  for (const product of candidates) {
    const match = matchProductToRecall(productIdentity(product), identityOf(recall));
    if (match && (await recordMatch(tx, ctx, recall.id, product, match))) created++;
  }
  return created;
}

/** Notices that may name this product: one of its codes or its brand is among the notice's keys. */
async function recallsNaming(db: Queryable, product: ProductRow): Promise<PublicRecallRow[]> {
  const upc = product.upc ? normaliseUpc(product.upc) : '';
  const model = product.model_number ? normaliseModel(product.model_number) : '';
  const brand = product.brand ? normaliseBrand(product.brand) : '';
  if (!upc && !model && !brand) return [];
  return db
    .selectFrom('public_recalls')
    .selectAll()
    .where((eb) =>
      eb.or([
        ...(upc ? [sql<boolean>`upc_keys @> ${json([upc])}`] : []),
        ...(model ? [sql<boolean>`model_keys @> ${json([model])}`] : []),
        ...(brand ? [sql<boolean>`brand_keys @> ${json([brand])}`] : []),
      ]),
    )
    .orderBy('recall_date', 'desc')
    .execute();
}

/** The plain words a claimant reads: which notice, what it is about, what to do. */
export function remedyInPlainWords(recall: PublicRecallRow): string {
  const remedy = recall.remedy.trim() || 'see the notice for what to do';
  return `This product is in public recall ${recall.recall_number} (${recall.title}). ${remedy}`;
}

/** The claim carries the notice in its history; the claimant sees the remedy, not the matching. */
async function linkClaim(
  tx: Tx,
  ctx: AppContext,
  principal: Principal,
  claim: ClaimRow,
  recall: PublicRecallRow,
) {
  return recordClaimEvent(
    tx,
    ctx.clock,
    claim,
    {
      type: 'claim.public_recall_matched',
      actor: principal,
      reason: remedyInPlainWords(recall),
      data: {
        publicRecallId: recall.id,
        recallNumber: recall.recall_number,
        title: recall.title,
        remedy: recall.remedy,
        url: recall.url,
      },
    },
    { public_recall_id: recall.id },
  );
}

/**
 * In a new claim's filing transaction: finds the public notices naming its product, records
 * each match for a safety officer, and links the claim to the best one that holds without a
 * person (the same UPC or model number) or that a person already confirmed. A title-only match
 * waits for confirmation before it changes how the claim is handled.
 */
export async function matchClaimToPublicRecalls(
  tx: Tx,
  ctx: AppContext,
  claim: ClaimRow,
  product: ProductRow,
  marketplaceId: string,
): Promise<ClaimRow> {
  let linkable: { recall: PublicRecallRow; score: number } | null = null;
  for (const recall of await recallsNaming(tx, product)) {
    const match = matchProductToRecall(productIdentity(product), identityOf(recall));
    if (!match) continue;
    await recordMatch(tx, ctx, recall.id, { id: product.id, marketplace_id: marketplaceId }, match);
    const stored = await tx
      .selectFrom('public_recall_matches')
      .select('status')
      .where('public_recall_id', '=', recall.id)
      .where('product_id', '=', product.id)
      .executeTakeFirstOrThrow();
    const holds =
      stored.status === 'confirmed' || (stored.status === 'pending' && match.method !== 'brand_title');
    if (holds && (!linkable || match.score > linkable.score)) linkable = { recall, score: match.score };
  }
  if (!linkable || claim.public_recall_id) return claim;
  return linkClaim(tx, ctx, systemPrincipal('safety'), claim, linkable.recall);
}

/** Locks each of a product's claims the filter selects, oldest first, and applies `change`. */
async function changeProductClaims(
  tx: Tx,
  productId: string,
  linkedTo: { publicRecallId: string | null },
  change: (claim: ClaimRow) => Promise<unknown>,
): Promise<number> {
  let query = tx.selectFrom('claims').select('id').where('product_id', '=', productId);
  query =
    linkedTo.publicRecallId === null
      ? query.where('public_recall_id', 'is', null).where('status', 'not in', ['closed', 'withdrawn'])
      : query.where('public_recall_id', '=', linkedTo.publicRecallId);
  const claims = await query.orderBy('id').execute();
  for (const { id } of claims) {
    const claim = await lockClaim(tx, id);
    if (claim) await change(claim);
  }
  return claims.length;
}

/** On confirmation, the product's open claims not yet carrying a public recall carry this one. */
export const linkProductClaims = (
  tx: Tx,
  ctx: AppContext,
  principal: Principal,
  productId: string,
  recall: PublicRecallRow,
) =>
  changeProductClaims(tx, productId, { publicRecallId: null }, (claim) =>
    linkClaim(tx, ctx, principal, claim, recall),
  );

/** On rejection, claims linked to a notice that is not their product's are released from it. */
export const unlinkProductClaims = (
  tx: Tx,
  ctx: AppContext,
  principal: Principal,
  productId: string,
  recall: PublicRecallRow,
) =>
  changeProductClaims(tx, productId, { publicRecallId: recall.id }, (claim) =>
    recordClaimEvent(
      tx,
      ctx.clock,
      claim,
      {
        type: 'claim.public_recall_unmatched',
        actor: principal,
        reason: `A safety officer found that public recall ${recall.recall_number} is not about this product`,
        data: { publicRecallId: recall.id, recallNumber: recall.recall_number },
      },
      { public_recall_id: null },
    ),
  );
