/**
 * The reference data a marketplace's systems push and people read: marketplaces, sellers,
 * products, customers and orders (PUT is an idempotent upsert, GET reads as the caller may).
 * Over 400 lines because each route carries its schema, description and examples for the API
 * reference; the rules and SQL are in the use cases (put-*.ts) and store.ts. Splitting it per
 * resource, as the ledger routes were, is the next tidy-up.
 */
import { z } from 'zod';
import { actsForMarketplace } from '../../claims/access.ts';
import type { Principal } from '../../platform/auth/roles.ts';
import type { AppContext } from '../../platform/context.ts';
import { AppError, forbidden, notFound } from '../../platform/errors.ts';
import type { App } from '../../platform/http/app-types.ts';
import { ZPageQuery } from '../../platform/http/paging.ts';
import { LANGUAGES } from '../../platform/locale.ts';
import { ZMoney } from '../../platform/money.ts';
import { ZPolicy } from '../policy.ts';
import { putCustomer } from '../put-customer.ts';
import { putMarketplace } from '../put-marketplace.ts';
import { putOrder } from '../put-order.ts';
import { putProduct } from '../put-product.ts';
import { putSeller } from '../put-seller.ts';
import {
  ZCustomerInput,
  ZExternalId,
  ZMarketplaceInput,
  ZOrderInput,
  ZProductInput,
  ZSellerInput,
} from '../schemas.ts';
import { searchCustomers } from '../search-customers.ts';
import {
  currentPolicyVersion,
  customerOrders,
  findCustomer,
  findMarketplace,
  findOrder,
  findOrderLines,
  findProduct,
  findSeller,
  sellerMarketplaceIds,
} from '../store.ts';
import { toCustomerView, toMarketplaceView, toOrderView, toProductView, toSellerView } from '../views.ts';

/** The demo marketplace's records (`serve --demo`), so "Try it out" in /docs finds them. */
export const MARKETPLACE_EXAMPLE = {
  id: 'demo-us',
  name: 'Demo Marketplace (US)',
  currency: 'USD',
  region: 'US',
  holidayCalendar: 'US',
  timeZone: 'America/New_York',
  locale: 'en-US',
  policyVersion: {
    id: 'pol_01m8mddxtvmb5g53xjgwd69brz',
    version: 1,
    effectiveAt: '2026-11-29T19:45:06.358Z',
  },
  policy: {
    smallClaimLimit: 100000,
    maxClaimAmount: 100000000,
    sellerResponseBusinessDays: 2,
    claimantInformationDays: 14,
    filingWindowDays: 90,
    appealWindowDays: 30,
    contestDays: 30,
    erasureHoldDays: 30,
    paymentConfirmationBusinessDays: 5,
    reviewBusinessDays: 3,
    sellerSeesCustomerName: false,
    evidenceWindowMinutes: 30,
    insurance: {
      monthlySalesThreshold: 1000000,
      graceDays: 30,
      minPerOccurrence: 100000000,
      minAggregate: 100000000,
      maxDeductible: 1000000,
      minInsurerRating: 'A-',
      requireAdditionalInsured: true,
      proofOfInsuranceDays: 7,
      expiryReminderDays: [30, 7],
      insurerResponseBusinessDays: 5,
      quoteResponseBusinessDays: 2,
    },
    safety: {
      clusterClaims: 3,
      clusterWindowDays: 30,
      rateMultiple: 3,
      rateMinClaims: 3,
      rateWindowDays: 365,
      groupClusterWindows: [
        {
          windowDays: 30,
          claims: 5,
        },
        {
          windowDays: 90,
          claims: 8,
        },
        {
          windowDays: 365,
          claims: 10,
        },
      ],
      severeIncident: 'hospitalisation',
      reportableRules: ['injury_cluster', 'severe_incident'],
      regulator: 'CPSC',
      reportHours: 24,
      extraTerms: {},
    },
    fraud: {
      reviewThreshold: 0.4,
      expertThreshold: 0.7,
      bias: -3,
      honestClaimsPerOrder: 0.03,
      weights: {},
      expertResponseBusinessDays: 5,
    },
  },
};

const SELLER_EXAMPLE = {
  id: 'slr-acme',
  marketplaceId: 'demo-us',
  marketplaceIds: ['demo-us'],
  name: 'Acme Home',
  standing: 'good',
  kind: 'third_party',
  contact: {
    email: 'claims@slr-acme.example',
  },
  insurance: {
    status: 'compliant',
    requiredSince: null,
    graceUntil: null,
  },
};

const PRODUCT_EXAMPLE = {
  id: 'prd-kettle',
  sellerId: 'slr-acme',
  title: 'Electric kettle 1.7 l',
  category: 'kitchen_appliances',
  brand: null,
  upc: null,
  modelNumber: null,
};

const CUSTOMER_EXAMPLE = {
  id: 'cus-dana',
  marketplaceId: 'demo-us',
  name: 'Dana Reyes',
  email: 'dana@example.com',
  language: 'en',
};

export const ORDER_EXAMPLE = {
  id: 'ord-1001',
  marketplaceId: 'demo-us',
  customerId: 'cus-dana',
  lines: [
    {
      lineId: '1',
      productId: 'prd-kettle',
      productTitle: 'Electric kettle 1.7 l',
      sellerId: 'slr-acme',
      sellerName: 'Acme Home',
      quantity: 1,
      unitPrice: {
        value: 4999,
        currency: 'USD',
      },
      deliveredAt: '2026-11-09T19:45:06.292Z',
    },
  ],
};

const idParams = (what: string, example: string) =>
  z.object({ id: ZExternalId.describe(`The ${what}'s id, chosen by the marketplace`).meta({ example }) });
const ZMarketplaceParams = idParams('marketplace', MARKETPLACE_EXAMPLE.id);
const ZSellerParams = idParams('seller', SELLER_EXAMPLE.id);
const ZProductParams = idParams('product', PRODUCT_EXAMPLE.id);
const ZCustomerParams = idParams('customer', CUSTOMER_EXAMPLE.id);
const ZOrderParams = idParams('order', ORDER_EXAMPLE.id);

export const ZMarketplace = z
  .object({
    id: z.string(),
    name: z.string(),
    currency: z.string(),
    region: z.string(),
    holidayCalendar: z.string(),
    timeZone: z.string(),
    locale: z.string().describe('How the marketplace writes to people: BCP 47, e.g. en-GB'),
    policyVersion: z.object({ id: z.string(), version: z.number().int(), effectiveAt: z.string() }),
    policy: ZPolicy,
  })
  .meta({ example: MARKETPLACE_EXAMPLE });

export const ZSeller = z
  .object({
    id: z.string(),
    marketplaceId: z.string().describe('The home marketplace'),
    marketplaceIds: z
      .array(z.string())
      .describe('Every marketplace the seller sells in under this one identity, the home one first'),
    name: z.string(),
    standing: z.enum(['good', 'not_compliant']),
    kind: z.enum(['third_party', 'first_party']),
    contact: z.object({ email: z.string(), phone: z.string().optional(), address: z.string().optional() }),
    insurance: z
      .object({
        status: z.enum(['not_required', 'grace', 'compliant', 'not_compliant']),
        requiredSince: z.string().nullable(),
        graceUntil: z.string().nullable(),
      })
      .describe('Set by Redress from its policies on file (GET /v1/sellers/{id}/insurance for the detail)'),
  })
  .meta({ example: SELLER_EXAMPLE });

export const ZProduct = z
  .object({
    id: z.string(),
    sellerId: z.string(),
    title: z.string(),
    category: z.string(),
    brand: z.string().nullable(),
    upc: z.string().nullable(),
    modelNumber: z.string().nullable(),
  })
  .meta({ example: PRODUCT_EXAMPLE });

export const ZCustomer = z
  .object({
    id: z.string(),
    marketplaceId: z.string(),
    name: z.string(),
    email: z.string(),
    language: z.enum(LANGUAGES).describe("The language of the customer's e-mails"),
  })
  .meta({ example: CUSTOMER_EXAMPLE });

export const ZOrder = z
  .object({
    id: z.string(),
    marketplaceId: z.string(),
    customerId: z.string(),
    lines: z.array(
      z.object({
        lineId: z.string(),
        productId: z.string(),
        productTitle: z.string().nullable().describe("The product's title, as the customer bought it"),
        sellerId: z.string(),
        sellerName: z.string().nullable().describe("The seller's name"),
        quantity: z.number().int(),
        unitPrice: ZMoney,
        deliveredAt: z
          .string()
          .nullable()
          .describe('null: not delivered yet, so no claim can be filed on the line'),
      }),
    ),
  })
  .meta({ example: ORDER_EXAMPLE });

/**
 * A party may read its own record; staff read all; a third-party administrator reads those of
 * its marketplaces (access.ts). Others learn nothing, not even existence.
 */
function ownOrStaff(
  principal: Principal,
  owner: { partyId: string; marketplaceId: string | null },
  what: string,
  id: string,
): void {
  if (principal.role === 'admin' || principal.role === 'agent') return;
  if (principal.role === 'tpa') {
    if (owner.marketplaceId && actsForMarketplace(principal, owner.marketplaceId)) return;
    throw notFound(what, id);
  }
  if (principal.partyId !== owner.partyId) throw notFound(what, id);
}

export function registerReferenceDataRoutes(app: App, ctx: AppContext): void {
  const tags = ['marketplace data'];

  app.route({
    method: 'PUT',
    url: '/v1/marketplaces/:id',
    config: { roles: ['admin'] },
    schema: {
      summary: 'Create or replace a marketplace and its policy (a changed policy becomes a new version)',
      description:
        'Idempotent: the same body twice changes nothing. Policy fields not given take the defaults (docs/policy.md). A policy that differs from the one in force becomes a new version, effective now; claims filed before keep the version they were filed under.',
      tags,
      params: ZMarketplaceParams,
      body: ZMarketplaceInput,
      response: { 200: ZMarketplace },
    },
    handler: async (request) =>
      ctx.db
        .transaction()
        .execute((tx) => putMarketplace(tx, ctx.clock, request.principal, request.params.id, request.body)),
  });

  app.route({
    method: 'GET',
    url: '/v1/marketplaces/:id',
    config: { roles: ['admin', 'agent'] },
    schema: {
      summary: 'A marketplace with its policy in force',
      description:
        'The policy version in force now, whole, with every default filled in; earlier versions stay on record.',
      tags,
      params: ZMarketplaceParams,
      response: { 200: ZMarketplace },
    },
    handler: async (request) => {
      const marketplace = await findMarketplace(ctx.db, request.params.id);
      const version = marketplace && (await currentPolicyVersion(ctx.db, marketplace.id));
      if (!marketplace || !version) throw notFound('marketplace', request.params.id);
      return toMarketplaceView(marketplace, version);
    },
  });

  app.route({
    method: 'PUT',
    url: '/v1/sellers/:id',
    config: { roles: ['admin'] },
    schema: {
      summary: 'Create or replace a seller',
      description:
        'Marketplaces push their sellers before claims arrive (or in bulk with POST /v1/imports). The seller’s insurance standing is Redress’s own, from the policies on file, and is not set here.',
      tags,
      params: ZSellerParams,
      body: ZSellerInput,
      response: { 200: ZSeller },
    },
    handler: async (request) =>
      ctx.db.transaction().execute((tx) => putSeller(tx, ctx.clock, request.params.id, request.body)),
  });

  app.route({
    method: 'GET',
    url: '/v1/sellers/:id',
    config: { roles: ['admin', 'agent', 'seller'] },
    schema: {
      summary: 'A seller',
      description: 'A seller with its insurance standing; a seller reads only its own record.',
      tags,
      params: ZSellerParams,
      response: { 200: ZSeller },
    },
    handler: async (request) => {
      ownOrStaff(
        request.principal,
        { partyId: request.params.id, marketplaceId: null },
        'seller',
        request.params.id,
      );
      const seller = await findSeller(ctx.db, request.params.id);
      if (!seller) throw notFound('seller', request.params.id);
      return toSellerView(seller, await sellerMarketplaceIds(ctx.db, seller.id));
    },
  });

  app.route({
    method: 'PUT',
    url: '/v1/products/:id',
    config: { roles: ['admin'] },
    schema: {
      summary: 'Create or replace a product',
      description:
        'A product belongs to one seller; its category, brand and model number group claims for safety clusters.',
      tags,
      params: ZProductParams,
      body: ZProductInput,
      response: { 200: ZProduct },
    },
    handler: async (request) =>
      ctx.db.transaction().execute((tx) => putProduct(tx, ctx.clock, request.params.id, request.body)),
  });

  app.route({
    method: 'GET',
    url: '/v1/products/:id',
    config: { roles: ['admin', 'agent', 'seller'] },
    schema: {
      summary: 'A product',
      description: 'A product with the seller that sells it.',
      tags,
      params: ZProductParams,
      response: { 200: ZProduct },
    },
    handler: async (request) => {
      const product = await findProduct(ctx.db, request.params.id);
      if (!product) throw notFound('product', request.params.id);
      ownOrStaff(
        request.principal,
        { partyId: product.seller_id, marketplaceId: null },
        'product',
        request.params.id,
      );
      return toProductView(product);
    },
  });

  app.route({
    method: 'PUT',
    url: '/v1/customers/:id',
    config: { roles: ['admin'] },
    schema: {
      summary: 'Create or replace a customer',
      description:
        'The customer’s name and e-mail are stored encrypted and can be exported or erased on request (docs/security.md).',
      tags,
      params: ZCustomerParams,
      body: ZCustomerInput,
      response: { 200: ZCustomer },
    },
    handler: async (request) =>
      ctx.db.transaction().execute((tx) => putCustomer(tx, ctx.clock, request.params.id, request.body)),
  });

  app.route({
    method: 'GET',
    url: '/v1/customers',
    config: { roles: ['admin', 'agent', 'tpa'] },
    schema: {
      summary: "Find a customer by id, e-mail or full name (staff, filing on a customer's behalf)",
      description:
        'Names and e-mails are stored sealed and matched whole through their blind index: send the full ' +
        'e-mail or the full name as the customer gave it (case does not matter), or the customer id. ' +
        'A third-party administrator finds only customers of its marketplaces. At most 20, by id.',
      tags,
      querystring: z.object({
        q: z
          .string()
          .trim()
          .min(2, 'must be at least 2 characters')
          .max(200)
          .describe('An id, e-mail or full name'),
      }),
      response: {
        200: z.object({ data: z.array(ZCustomer) }).meta({ example: { data: [CUSTOMER_EXAMPLE] } }),
      },
    },
    handler: async (request) => {
      const { principal } = request;
      const scope = principal.role === 'tpa' ? { marketplaceIds: principal.marketplaceIds ?? [] } : {};
      return { data: (await searchCustomers(ctx.db, request.query.q, scope)).map(toCustomerView) };
    },
  });

  app.route({
    method: 'GET',
    url: '/v1/customers/:id',
    config: { roles: ['admin', 'agent', 'tpa', 'customer'] },
    schema: {
      summary: 'A customer',
      description:
        'A customer; a customer reads only its own record, a third-party administrator those of its marketplaces.',
      tags,
      params: ZCustomerParams,
      response: { 200: ZCustomer },
    },
    handler: async (request) => {
      const customer = await findCustomer(ctx.db, request.params.id);
      if (!customer) throw notFound('customer', request.params.id);
      ownOrStaff(
        request.principal,
        { partyId: customer.id, marketplaceId: customer.marketplace_id },
        'customer',
        request.params.id,
      );
      return toCustomerView(customer);
    },
  });

  app.route({
    method: 'PUT',
    url: '/v1/orders/:id',
    config: { roles: ['admin'] },
    schema: {
      summary: 'Create or update an order and its lines',
      description:
        'A claim is filed against one delivered order line. Re-sending an order updates its lines (for instance when a line is delivered).',
      tags,
      params: ZOrderParams,
      body: ZOrderInput,
      response: { 200: ZOrder },
    },
    handler: async (request) =>
      ctx.db.transaction().execute((tx) => putOrder(tx, ctx.clock, request.params.id, request.body)),
  });

  app.route({
    method: 'GET',
    url: '/v1/orders',
    config: { roles: ['admin', 'agent', 'tpa', 'customer'] },
    schema: {
      summary: "A customer's orders with their lines, newest first (a customer sees its own)",
      description:
        'Where a claimant (or an agent filing for one) picks the order line a claim is about. Staff name the ' +
        'customer; a third-party administrator only a customer of its marketplaces (another is 404).',
      tags,
      querystring: ZPageQuery.extend({ customerId: ZExternalId.optional() }),
      response: {
        200: z
          .object({ data: z.array(ZOrder), nextCursor: z.string().nullable() })
          .meta({ example: { data: [ORDER_EXAMPLE], nextCursor: null } }),
      },
    },
    handler: async (request) => {
      const { principal } = request;
      const customerId = principal.role === 'customer' ? principal.partyId : request.query.customerId;
      if (
        principal.role === 'customer' &&
        request.query.customerId &&
        request.query.customerId !== principal.partyId
      ) {
        throw forbidden('a customer lists only its own orders');
      }
      if (!customerId) {
        throw new AppError('validation_failed', 'name the customer whose orders to list', {
          errors: [{ field: 'querystring.customerId', rule: 'required for staff' }],
        });
      }
      if (principal.role === 'tpa') {
        const customer = await findCustomer(ctx.db, customerId);
        if (!customer) throw notFound('customer', customerId);
        ownOrStaff(
          principal,
          { partyId: customerId, marketplaceId: customer.marketplace_id },
          'customer',
          customerId,
        );
      }
      const { page, nextCursor } = await customerOrders(ctx.db, customerId, request.query);
      const data = [];
      for (const order of page) data.push(toOrderView(order, await findOrderLines(ctx.db, order.id)));
      return { data, nextCursor };
    },
  });

  app.route({
    method: 'GET',
    url: '/v1/orders/:id',
    config: { roles: ['admin', 'agent', 'tpa', 'customer'] },
    schema: {
      summary: 'An order with its lines',
      description:
        'An order with each line’s product, seller, price and delivery time; a customer reads only its own orders.',
      tags,
      params: ZOrderParams,
      response: { 200: ZOrder },
    },
    handler: async (request) => {
      const order = await findOrder(ctx.db, request.params.id);
      if (!order) throw notFound('order', request.params.id);
      ownOrStaff(
        request.principal,
        { partyId: order.customer_id, marketplaceId: order.marketplace_id },
        'order',
        request.params.id,
      );
      return toOrderView(order, await findOrderLines(ctx.db, order.id));
    },
  });
}
