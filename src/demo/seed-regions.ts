import { fileClaim } from '../claims/file-claim.ts';
import { putCustomer } from '../marketplace/put-customer.ts';
import { putMarketplace } from '../marketplace/put-marketplace.ts';
import { putOrder } from '../marketplace/put-order.ts';
import { putProduct } from '../marketplace/put-product.ts';
import { putSeller } from '../marketplace/put-seller.ts';
import type { MarketplaceInput } from '../marketplace/schemas.ts';
import { type Principal, systemPrincipal } from '../platform/auth/roles.ts';
import type { AppContext } from '../platform/context.ts';

/**
 * The demo's other regions, beside the US one: each is data, not code (docs/regions.md). Same
 * programme, its own currency, zone, holidays, language and £/€ 1,000 small-claim limit.
 */
export const DEMO_REGIONS: { id: string; input: MarketplaceInput }[] = [
  {
    id: 'demo-uk',
    input: {
      name: 'Demo Marketplace (UK)',
      currency: 'GBP',
      region: 'GB',
      // England and Wales: the UK's bank holidays differ in Scotland and Northern Ireland.
      holidayCalendar: 'GB-ENG',
      timeZone: 'Europe/London',
      locale: 'en-GB',
      policy: { smallClaimLimit: 100_000 },
    },
  },
  {
    id: 'demo-de',
    input: {
      name: 'Demo-Marktplatz (Deutschland)',
      currency: 'EUR',
      region: 'DE',
      holidayCalendar: 'DE',
      timeZone: 'Europe/Berlin',
      locale: 'de-DE',
      policy: { smallClaimLimit: 100_000 },
    },
  },
];

/** The seller that sells in both: one identity, a GBP ledger in demo-uk and a EUR one in demo-de. */
export const DEMO_CROSS_BORDER_SELLER = 'slr-hearth';

const DAY = 86_400_000;

/**
 * The UK and German marketplaces, their customers, products and orders, and a claim in each:
 * Olivia's small claim is paid at once in pounds, Jonas's in euros (his e-mails are in German),
 * and Olivia's larger one waits for the seller's answer on England's business days.
 */
export async function seedRegions(ctx: AppContext): Promise<void> {
  const admin = systemPrincipal('demo-seed');
  const now = ctx.clock.now();
  const delivered = new Date(now.getTime() - 10 * DAY).toISOString();
  await ctx.db.transaction().execute(async (tx) => {
    for (const region of DEMO_REGIONS) await putMarketplace(tx, ctx.clock, admin, region.id, region.input);
    await putSeller(tx, ctx.clock, DEMO_CROSS_BORDER_SELLER, {
      marketplaceId: 'demo-uk',
      otherMarketplaceIds: ['demo-de'],
      name: 'Hearth & Home Ltd',
      standing: 'good',
      kind: 'third_party',
      contact: { email: 'claims@slr-hearth.example' },
    });
    await putProduct(tx, ctx.clock, 'prd-toaster', {
      sellerId: DEMO_CROSS_BORDER_SELLER,
      title: 'Four-slice toaster',
      category: 'kitchen_appliances',
    });
    await putProduct(tx, ctx.clock, 'prd-fan-heater', {
      sellerId: DEMO_CROSS_BORDER_SELLER,
      title: 'Fan heater 2 kW',
      category: 'heating',
    });
    await putCustomer(tx, ctx.clock, 'cus-olivia', {
      marketplaceId: 'demo-uk',
      name: 'Olivia Hughes',
      email: 'olivia@example.co.uk',
    });
    // No language given: the German marketplace's customers read German.
    await putCustomer(tx, ctx.clock, 'cus-jonas', {
      marketplaceId: 'demo-de',
      name: 'Jonas Becker',
      email: 'jonas@example.de',
    });
    const line = (lineId: string, productId: string, value: number, currency: string) => ({
      lineId,
      productId,
      sellerId: DEMO_CROSS_BORDER_SELLER,
      quantity: 1,
      unitPrice: { value, currency },
      deliveredAt: delivered,
    });
    await putOrder(tx, ctx.clock, 'ord-uk-2001', {
      marketplaceId: 'demo-uk',
      customerId: 'cus-olivia',
      lines: [line('1', 'prd-toaster', 3499, 'GBP'), line('2', 'prd-fan-heater', 5999, 'GBP')],
    });
    await putOrder(tx, ctx.clock, 'ord-de-3001', {
      marketplaceId: 'demo-de',
      customerId: 'cus-jonas',
      lines: [line('1', 'prd-toaster', 3999, 'EUR')],
    });
  });

  const customer = (partyId: string): Principal => ({
    role: 'customer',
    partyId,
    keyId: null,
    requestId: null,
  });
  const incidentAt = new Date(now.getTime() - 2 * DAY).toISOString();
  const claim = (orderId: string, lineId: string, value: number, currency: string, description: string) => ({
    orderId,
    lineId,
    type: 'property_damage' as const,
    incidentAt,
    description,
    amount: { value, currency },
    damages: [
      {
        kind: 'property_damage' as const,
        description: 'As itemised on the attached invoice',
        amount: { value, currency },
      },
    ],
  });
  await ctx.db.transaction().execute(async (tx) => {
    // Within £1,000: the marketplace pays at once, in pounds.
    await fileClaim(
      tx,
      ctx,
      customer('cus-olivia'),
      claim('ord-uk-2001', '1', 42_000, 'GBP', 'The toaster caught fire and scorched the worktop.'),
    );
    // Above £1,000: the seller has two English business days to answer.
    await fileClaim(
      tx,
      ctx,
      customer('cus-olivia'),
      claim('ord-uk-2001', '2', 180_000, 'GBP', 'The fan heater melted and burned the carpet and curtains.'),
    );
    // Within €1,000: paid at once, in euros; Jonas is written to in German.
    await fileClaim(
      tx,
      ctx,
      customer('cus-jonas'),
      claim('ord-de-3001', '1', 55_000, 'EUR', 'Der Toaster hat gebrannt und die Arbeitsplatte beschädigt.'),
    );
  });
}
