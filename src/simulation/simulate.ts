/**
 * The seeded simulation: a marketplace's days of orders, honest claims and abuse, run through the
 * real use cases so the invariants (ledger, chains, transition tables) can be checked on a world
 * nobody wrote by hand. Over 400 lines on purpose: one day's script (orders, claims, answers, tenders,
 * payments) reads top to bottom as the story it simulates; the incident texts are in `incidents.ts`.
 */
import sharp from 'sharp';
import { addEvidence } from '../claims/add-evidence.ts';
import { decideClaim } from '../claims/decide-claim.ts';
import { fileClaim } from '../claims/file-claim.ts';
import { respondToClaim } from '../claims/respond-to-claim.ts';
import { answerTender } from '../insurance/answer-tender.ts';
import { putInsurer } from '../insurance/insurers.ts';
import { recordVerifiedPolicy } from '../insurance/verify-policy.ts';
import { confirmPayment } from '../ledger/confirm-payment.ts';
import { type SummaryReport, summaryReport } from '../ledger/reports.ts';
import { putCustomer } from '../marketplace/put-customer.ts';
import { putMarketplace } from '../marketplace/put-marketplace.ts';
import { putOrder } from '../marketplace/put-order.ts';
import { putProduct } from '../marketplace/put-product.ts';
import { putSeller } from '../marketplace/put-seller.ts';
import type { Principal } from '../platform/auth/roles.ts';
import type { ManualClock } from '../platform/clock.ts';
import type { AppContext } from '../platform/context.ts';
import type { Queryable } from '../platform/db/sql.ts';
import { AppError } from '../platform/errors.ts';
import { runAllDue } from '../platform/jobs.ts';
import { submitFindings } from '../screening/submit-findings.ts';
import {
  type CatalogueEntry,
  FIXTURE,
  type IncidentStory,
  incidentsPath,
  loadIncidentStories,
} from './incidents.ts';
import { copiedNarrative, honestNarrative, paraphrasedNarrative } from './narratives.ts';
import { Random } from './random.ts';

/** Abuse that announces itself: the patterns screening was first built on. */
export const BLATANT_KINDS = ['repeat', 'ring', 'inflated', 'copy_paste', 'sabotage'] as const;
/**
 * Abuse that does not: a serial claimant with three claims a year apart in other categories;
 * rings sharing only a device, or only a payment fingerprint; another claimant's story retold in
 * other words; accounts linked to a competing seller spreading claims over one seller; one
 * household's claims just under the small-claim limit.
 */
export const SUBTLE_KINDS = [
  'serial_spread',
  'device_ring',
  'payment_ring',
  'paraphrase',
  'competitor_cluster',
  'household_under_limit',
] as const;
export type AbuseKind = (typeof BLATANT_KINDS)[number] | (typeof SUBTLE_KINDS)[number];
export type ClaimKind = 'honest' | AbuseKind;

export interface SimulationOptions {
  days: number;
  seed: number;
  sellers: number;
  customers: number;
  ordersPerDay: number;
  /** Abusive claims per honest claim filed. */
  abuseRate: number;
  /**
   * Multiplies every product's defect rate (1 by default): a short run (a test) raises it to file
   * enough honest claims to reach the seller, insurer and payment paths without a bigger market.
   */
  defectRateScale?: number;
  marketplaceId?: string;
  /** Called after each simulated day's worker pass; the run waits for it (a test checks invariants there). */
  onProgress?: (day: number, days: number) => void | Promise<void>;
}

export interface ScreeningQuality {
  claims: number;
  fraudulent: number;
  flagged: number;
  precision: number | null;
  recall: number | null;
  falsePositiveRate: number | null;
  noTouchShare: number;
  filingLatencyMs: { p50: number; p99: number };
  byKind: Record<string, { claims: number; flagged: number }>;
  /**
   * Per signal code: on how many honest claims it fired (and how many of those were flagged),
   * and on how many abusive claims: which signals make the false positives, which the catches.
   */
  bySignal: Record<string, { honest: number; honestFlagged: number; abusive: number }>;
  /** The honest claims flagged (false positives) and the signals that flagged them, to inspect. */
  falsePositives: { claimId: string; score: number; signals: string[] }[];
  /** The abusive claims not flagged, with the signals that did fire (too weakly). */
  missed: { claimId: string; kind: string; score: number; signals: string[] }[];
  /** Money paid (settled payouts, any payer) on abusive claims, and how much of it is owed back by the claimant. */
  abusivePaid: { amount: number; claims: number; recoveryFromClaimant: number };
  /** Where the honest narratives came from: CPSC NEISS rows used, and those told twice for want of rows. */
  honestNarratives: { source: string; stories: number; reused: number };
}

/** What the run did before any claim, so a run that filed none can say why. */
export interface SimulationActivity {
  marketplaceId: string;
  /** Every order placed, the ones abusive claimants bought to claim on included. */
  orders: number;
  /** Honest orders with a defect: each customer files 1 to 20 days later. */
  honestIncidents: number;
  /** Of those, the ones whose filing day fell after the last simulated day. */
  honestNotYetFiled: number;
  abusiveClaims: number;
}

export interface SimulationResult {
  screening: ScreeningQuality;
  report: SummaryReport;
  activity: SimulationActivity;
  seconds: number;
}

/**
 * The marketplace a run writes: `sim-<seed>`, or `sim-<seed>-2`, `-3`... when an earlier run
 * into the same database already holds it, so a second run with the same seed replays the same
 * choices beside the first instead of colliding with its ids.
 */
export async function freeMarketplaceId(db: Queryable, seed: number): Promise<string> {
  const base = `sim-${seed}`;
  const taken = new Set(
    (
      await db
        .selectFrom('marketplaces')
        .select('id')
        .where((eb) => eb.or([eb('id', '=', base), eb('id', 'like', `${base}-%`)]))
        .execute()
    ).map((m) => m.id),
  );
  if (!taken.has(base)) return base;
  let run = 2;
  while (taken.has(`${base}-${run}`)) run++;
  return `${base}-${run}`;
}

interface Line {
  orderId: string;
  customerId: string;
  productId: string;
  price: number;
  deliveredAt: Date;
}

const DAY = 86_400_000;
const agent: Principal = { role: 'agent', partyId: null, keyId: 'sim-agent', requestId: null };

const percentile = (values: number[], p: number) => {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return Math.round((sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? 0) * 10) / 10;
};

/**
 * The real narratives, each told once, in a seeded order: one queue per catalogue entry. When an
 * entry's queue is empty a story of the same category is told instead, and past that one is
 * told again (counted: two honest claimants with one story would read as a copy).
 */
class Stories {
  readonly #queues = new Map<string, IncidentStory[]>();
  readonly #all: IncidentStory[];
  readonly #random: Random;
  told = 0;
  reused = 0;

  constructor(
    all: IncidentStory[],
    random: Random,
    readonly source: string,
  ) {
    if (all.length === 0) throw new Error(`no usable narratives in ${source}`);
    this.#random = random;
    this.#all = all;
    const shuffled = [...all];
    for (let i = shuffled.length - 1; i > 0; i--) {
      const j = random.int(0, i);
      [shuffled[i], shuffled[j]] = [shuffled[j] as IncidentStory, shuffled[i] as IncidentStory];
    }
    for (const story of shuffled) {
      const queue = this.#queues.get(story.product.key) ?? [];
      queue.push(story);
      this.#queues.set(story.product.key, queue);
    }
  }

  /** A catalogue entry, as often as the data has stories about it. */
  pickEntry(): CatalogueEntry {
    return this.#random.pick(this.#all).product;
  }

  take(key: string): IncidentStory {
    this.told++;
    const own = this.#queues.get(key);
    if (own?.length) return own.shift() as IncidentStory;
    const category = this.#all.find((s) => s.product.key === key)?.product.category;
    for (const queue of this.#queues.values())
      if (queue.length && queue[0]?.product.category === category) return queue.shift() as IncidentStory;
    this.reused++;
    return this.#random.pick(this.#all);
  }
}

/** Emergency-department bills: most released the same day, a few admitted. */
function medicalBill(random: Random, serious: boolean): number {
  return serious ? random.int(400_000, 4_000_000) : random.int(15_000, 250_000);
}

/**
 * A photo of its own: a smooth picture from an 8×8 grid of random colours. (A gradient, used
 * before, gave every photo nearly the same difference hash: honest photos matched each other as
 * "the same photo re-encoded", which real photos of different things do not.)
 */
async function photoBytes(random: Random): Promise<Buffer> {
  const cells = 8;
  const data = Buffer.alloc(cells * cells * 3);
  for (let i = 0; i < data.length; i++) data[i] = random.int(0, 255);
  return sharp(data, { raw: { width: cells, height: cells, channels: 3 } })
    .resize(64, 64, { kernel: 'cubic' })
    .png()
    .toBuffer();
}

/**
 * A marketplace run day by day through the real use cases with the injected clock: orders,
 * honest incidents at each product's defect rate, several kinds of abuse with ground truth,
 * sellers who accept, tender, dispute or stay silent, agents and experts who decide, and the
 * background worker's deadlines and payouts.
 */
export async function simulate(
  ctx: AppContext,
  clock: ManualClock,
  options: SimulationOptions,
): Promise<SimulationResult> {
  const started = performance.now();
  const random = new Random(options.seed);
  const mkt = options.marketplaceId ?? `sim-${options.seed}`;
  const system: Principal = { role: 'admin', partyId: null, keyId: 'simulation', requestId: null };
  const from = clock.now();
  let nextId = 0;
  const id = (prefix: string) => `${prefix}-${mkt}-${++nextId}`;

  const sellers: { id: string; insured: boolean; behaviour: number; phone: string; address: string }[] = [];
  const products: {
    id: string;
    sellerId: string;
    title: string;
    category: string;
    key: string;
    price: number;
    defectRate: number;
  }[] = [];
  // Real narratives, each told once: a queue per catalogue entry, in a seeded order.
  const storiesPath = incidentsPath() ?? FIXTURE;
  const stories = new Stories(loadIncidentStories(storiesPath), random, storiesPath);
  const honestCustomers: string[] = [];
  const ringMembers: string[][] = [];
  const repeaters: string[] = [];
  const saboteurs: { customerId: string; rivalCategory: string }[] = [];
  const plans: { day: number; kind: AbuseKind; customerId: string; targetSellerId?: string }[] = [];

  await ctx.db.transaction().execute(async (tx) => {
    await putMarketplace(tx, clock, system, mkt, {
      name: `Simulated marketplace ${options.seed}`,
      currency: 'USD',
      region: 'US',
      holidayCalendar: 'US',
      timeZone: 'America/New_York',
      policy: {},
    });
    for (const insurerId of ['ins-1', 'ins-2', 'ins-3']) {
      await putInsurer(tx, clock, insurerId, {
        name: `Simulated insurer ${insurerId}`,
        financialRating: 'A',
        contactEmail: null,
      });
    }
    for (let s = 0; s < options.sellers; s++) {
      const seller = {
        id: id('slr'),
        insured: random.chance(0.7),
        behaviour: random.next(),
        phone: `+1555${String(1_000_000 + s)}`,
        address: `${s + 1} Commerce Park, Unit ${random.int(1, 40)}`,
      };
      sellers.push(seller);
      await putSeller(tx, clock, seller.id, {
        marketplaceId: mkt,
        name: `Seller ${s}`,
        standing: random.chance(0.9) ? 'good' : 'not_compliant',
        kind: 'third_party',
        contact: { email: `${seller.id}@sellers.example`, phone: seller.phone, address: seller.address },
      });
      if (seller.insured) {
        await recordVerifiedPolicy(tx, ctx, seller.id, {
          insurerId: `ins-${random.int(1, 3)}`,
          policyNumber: `SIM-${seller.id}`,
          perOccurrence: { value: 100_000_000, currency: 'USD' },
          aggregate: { value: 200_000_000, currency: 'USD' },
          deductible: { value: 0, currency: 'USD' },
          additionalInsured: true,
          effectiveFrom: new Date(from.getTime() - 200 * DAY).toISOString(),
          expiresAt: new Date(from.getTime() + 800 * DAY).toISOString(),
        });
      }
      // A seller keeps to one or two categories, as real ones do (a competitor sells the same).
      const lines = [stories.pickEntry(), stories.pickEntry()];
      for (let p = 0; p < 5; p++) {
        const entry = random.pick(lines);
        const product = {
          id: id('prd'),
          sellerId: seller.id,
          title: `${entry.title} model ${p}`,
          category: entry.category,
          key: entry.key,
          price: random.int(entry.price[0], entry.price[1]),
          defectRate: random.chance(0.1) ? 0.06 : 0.004,
        };
        products.push(product);
        await putProduct(tx, clock, product.id, {
          sellerId: seller.id,
          title: product.title,
          category: product.category,
        });
      }
    }
    const customer = async (customerId: string, identity: Record<string, string>, accountAgeDays: number) =>
      putCustomer(tx, clock, customerId, {
        marketplaceId: mkt,
        name: `Customer ${customerId}`,
        email: `${customerId}@customers.example`,
        accountCreatedAt: new Date(from.getTime() - accountAgeDays * DAY).toISOString(),
        birthYear: random.int(1950, 2004),
        region: random.pick(['US-NY', 'US-CA', 'US-TX', 'US-FL']),
        identity,
      });
    for (let c = 0; c < options.customers; c++) {
      const customerId = id('cus');
      honestCustomers.push(customerId);
      // Honest people share too: a couple at one address, a family tablet. Screening must live with it.
      const address = c > 0 && random.chance(0.06) ? `${c - 1} Main St` : `${c} Main St`;
      const device: Record<string, string> = random.chance(0.03)
        ? { deviceId: `family-tablet-${Math.floor(c / 2)}` }
        : {};
      await customer(
        customerId,
        { phone: `+1666${String(1_000_000 + c)}`, address, ...device },
        random.int(60, 3000),
      );
    }
    for (let r = 0; r < Math.max(1, Math.round(options.customers / 400)); r++) {
      const members: string[] = [];
      for (let m = 0; m < random.int(3, 5); m++) {
        const customerId = id('cus-ring');
        members.push(customerId);
        await customer(
          customerId,
          { phone: `+1777000${r}`, deviceId: `ring-device-${r}` },
          random.int(5, 200),
        );
      }
      ringMembers.push(members);
    }
    for (let e = 0; e < 3; e++) {
      await tx
        .insertInto('experts')
        .values({
          id: id('exp'),
          marketplace_id: mkt,
          organisation: 'Independent Adjusters',
          name: `Expert ${e}`,
          created_at: from,
          updated_at: from,
        })
        .execute();
    }
    for (let r = 0; r < Math.max(1, Math.round(options.customers / 300)); r++) {
      const customerId = id('cus-rep');
      repeaters.push(customerId);
      await customer(customerId, { phone: `+1888000${r}` }, random.int(10, 400));
    }
    for (let r = 0; r < Math.max(1, Math.round(options.customers / 600)); r++) {
      const rival = random.pick(sellers);
      const rivalProduct = products.find((p) => p.sellerId === rival.id);
      if (!rivalProduct) continue;
      const customerId = id('cus-sab');
      saboteurs.push({ customerId, rivalCategory: rivalProduct.category });
      await customer(customerId, { phone: rival.phone }, random.int(30, 900));
    }

    // The subtle kinds, each planned to file about its share of the expected abuse.
    const expectedAbuse = options.days * options.ordersPerDay * 0.01 * options.abuseRate;
    const share = expectedAbuse / (BLATANT_KINDS.length + SUBTLE_KINDS.length);
    const planned = (perActor: number) => Math.max(1, Math.round(share / perActor));
    const onSomeDay = () => random.int(0, Math.max(0, options.days - 1));
    for (let r = 0; r < planned(3); r++) {
      // Three claims spread over the run (a year in the bench), each in another category.
      const customerId = id('cus-serial');
      await customer(customerId, { phone: `+1444${String(100_000 + r)}` }, random.int(200, 2000));
      const thirds = [0.05, 0.4, 0.75].map((f) => Math.floor(options.days * (f + random.next() * 0.2)));
      for (const day of thirds) plans.push({ day, kind: 'serial_spread', customerId });
    }
    for (const [kind, identity] of [
      ['device_ring', 'deviceId'],
      ['payment_ring', 'paymentFingerprint'],
    ] as const) {
      for (let r = 0; r < planned(3.5); r++) {
        // Strangers by every other fact: own phone, own address, own story, own photos.
        const size = random.int(3, 4);
        for (let m = 0; m < size; m++) {
          const customerId = id(`cus-${kind}`);
          await customer(
            customerId,
            {
              phone: `+1333${String(100_000 + r * 10 + m)}`,
              address: `${random.int(1, 900)} ${kind === 'device_ring' ? 'Oak' : 'Elm'} Ave, flat ${m}`,
              [identity]: `${kind}-${r}`,
            },
            random.int(40, 700),
          );
          plans.push({ day: onSomeDay(), kind, customerId });
        }
      }
    }
    for (let r = 0; r < planned(3); r++) {
      // Accounts registered at a competitor's warehouse address, claiming on one rival seller.
      const competitor = random.pick(sellers);
      const category = products.find((p) => p.sellerId === competitor.id)?.category;
      const target = sellers.find(
        (s) => s.id !== competitor.id && products.some((p) => p.sellerId === s.id && p.category === category),
      );
      if (!target) continue;
      for (let m = 0; m < 3; m++) {
        const customerId = id('cus-competitor');
        await customer(
          customerId,
          { phone: `+1222${String(100_000 + r * 10 + m)}`, address: competitor.address },
          random.int(20, 400),
        );
        plans.push({ day: onSomeDay(), kind: 'competitor_cluster', customerId, targetSellerId: target.id });
      }
    }
    for (let r = 0; r < planned(3); r++) {
      // One household, three accounts, each claiming just under the small-claim limit.
      const address = `${random.int(1, 99)} Willow Court`;
      for (let m = 0; m < 3; m++) {
        const customerId = id('cus-household');
        await customer(
          customerId,
          { phone: `+1111${String(100_000 + r * 10 + m)}`, address },
          random.int(90, 1500),
        );
        plans.push({ day: onSomeDay(), kind: 'household_under_limit', customerId });
      }
    }
  });

  const buy = async (
    customerId: string,
    product: (typeof products)[number],
    deliveredAgoDays: number,
  ): Promise<Line> => {
    const orderId = id('ord');
    orders++;
    const deliveredAt = new Date(clock.now().getTime() - deliveredAgoDays * DAY);
    await ctx.db.transaction().execute((tx) =>
      putOrder(tx, clock, orderId, {
        marketplaceId: mkt,
        customerId,
        lines: [
          {
            lineId: '1',
            productId: product.id,
            sellerId: product.sellerId,
            quantity: 1,
            unitPrice: { value: product.price, currency: 'USD' },
            deliveredAt: deliveredAt.toISOString(),
          },
        ],
      }),
    );
    return { orderId, customerId, productId: product.id, price: product.price, deliveredAt };
  };

  const truth = new Map<string, { kind: ClaimKind; fraudulent: boolean }>();
  const honestFiled: { story: string; key: string }[] = [];
  const latencies: number[] = [];
  const ringPhotos = new Map<number, Buffer>();
  const honestStories: string[] = [];
  const serialCategories = new Map<string, Set<string>>();
  const pendingHonest: { line: Line; fileOnDay: number }[] = [];
  let orders = 0;

  const file = async (
    line: Line,
    kind: ClaimKind,
    claim: {
      description: string;
      amount: number;
      type?: 'property_damage' | 'personal_injury';
      photo?: Buffer | null;
    },
  ) => {
    const customer: Principal = { role: 'customer', partyId: line.customerId, keyId: null, requestId: null };
    const incidentAt = new Date(
      Math.min(clock.now().getTime() - 3_600_000, line.deliveredAt.getTime() + random.int(1, 48) * 3_600_000),
    );
    const t0 = performance.now();
    const filed = await ctx.db.transaction().execute((tx) =>
      fileClaim(tx, ctx, customer, {
        orderId: line.orderId,
        lineId: '1',
        type: claim.type ?? 'property_damage',
        incidentAt: incidentAt.toISOString(),
        description: claim.description,
        amount: { value: claim.amount, currency: 'USD' },
        damages: [
          {
            kind:
              (claim.type ?? 'property_damage') === 'personal_injury' ? 'medical_bills' : 'property_damage',
            description: 'Itemised in the attached receipt',
            amount: { value: claim.amount, currency: 'USD' },
          },
        ],
      }),
    );
    latencies.push(performance.now() - t0);
    truth.set(filed.id, { kind, fraudulent: kind !== 'honest' });
    if (claim.photo && filed.status !== 'denied') {
      await ctx.db.transaction().execute((tx) =>
        addEvidence(tx, ctx, customer, filed.id, {
          bytes: claim.photo as Buffer,
          filename: 'photo.png',
          purpose: 'photo',
        }),
      );
    }
  };

  for (let day = 0; day < options.days; day++) {
    for (let o = 0; o < options.ordersPerDay; o++) {
      const product = random.pick(products);
      const line = await buy(random.pick(honestCustomers), product, random.int(1, 3));
      if (random.chance(product.defectRate * (options.defectRateScale ?? 1)))
        pendingHonest.push({ line, fileOnDay: day + random.int(1, 20) });
    }
    for (const due of pendingHonest.filter((p) => p.fileOnDay === day)) {
      const product = products.find((p) => p.id === due.line.productId);
      if (!product) continue;
      const story = stories.take(product.key);
      honestStories.push(story.narrative);
      honestFiled.push({ story: story.narrative, key: product.key });
      await file(due.line, 'honest', {
        description: story.narrative,
        amount: medicalBill(random, story.serious),
        type: 'personal_injury',
        photo: random.chance(0.5) ? await photoBytes(random) : null,
      });
    }
    const expectedAbuse = options.ordersPerDay * 0.01 * options.abuseRate;
    const abusiveToday = Math.floor(expectedAbuse) + (random.chance(expectedAbuse % 1) ? 1 : 0);
    for (let a = 0; a < abusiveToday; a++) {
      // The blatant kinds come at random; the subtle ones follow their actors' plans (set up above)
      // plus paraphrase, which, like copy-paste, needs a story told before.
      const kind = random.pick([...BLATANT_KINDS, 'paraphrase'] as const);
      const product = random.pick(products);
      if (kind === 'paraphrase') {
        // Another claimant's story retold on a product like theirs, bought for the purpose.
        const source = honestFiled.length ? random.pick(honestFiled) : null;
        if (!source) continue;
        const like = products.filter((p) => p.key === source.key);
        const line = await buy(
          random.pick(honestCustomers),
          like.length ? random.pick(like) : product,
          random.int(2, 10),
        );
        await file(line, kind, {
          description: paraphrasedNarrative(source.story, random),
          amount: medicalBill(random, false),
          type: 'personal_injury',
        });
      } else if (kind === 'repeat') {
        const line = await buy(random.pick(repeaters), product, 1);
        await file(line, kind, {
          description: honestNarrative(random, product),
          amount: Math.round(product.price * 3),
        });
      } else if (kind === 'ring') {
        const ring = random.int(0, ringMembers.length - 1);
        const members = ringMembers[ring] ?? [];
        if (!ringPhotos.has(ring)) ringPhotos.set(ring, await photoBytes(random));
        const line = await buy(random.pick(members), product, random.int(1, 5));
        const template = `The ${product.title.toLowerCase()} exploded and destroyed my laptop, phone and the sofa cushions nearby.`;
        await file(line, kind, {
          description: copiedNarrative(template, random),
          amount: random.int(80_000, 99_000),
          photo: await sharp(ringPhotos.get(ring))
            .jpeg({ quality: random.int(60, 90) })
            .toBuffer(),
        });
      } else if (kind === 'inflated') {
        const line = await buy(random.pick(honestCustomers), product, random.int(2, 10));
        await file(line, kind, {
          description: honestNarrative(random, product),
          amount: product.price * random.int(40, 80),
        });
      } else if (kind === 'copy_paste') {
        if (honestStories.length === 0) continue;
        const line = await buy(random.pick(honestCustomers), product, random.int(2, 10));
        await file(line, kind, {
          description: copiedNarrative(random.pick(honestStories), random),
          amount: Math.round(product.price * 4),
        });
      } else {
        const saboteur = random.pick(saboteurs);
        const target =
          products.find((p) => p.category === saboteur.rivalCategory && random.chance(0.5)) ?? product;
        const line = await buy(saboteur.customerId, target, random.int(2, 10));
        await file(line, kind, {
          description: honestNarrative(random, target),
          amount: Math.round(target.price * 10),
        });
      }
    }
    for (const plan of plans.filter((p) => p.day === day)) {
      const candidates = plan.targetSellerId
        ? products.filter((p) => p.sellerId === plan.targetSellerId)
        : plan.kind === 'serial_spread'
          ? products.filter((p) => !serialCategories.get(plan.customerId)?.has(p.category))
          : products;
      const product = random.pick(candidates.length ? candidates : products);
      if (plan.kind === 'serial_spread') {
        const seen = serialCategories.get(plan.customerId) ?? new Set<string>();
        seen.add(product.category);
        serialCategories.set(plan.customerId, seen);
      }
      const line = await buy(plan.customerId, product, random.int(2, 12));
      const story = stories.take(product.key);
      await file(line, plan.kind, {
        description: story.narrative,
        amount:
          plan.kind === 'household_under_limit'
            ? random.int(90_000, 99_900) // the policy's limit is USD 1,000.00
            : medicalBill(random, false),
        type: 'personal_injury',
        photo: random.chance(0.4) ? await photoBytes(random) : null,
      });
    }
    await actLikePeople(ctx, random, mkt, sellers, truth);
    clock.advance(86_400);
    await runAllDue(ctx);
    await options.onProgress?.(day + 1, options.days);
  }
  await actLikePeople(ctx, random, mkt, sellers, truth);
  await runAllDue(ctx);

  const abusiveClaims = [...truth.values()].filter((t) => t.fraudulent).length;
  return {
    activity: {
      marketplaceId: mkt,
      orders,
      honestIncidents: pendingHonest.length,
      honestNotYetFiled: pendingHonest.filter((p) => p.fileOnDay >= options.days).length,
      abusiveClaims,
    },
    screening: {
      ...(await measureScreening(ctx, truth, latencies)),
      honestNarratives: { source: stories.source, stories: stories.told, reused: stories.reused },
    },
    report: await summaryReport(ctx.db, { from, to: clock.now(), marketplaceId: mkt }),
    seconds: Math.round((performance.now() - started) / 100) / 10,
  };
}

/** Sellers answer, payers confirm, agents review, experts return findings: imperfectly. */
async function actLikePeople(
  ctx: AppContext,
  random: Random,
  marketplaceId: string,
  sellers: { id: string; insured: boolean; behaviour: number }[],
  truth: Map<string, { kind: ClaimKind; fraudulent: boolean }>,
) {
  const waiting = await ctx.db
    .selectFrom('claims')
    .select(['id', 'seller_id', 'status', 'payer', 'review_kind'])
    .where('status', 'in', ['awaiting_seller', 'awaiting_insurer', 'under_review', 'approved'])
    // Only this run's claims: other marketplaces in the same database are not the simulation's to act on.
    .where('marketplace_id', '=', marketplaceId)
    .execute();
  for (const claim of waiting) {
    const seller = sellers.find((s) => s.id === claim.seller_id);
    const fraudulent = truth.get(claim.id)?.fraudulent ?? false;
    await ctx.db
      .transaction()
      .execute(async (tx) => {
        if (claim.status === 'awaiting_seller' && seller) {
          if (seller.behaviour < 0.15 || random.chance(0.3)) return; // silent today
          const action =
            fraudulent && random.chance(0.7)
              ? 'dispute'
              : seller.insured && random.chance(0.4)
                ? 'tender'
                : random.chance(0.8)
                  ? 'accept'
                  : 'dispute';
          const principal: Principal = { role: 'seller', partyId: seller.id, keyId: null, requestId: null };
          await respondToClaim(
            tx,
            ctx,
            principal,
            claim.id,
            action === 'dispute'
              ? {
                  action,
                  defense: 'Our tests show the product was not defective as described.',
                  evidenceIds: [],
                }
              : { action },
          );
        } else if (claim.status === 'awaiting_insurer') {
          // Insurers mostly pay, decline what looks fraudulent, and sometimes let the deadline pass.
          const tender = await tx
            .selectFrom('tenders')
            .selectAll()
            .where('claim_id', '=', claim.id)
            .where('status', 'in', ['open', 'info_requested'])
            .executeTakeFirst();
          if (!tender || random.chance(0.3)) return;
          const insurer: Principal = {
            role: 'insurer',
            partyId: tender.insurer_id,
            keyId: null,
            requestId: null,
          };
          await answerTender(
            tx,
            ctx,
            insurer,
            tender.id,
            fraudulent && random.chance(0.6)
              ? { action: 'decline', reason: 'The loss is not covered: no defect was shown.' }
              : { action: 'accept', paymentReference: `SIM-INS-${claim.id}` },
          );
        } else if (claim.status === 'under_review') {
          const correct = random.chance(0.9);
          const deny = correct ? fraudulent : !fraudulent;
          await decideClaim(
            tx,
            ctx,
            agent,
            claim.id,
            deny
              ? { outcome: 'deny', reason: 'unsubstantiated' }
              : { outcome: 'approve', reason: 'Evidence supports the claim' },
          );
        } else if (claim.status === 'approved' && claim.payer !== 'marketplace' && random.chance(0.6)) {
          const role = claim.payer === 'insurer' ? 'insurer' : 'seller';
          const partyId =
            role === 'seller'
              ? claim.seller_id
              : ((
                  await tx
                    .selectFrom('claims')
                    .select('insurer_id')
                    .where('id', '=', claim.id)
                    .executeTakeFirst()
                )?.insurer_id ?? null);
          await confirmPayment(tx, ctx, { role, partyId, keyId: null, requestId: null }, claim.id, {
            reference: `SIM-${claim.id}`,
          });
        }
      })
      .catch(skipIfMovedOn); // a claim that moved on since it was read is simply skipped today
  }
  const referrals = await ctx.db
    .selectFrom('referrals')
    .innerJoin('claims', 'claims.id', 'referrals.claim_id')
    .select(['referrals.id', 'referrals.claim_id', 'referrals.expert_id'])
    .where('referrals.status', '=', 'open')
    .where('claims.marketplace_id', '=', marketplaceId)
    .execute();
  for (const referral of referrals) {
    const fraudulent = truth.get(referral.claim_id)?.fraudulent ?? false;
    const correct = random.chance(0.95);
    const expert: Principal = { role: 'expert', partyId: referral.expert_id, keyId: null, requestId: null };
    await ctx.db
      .transaction()
      .execute((tx) =>
        submitFindings(tx, ctx, expert, referral.id, {
          verdict: (correct ? fraudulent : !fraudulent) ? 'abusive' : 'valid',
          notes: 'Simulated expert review of the file and evidence.',
          confidence: 0.8,
        }),
      )
      .catch(skipIfMovedOn);
  }
}

/** A refusal (409, 422) means the claim changed since it was read; anything else is a bug. */
function skipIfMovedOn(error: unknown): void {
  if (!(error instanceof AppError)) throw error;
}

async function measureScreening(
  ctx: AppContext,
  truth: Map<string, { kind: ClaimKind; fraudulent: boolean }>,
  latencies: number[],
): Promise<Omit<ScreeningQuality, 'honestNarratives'>> {
  const ids = [...truth.keys()];
  const rows = ids.length
    ? await ctx.db
        .selectFrom('claims')
        .select(['id', 'risk', 'denial_reason'])
        .where('id', 'in', ids)
        .execute()
    : [];
  const touched = new Set(
    ids.length
      ? (
          await ctx.db
            .selectFrom('claim_events')
            .select('claim_id')
            .distinct()
            .where('claim_id', 'in', ids)
            .where('actor_role', 'in', ['agent', 'expert'])
            .execute()
        ).map((r) => r.claim_id)
      : [],
  );
  let flaggedFraud = 0;
  let flaggedHonest = 0;
  let fraud = 0;
  const byKind: Record<string, { claims: number; flagged: number }> = {};
  const bySignal: ScreeningQuality['bySignal'] = {};
  const falsePositives: ScreeningQuality['falsePositives'] = [];
  const missed: ScreeningQuality['missed'] = [];
  let screened = 0;
  for (const row of rows) {
    const t = truth.get(row.id);
    const risk = row.risk as {
      outcome: string;
      hardRule: string | null;
      score?: number;
      signals?: { code: string; weight: number }[];
    } | null;
    if (!t || !risk) continue; // ineligible claims never reach the risk step
    screened++;
    const flagged = risk.outcome === 'review' || risk.outcome === 'expert' || Boolean(risk.hardRule);
    const codes = (risk.signals ?? []).map((s) => `${s.code} ${s.weight}`);
    if (flagged && !t.fraudulent)
      falsePositives.push({ claimId: row.id, score: risk.score ?? 0, signals: codes });
    if (!flagged && t.fraudulent)
      missed.push({ claimId: row.id, kind: t.kind, score: risk.score ?? 0, signals: codes });
    for (const code of new Set((risk.signals ?? []).map((s) => s.code))) {
      const tally = bySignal[code] ?? { honest: 0, honestFlagged: 0, abusive: 0 };
      bySignal[code] = tally;
      if (t.fraudulent) tally.abusive++;
      else {
        tally.honest++;
        if (flagged) tally.honestFlagged++;
      }
    }
    const k = byKind[t.kind] ?? { claims: 0, flagged: 0 };
    byKind[t.kind] = k;
    k.claims++;
    if (flagged) k.flagged++;
    if (t.fraudulent) fraud++;
    if (flagged && t.fraudulent) flaggedFraud++;
    if (flagged && !t.fraudulent) flaggedHonest++;
  }
  const honest = screened - fraud;
  const abusiveIds = ids.filter((id) => truth.get(id)?.fraudulent);
  const paid = abusiveIds.length
    ? await ctx.db
        .selectFrom('payouts')
        .select(['claim_id', 'amount'])
        .where('claim_id', 'in', abusiveIds)
        .where('status', '=', 'settled')
        .execute()
    : [];
  const owedBack = abusiveIds.length
    ? await ctx.db
        .selectFrom('recoveries')
        .select('amount')
        .where('claim_id', 'in', abusiveIds)
        .where('debtor', '=', 'customer')
        .execute()
    : [];
  const flagged = flaggedFraud + flaggedHonest;
  const ratio = (a: number, b: number) => (b ? Math.round((a / b) * 1000) / 1000 : null);
  return {
    claims: screened,
    fraudulent: fraud,
    flagged,
    precision: ratio(flaggedFraud, flagged),
    recall: ratio(flaggedFraud, fraud),
    falsePositiveRate: ratio(flaggedHonest, honest),
    noTouchShare: ratio(rows.filter((r) => !touched.has(r.id)).length, rows.length) ?? 0,
    filingLatencyMs: { p50: percentile(latencies, 0.5), p99: percentile(latencies, 0.99) },
    byKind,
    bySignal,
    falsePositives,
    missed,
    abusivePaid: {
      amount: paid.reduce((sum, p) => sum + p.amount, 0),
      claims: new Set(paid.map((p) => p.claim_id)).size,
      recoveryFromClaimant: owedBack.reduce((sum, r) => sum + r.amount, 0),
    },
  };
}
