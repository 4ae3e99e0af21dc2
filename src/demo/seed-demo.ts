import { fileClaim } from '../claims/file-claim.ts';
import { respondToClaim } from '../claims/respond-to-claim.ts';
import { publishAppetite, putInsurer, vetInsurer } from '../insurance/insurers.ts';
import { recordVerifiedPolicy } from '../insurance/verify-policy.ts';
import { putCustomer } from '../marketplace/put-customer.ts';
import { putMarketplace } from '../marketplace/put-marketplace.ts';
import { putOrder } from '../marketplace/put-order.ts';
import { putProduct } from '../marketplace/put-product.ts';
import { putSeller } from '../marketplace/put-seller.ts';
import { findMarketplace } from '../marketplace/store.ts';
import { assignTpa, putTpa } from '../marketplace/tpa/tpas.ts';
import { createApiKey } from '../platform/auth/api-keys.ts';
import { type Principal, type Role, systemPrincipal } from '../platform/auth/roles.ts';
import { type Clock, ManualClock } from '../platform/clock.ts';
import type { AppContext } from '../platform/context.ts';
import type { Tx } from '../platform/db/sql.ts';
import { seedQuarter } from './seed-quarter.ts';
import { seedRegions } from './seed-regions.ts';

export const DEMO_MARKETPLACE = 'demo-us';
export const DEMO_TPA = 'tpa-crawford';

/**
 * Well-known demo keys, printed at every demo start. They exist only in a demo database:
 * `seed --demo` is the only thing that creates them, and never on a real marketplace.
 */
export const DEMO_KEYS: { role: Role; partyId: string | null; secret: string; who: string }[] = [
  { role: 'admin', partyId: null, secret: 'rdk_demo_admin_0000000000000000000000', who: 'operator' },
  { role: 'agent', partyId: null, secret: 'rdk_demo_agent_0000000000000000000000', who: 'claims agent' },
  {
    role: 'customer',
    partyId: 'cus-dana',
    secret: 'rdk_demo_customer_dana_00000000000000',
    who: 'Dana (customer)',
  },
  {
    role: 'seller',
    partyId: 'slr-acme',
    secret: 'rdk_demo_seller_acme_000000000000000',
    who: 'Acme Home (seller)',
  },
  {
    role: 'insurer',
    partyId: 'ins-harbor',
    secret: 'rdk_demo_insurer_harbor_000000000000',
    who: 'Harbor Mutual (insurer)',
  },
  {
    role: 'insurer',
    partyId: 'ins-beacon',
    secret: 'rdk_demo_insurer_beacon_000000000000',
    who: 'Beacon Specialty (network provider)',
  },
  {
    role: 'customer',
    partyId: 'cus-olivia',
    secret: 'rdk_demo_customer_olivia_000000000000',
    who: 'Olivia (customer, UK)',
  },
  {
    role: 'customer',
    partyId: 'cus-jonas',
    secret: 'rdk_demo_customer_jonas_0000000000000',
    who: 'Jonas (customer, Germany)',
  },
  {
    role: 'seller',
    partyId: 'slr-hearth',
    secret: 'rdk_demo_seller_hearth_0000000000000',
    who: 'Hearth & Home (seller, UK and Germany)',
  },
  {
    role: 'tpa',
    partyId: 'tpa-crawford',
    secret: 'rdk_demo_tpa_crawford_00000000000000',
    who: 'Crawford Claims Services (third-party administrator)',
  },
  {
    role: 'expert',
    partyId: 'exp-lee',
    secret: 'rdk_demo_expert_lee_0000000000000000',
    who: 'J. Lee (fraud expert)',
  },
];

const DAY = 86_400_000;
/** The demo's past: a quarter of claims before the four the README's story starts from. */
const QUARTER_DAYS = 90;

/** J. Lee, the README's independent fraud expert (the demo's expert key acts as exp-lee). */
async function registerDemoExpert(tx: Tx, clock: Clock): Promise<void> {
  const now = clock.now();
  await tx
    .insertInto('experts')
    .values({
      id: 'exp-lee',
      marketplace_id: DEMO_MARKETPLACE,
      organisation: 'Lee Claims Integrity LLC',
      name: 'J. Lee',
      email: 'j.lee@integrity.example',
      active: true,
      created_at: now,
      updated_at: now,
    })
    .onConflict((oc) => oc.column('id').doNothing())
    .execute();
}

/** Creates the demo marketplaces (US, UK, Germany) with a few claims in different states; does nothing if they exist. */
export async function seedDemo(
  ctx: AppContext,
  options: { claimsPerDay?: number } = {},
): Promise<{ created: boolean }> {
  for (const k of DEMO_KEYS)
    await createApiKey(ctx.db, ctx.clock, { role: k.role, partyId: k.partyId, secret: k.secret });
  if (await findMarketplace(ctx.db, DEMO_MARKETPLACE)) return { created: false };
  const admin = systemPrincipal('demo-seed');
  const now = ctx.clock.now();
  const delivered = new Date(now.getTime() - 20 * DAY).toISOString();
  // The marketplace opens a quarter ago, on a clock of its own that the quarter walks to now:
  // its claims carry the days they were filed, and its deadlines fell due on the way.
  const quarterClock = new ManualClock(new Date(now.getTime() - (QUARTER_DAYS + 1) * DAY));
  const quarter: AppContext = { ...ctx, clock: quarterClock };
  await ctx.db.transaction().execute(async (tx) => {
    await putMarketplace(tx, quarterClock, admin, DEMO_MARKETPLACE, {
      name: 'Demo Marketplace (US)',
      currency: 'USD',
      region: 'US',
      holidayCalendar: 'US',
      timeZone: 'America/New_York',
      locale: 'en-US',
      policy: {},
    });
    await putInsurer(tx, quarterClock, 'ins-harbor', {
      name: 'Harbor Mutual',
      financialRating: 'A',
      contactEmail: 'claims@harbor.example',
    });
    await seedInsuranceNetwork(tx, quarter);
    const seller = async (id: string, name: string, insured: boolean) => {
      await putSeller(tx, quarterClock, id, {
        marketplaceId: DEMO_MARKETPLACE,
        name,
        standing: 'good',
        kind: 'third_party',
        contact: { email: `claims@${id}.example` },
      });
      if (!insured) return;
      await recordVerifiedPolicy(tx, quarter, id, {
        insurerId: 'ins-harbor',
        policyNumber: `HM-${id}`,
        perOccurrence: { value: 100_000_000, currency: 'USD' },
        aggregate: { value: 200_000_000, currency: 'USD' },
        deductible: { value: 100_000, currency: 'USD' },
        additionalInsured: true,
        effectiveFrom: new Date(now.getTime() - 165 * DAY).toISOString(),
        expiresAt: new Date(now.getTime() + 200 * DAY).toISOString(),
      });
    };
    await seller('slr-acme', 'Acme Home', true);
    await seller('slr-volt', 'Volt Gadgets', false);
    await putProduct(tx, quarterClock, 'prd-kettle', {
      sellerId: 'slr-acme',
      title: 'Electric kettle 1.7 l',
      category: 'kitchen_appliances',
    });
    await putProduct(tx, quarterClock, 'prd-heater', {
      sellerId: 'slr-acme',
      title: 'Space heater 1500 W',
      category: 'heating',
    });
    await putProduct(tx, quarterClock, 'prd-charger', {
      sellerId: 'slr-volt',
      title: 'USB-C fast charger',
      category: 'electronics',
    });
    await putCustomer(tx, quarterClock, 'cus-dana', {
      marketplaceId: DEMO_MARKETPLACE,
      name: 'Dana Reyes',
      email: 'dana@example.com',
    });
    await putCustomer(tx, quarterClock, 'cus-eli', {
      marketplaceId: DEMO_MARKETPLACE,
      name: 'Eli Park',
      email: 'eli@example.com',
    });
    await registerDemoExpert(tx, quarterClock);
  });
  // claimsPerDay 0: the bare demo (keys, parties and the README's story) without the quarter,
  // for tests that need a marketplace in seconds, not the lived-in history.
  const claimsPerDay = options.claimsPerDay ?? 2;
  if (claimsPerDay > 0) {
    await seedQuarter(quarter, quarterClock, {
      marketplaceId: DEMO_MARKETPLACE,
      days: QUARTER_DAYS,
      claimsPerDay,
      seed: 2026,
      until: now,
    });
  }
  await ctx.db.transaction().execute(async (tx) => {
    const line = (lineId: string, productId: string, sellerId: string, value: number) => ({
      lineId,
      productId,
      sellerId,
      quantity: 1,
      unitPrice: { value, currency: 'USD' },
      deliveredAt: delivered,
    });
    await putOrder(tx, ctx.clock, 'ord-1001', {
      marketplaceId: DEMO_MARKETPLACE,
      customerId: 'cus-dana',
      lines: [
        line('1', 'prd-kettle', 'slr-acme', 4999),
        line('2', 'prd-charger', 'slr-volt', 2499),
        line('3', 'prd-heater', 'slr-acme', 8999),
      ],
    });
    await putOrder(tx, ctx.clock, 'ord-1002', {
      marketplaceId: DEMO_MARKETPLACE,
      customerId: 'cus-eli',
      lines: [line('1', 'prd-heater', 'slr-acme', 8999)],
    });
  });

  const dana: Principal = { role: 'customer', partyId: 'cus-dana', keyId: null, requestId: null };
  const eli: Principal = { role: 'customer', partyId: 'cus-eli', keyId: null, requestId: null };
  const incidentAt = new Date(now.getTime() - 3 * DAY).toISOString();
  const claim = (
    orderId: string,
    lineId: string,
    value: number,
    description: string,
    type: 'property_damage' | 'personal_injury',
  ) => ({
    orderId,
    lineId,
    type,
    incidentAt,
    description,
    amount: { value, currency: 'USD' },
    damages: [
      {
        kind: type === 'personal_injury' ? ('medical_bills' as const) : ('property_damage' as const),
        description: 'As itemised on the attached invoice',
        amount: { value, currency: 'USD' },
      },
    ],
  });
  await ctx.db.transaction().execute(async (tx) => {
    // Small: the marketplace pays at once.
    await fileClaim(
      tx,
      ctx,
      dana,
      claim(
        'ord-1001',
        '1',
        38_000,
        'The kettle base overheated and scorched the counter top.',
        'property_damage',
      ),
    );
    // Large: waits for the seller's answer, with a business-day deadline.
    await fileClaim(
      tx,
      ctx,
      dana,
      claim(
        'ord-1001',
        '3',
        120_000,
        'The heater tipped over and set fire to the living room rug and sofa.',
        'property_damage',
      ),
    );
    // Large, seller tenders it to its insurer.
    const tendered = await fileClaim(
      tx,
      ctx,
      eli,
      claim(
        'ord-1002',
        '1',
        260_000,
        'Burned my hand on the heater casing; urgent care and two days off work.',
        'personal_injury',
      ),
    );
    await respondToClaim(
      tx,
      ctx,
      { role: 'seller', partyId: 'slr-acme', keyId: null, requestId: null },
      tendered.id,
      { action: 'tender' },
    );
  });
  // The UK and German marketplaces beside it (src/demo/seed-regions.ts, docs/regions.md).
  await seedRegions(ctx);
  // The outside claims administrator the programme uses above the small-claim limit works the
  // demo marketplace's claims (docs/tpa.md); its one-click sign-in is in DEMO_KEYS.
  await ctx.db.transaction().execute(async (tx) => {
    await putTpa(tx, ctx.clock, DEMO_TPA, { name: 'Crawford Claims Services' });
    await assignTpa(tx, ctx.clock, admin, DEMO_TPA, DEMO_MARKETPLACE, {
      reason: 'Demo: claims administration agreement',
    });
  });
  return { created: true };
}

/**
 * Two vetted providers of the insurance network, so a demo seller can ask for quotes: one
 * rates at once from its table, the other (Harbor, the demo insurer key) too; Beacon excludes
 * heating appliances, so a seller of heaters sees that rule in the answer.
 */
async function seedInsuranceNetwork(tx: Tx, ctx: AppContext): Promise<void> {
  const network: { id: string; rates: Record<string, number>; excluded: string[]; minimumPremium: number }[] =
    [
      {
        id: 'ins-harbor',
        rates: { kitchen_appliances: 2.2, heating: 4.5, electronics: 3.1 },
        excluded: [],
        minimumPremium: 60_000,
      },
      {
        id: 'ins-beacon',
        rates: { kitchen_appliances: 1.9, electronics: 2.8 },
        excluded: ['heating'],
        minimumPremium: 45_000,
      },
    ];
  await putInsurer(tx, ctx.clock, 'ins-beacon', {
    name: 'Beacon Specialty',
    financialRating: 'A-',
    contactEmail: 'quotes@beacon.example',
  });
  const admin: Principal = { role: 'admin', partyId: null, keyId: 'demo-seed', requestId: null };
  for (const provider of network) {
    await publishAppetite(tx, ctx.clock, admin, provider.id, {
      currency: 'USD',
      categories: { accepted: null, excluded: provider.excluded },
      annualSales: { min: 1_000_000, max: 5_000_000_000 },
      limits: { minPerOccurrence: 100_000_000, maxPerOccurrence: 500_000_000, maxAggregate: 1_000_000_000 },
      deductible: 250_000,
      maxClaimsInHistory: 20,
      acceptsNotCompliant: true,
      quoteBy: 'rating_table',
      quoteValidDays: 30,
      policyExclusions: ['Punitive damages', 'Products under recall when bound'],
      rating: {
        baseRatePer1000: provider.rates,
        defaultBaseRatePer1000: null,
        claimsHistory: [
          { upToClaims: 0, factor: 0.9 },
          { upToClaims: 3, factor: 1 },
          { upToClaims: 20, factor: 1.4 },
        ],
        compliance: { compliant: 0.95, not_compliant: 1.15 },
        increasedLimits: [
          { upToPerOccurrence: 100_000_000, factor: 1 },
          { upToPerOccurrence: 200_000_000, factor: 1.35 },
          { upToPerOccurrence: 500_000_000, factor: 1.8 },
        ],
        minimumPremium: provider.minimumPremium,
      },
    });
    await vetInsurer(tx, ctx.clock, admin, provider.id, { decision: 'vetted', note: 'Demo provider' });
  }
}
