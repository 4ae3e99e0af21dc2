import { appealClaim } from '../claims/appeal-claim.ts';
import { decideClaim } from '../claims/decide-claim.ts';
import { fileClaim } from '../claims/file-claim.ts';
import { respondToClaim } from '../claims/respond-to-claim.ts';
import { findClaim } from '../claims/store.ts';
import { withdrawClaim } from '../claims/withdraw-claim.ts';
import { answerTender } from '../insurance/answer-tender.ts';
import { tendersOfClaim } from '../insurance/store.ts';
import { runDuePayouts } from '../ledger/execute-payouts.ts';
import { putCustomer } from '../marketplace/put-customer.ts';
import { putOrder } from '../marketplace/put-order.ts';
import { putProduct } from '../marketplace/put-product.ts';
import { putSeller } from '../marketplace/put-seller.ts';
import { findMarketplace } from '../marketplace/store.ts';
import type { Principal } from '../platform/auth/roles.ts';
import type { ManualClock } from '../platform/clock.ts';
import type { AppContext } from '../platform/context.ts';
import { runDueTimers } from '../platform/timers.ts';
import { referClaimByAgent } from '../screening/refer-to-expert.ts';
import { honestNarrative } from '../simulation/narratives.ts';
import { Random } from '../simulation/random.ts';

const DAY = 86_400_000;

const FIRST = [
  'Ana',
  'Ben',
  'Chloe',
  'Dev',
  'Emma',
  'Farid',
  'Grace',
  'Hugo',
  'Iris',
  'Jon',
  'Kira',
  'Luis',
  'Maya',
  'Noah',
  'Olga',
  'Priya',
  'Quinn',
  'Rosa',
  'Sam',
  'Tariq',
  'Uma',
  'Victor',
  'Wen',
  'Yusuf',
  'Zoe',
];
const LAST = [
  'Alvarez',
  'Brooks',
  'Chen',
  'Diaz',
  'Evans',
  'Fischer',
  'Garcia',
  'Hughes',
  'Ito',
  'Jensen',
  'Kaur',
  'Lopez',
  'Miller',
  'Nguyen',
  'Okafor',
  'Patel',
];

/** The quarter's catalogue: sellers with a habit each, so the queues show every kind of answer. */
const SELLERS = [
  { id: 'slr-acme', name: 'Acme Home', habit: 'accept_or_tender' },
  { id: 'slr-volt', name: 'Volt Gadgets', habit: 'dispute' },
  { id: 'slr-nest', name: 'Nestwell Kids', habit: 'silent' },
  { id: 'slr-oak', name: 'Oak & Pine Furniture', habit: 'mixed' },
] as const;
const PRODUCTS = [
  {
    id: 'prd-kettle',
    sellerId: 'slr-acme',
    title: 'Electric kettle 1.7 l',
    category: 'kitchen_appliances',
    price: 4999,
  },
  { id: 'prd-heater', sellerId: 'slr-acme', title: 'Space heater 1500 W', category: 'heating', price: 8999 },
  {
    id: 'prd-toaster',
    sellerId: 'slr-acme',
    title: 'Four-slice toaster',
    category: 'kitchen_appliances',
    price: 3999,
  },
  {
    id: 'prd-charger',
    sellerId: 'slr-volt',
    title: 'USB-C fast charger',
    category: 'electronics',
    price: 2499,
  },
  {
    id: 'prd-powerbank',
    sellerId: 'slr-volt',
    title: 'Power bank 20,000 mAh',
    category: 'electronics',
    price: 3499,
  },
  { id: 'prd-robot', sellerId: 'slr-nest', title: 'Wind-up robot toy', category: 'toys', price: 1999 },
  {
    id: 'prd-blocks',
    sellerId: 'slr-nest',
    title: 'Magnetic building blocks',
    category: 'toys',
    price: 2999,
  },
  { id: 'prd-chair', sellerId: 'slr-oak', title: 'Folding oak chair', category: 'furniture', price: 7999 },
  { id: 'prd-shelf', sellerId: 'slr-oak', title: 'Five-tier bookshelf', category: 'furniture', price: 12999 },
] as const;

interface Pending {
  at: number;
  claimId: string;
  kind: 'seller' | 'decide' | 'appeal' | 'tender';
}

/**
 * A quarter of a lived-in marketplace, run through the real use cases on a clock that starts
 * `days` ago and walks to now: claims filed every day by named customers on named products,
 * sellers that accept, tender, dispute or stay silent, agents who decide most reviews (the last
 * days' stay open, some past their due time), appeals, withdrawals, insurers answering tenders,
 * the deadline timers and the payouts. The safety step raises alerts from the claims as filed.
 * What it leaves: hundreds of claims in every state, recoveries, open and answered tenders.
 */
export async function seedQuarter(
  ctx: AppContext,
  clock: ManualClock,
  options: { marketplaceId: string; days: number; claimsPerDay: number; seed: number; until: Date },
): Promise<{ claims: number }> {
  const random = new Random(options.seed);
  const mkt = options.marketplaceId;
  // The quarter is in the marketplace's own currency; its prices are the same figures in it.
  const currency = (await findMarketplace(ctx.db, mkt))?.currency;
  if (!currency) throw new Error(`marketplace ${mkt} must exist before its quarter is seeded`);
  const agent: Principal = { role: 'agent', partyId: null, keyId: 'demo-seed-agent', requestId: null };
  const customers: string[] = [];
  await ctx.db.transaction().execute(async (tx) => {
    for (const s of SELLERS.filter((s) => s.id !== 'slr-acme' && s.id !== 'slr-volt')) {
      await putSeller(tx, clock, s.id, {
        marketplaceId: mkt,
        name: s.name,
        standing: 'good',
        kind: 'third_party',
        contact: { email: `claims@${s.id}.example` },
      });
    }
    for (const p of PRODUCTS) {
      await putProduct(tx, clock, p.id, { sellerId: p.sellerId, title: p.title, category: p.category });
    }
    for (let i = 0; i < 60; i++) {
      const id = `cus-q${String(i).padStart(3, '0')}`;
      const name = `${FIRST[i % FIRST.length]} ${LAST[(i * 7) % LAST.length]}`;
      await putCustomer(tx, clock, id, {
        marketplaceId: mkt,
        name,
        email: `${name.toLowerCase().replace(/\s+/g, '.')}.${i}@example.com`,
      });
      customers.push(id);
    }
  });

  const pending: Pending[] = [];
  let filed = 0;
  const customer = (id: string): Principal => ({
    role: 'customer',
    partyId: id,
    keyId: null,
    requestId: null,
  });
  const seller = (id: string): Principal => ({ role: 'seller', partyId: id, keyId: null, requestId: null });
  const lastDay = options.until.getTime();
  // Reviews due in the last few days are left to the people who open the demo.
  const openFrom = lastDay - 6 * DAY;

  const act = async (p: Pending) => {
    const claim = await findClaim(ctx.db, p.claimId);
    if (!claim) return;
    await ctx.db.transaction().execute(async (tx) => {
      if (p.kind === 'seller' && claim.status === 'awaiting_seller' && claim.seller_id) {
        const habit = SELLERS.find((s) => s.id === claim.seller_id)?.habit ?? 'mixed';
        const roll = random.next();
        if (habit === 'silent' || (habit === 'mixed' && roll < 0.3)) return;
        const action =
          habit === 'dispute' || (habit === 'mixed' && roll < 0.6)
            ? 'dispute'
            : habit === 'accept_or_tender' && roll < 0.5
              ? 'tender'
              : 'accept';
        await respondToClaim(
          tx,
          ctx,
          seller(claim.seller_id),
          claim.id,
          action === 'dispute'
            ? {
                action,
                defense:
                  'The product passed its safety tests; the damage points to misuse against the manual.',
                evidenceIds: [],
              }
            : { action },
        );
        if (action === 'tender' && random.chance(0.6)) {
          pending.push({
            at: clock.now().getTime() + random.int(1, 3) * DAY,
            claimId: claim.id,
            kind: 'tender',
          });
        }
      } else if (p.kind === 'decide' && claim.status === 'under_review') {
        if (random.chance(0.7)) {
          await decideClaim(tx, ctx, agent, claim.id, {
            outcome: 'approve',
            reason: 'The photos and the invoice support the loss; the defence does not explain it.',
          });
        } else {
          await decideClaim(tx, ctx, agent, claim.id, { outcome: 'deny', reason: 'unsubstantiated' });
          if (random.chance(0.35))
            pending.push({
              at: clock.now().getTime() + random.int(1, 5) * DAY,
              claimId: claim.id,
              kind: 'appeal',
            });
        }
      } else if (p.kind === 'appeal' && claim.status === 'denied' && !claim.appealed_at) {
        await appealClaim(tx, ctx, customer(claim.customer_id), claim.id, {
          grounds: 'I have the fire brigade report and the receipt for the repairs; please look again.',
        });
      } else if (p.kind === 'tender') {
        const open = (await tendersOfClaim(tx, claim.id)).find((t) => t.status === 'open');
        if (!open) return;
        const insurer: Principal = {
          role: 'insurer',
          partyId: open.insurer_id,
          keyId: null,
          requestId: null,
        };
        await answerTender(tx, ctx, insurer, open.id, {
          action: 'accept',
          paymentReference: `HM-${claim.id.slice(-6)}`,
        });
      }
    });
  };

  for (let day = 0; day < options.days; day++) {
    const dayStart = clock.now().getTime();
    for (let n = 0; n < options.claimsPerDay + random.int(-1, 1); n++) {
      clock.advance(random.int(600, (20 * 3600) / options.claimsPerDay));
      const now = clock.now().getTime();
      const product = random.pick(PRODUCTS);
      const customerId = random.pick(customers);
      const incidentAt = now - random.int(1, 10) * DAY - random.int(0, 20) * 3600_000;
      const deliveredAt = incidentAt - random.int(1, 25) * DAY;
      const orderId = `ord-q${String(filed + 1).padStart(4, '0')}`;
      const injury = random.chance(0.25);
      const large = random.chance(0.22);
      const value = large ? random.int(110_000, 900_000) : random.int(2_500, 95_000);
      try {
        const claim = await ctx.db.transaction().execute(async (tx) => {
          await putOrder(tx, clock, orderId, {
            marketplaceId: mkt,
            customerId,
            lines: [
              {
                lineId: '1',
                productId: product.id,
                sellerId: product.sellerId,
                quantity: 1,
                unitPrice: { value: product.price, currency },
                deliveredAt: new Date(deliveredAt).toISOString(),
              },
            ],
          });
          return fileClaim(tx, ctx, customer(customerId), {
            orderId,
            lineId: '1',
            type: injury ? 'personal_injury' : 'property_damage',
            incidentAt: new Date(incidentAt).toISOString(),
            description: honestNarrative(random, product),
            amount: { value, currency },
            damages: [
              {
                kind: injury ? 'medical_bills' : 'property_damage',
                description: injury ? 'Urgent care invoice' : 'Repair quote',
                amount: { value, currency },
              },
            ],
          });
        });
        filed++;
        const later = (days: number) => now + days * DAY;
        if (claim.status === 'awaiting_seller')
          pending.push({ at: later(random.int(0, 2)), claimId: claim.id, kind: 'seller' });
        if (
          random.chance(0.03) &&
          ['screening', 'awaiting_seller', 'under_review', 'needs_info'].includes(claim.status)
        ) {
          await ctx.db.transaction().execute((tx) =>
            withdrawClaim(tx, ctx, customer(customerId), claim.id, {
              reason: 'Sorted it out with the seller directly.',
            }),
          );
        }
      } catch (error) {
        // A generated claim the rules refuse (a second claim on a line, say) is simply not filed.
        if ((error as { status?: number }).status === undefined) throw error;
      }
    }
    // Reviews that started today are decided a few days on, unless they are due at the end.
    const reviews = await ctx.db
      .selectFrom('claims')
      .select(['id', 'review_due_at'])
      .where('marketplace_id', '=', mkt)
      .where('status', '=', 'under_review')
      .where('owner_id', 'is', null)
      .execute();
    for (const r of reviews) {
      if (pending.some((p) => p.claimId === r.id && p.kind === 'decide')) continue;
      const at = clock.now().getTime() + random.int(1, 4) * DAY;
      if (at < openFrom) pending.push({ at, claimId: r.id, kind: 'decide' });
    }
    clock.advance((dayStart + DAY - clock.now().getTime()) / 1000);
    const due = pending.filter((p) => p.at <= clock.now().getTime());
    for (const p of due) {
      pending.splice(pending.indexOf(p), 1);
      await act(p);
    }
    await runDueTimers(ctx);
    await runDuePayouts(ctx);
  }
  // The README's story has J. Lee review a referral: the oldest claim still waiting on a person goes to them.
  const waiting = await ctx.db
    .selectFrom('claims')
    .select('id')
    .where('marketplace_id', '=', mkt)
    .where('status', 'in', ['under_review', 'awaiting_seller'])
    .orderBy('id')
    .limit(1)
    .executeTakeFirst();
  if (waiting) {
    await ctx.db.transaction().execute((tx) =>
      referClaimByAgent(tx, ctx, agent, waiting.id, {
        expertId: 'exp-lee',
        reason: 'The same photo angle and wording as two earlier claims on this product',
      }),
    );
  }
  return { claims: filed };
}
