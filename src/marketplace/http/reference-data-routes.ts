import { z } from 'zod';
import type { Principal } from '../../platform/auth/roles.ts';
import type { AppContext } from '../../platform/context.ts';
import { AppError, forbidden, notFound } from '../../platform/errors.ts';
import type { App } from '../../platform/http/app-types.ts';
import { fetchPage, ZPageQuery } from '../../platform/http/paging.ts';
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
import {
  currentPolicyVersion,
  findCustomer,
  findMarketplace,
  findOrder,
  findOrderLines,
  findProduct,
  findSeller,
} from '../store.ts';
import { toCustomerView, toMarketplaceView, toOrderView, toProductView, toSellerView } from '../views.ts';

const ZParams = z.object({ id: ZExternalId });

export const ZMarketplace = z.object({
  id: z.string(),
  name: z.string(),
  currency: z.string(),
  region: z.string(),
  holidayCalendar: z.string(),
  timeZone: z.string(),
  policyVersion: z.object({ id: z.string(), version: z.number().int(), effectiveAt: z.string() }),
  policy: ZPolicy,
});

export const ZSeller = z.object({
  id: z.string(),
  marketplaceId: z.string(),
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
});

export const ZProduct = z.object({
  id: z.string(),
  sellerId: z.string(),
  title: z.string(),
  category: z.string(),
  brand: z.string().nullable(),
  upc: z.string().nullable(),
  modelNumber: z.string().nullable(),
});

export const ZCustomer = z.object({
  id: z.string(),
  marketplaceId: z.string(),
  name: z.string(),
  email: z.string(),
});

export const ZOrder = z.object({
  id: z.string(),
  marketplaceId: z.string(),
  customerId: z.string(),
  lines: z.array(
    z.object({
      lineId: z.string(),
      productId: z.string(),
      sellerId: z.string(),
      quantity: z.number().int(),
      unitPrice: ZMoney,
      deliveredAt: z.string().nullable(),
    }),
  ),
});

/** A party may read its own record; staff read all. Others learn nothing, not even existence. */
function ownOrStaff(principal: Principal, ownerId: string, what: string, id: string): void {
  if (principal.role === 'admin' || principal.role === 'agent') return;
  if (principal.partyId !== ownerId) throw notFound(what, id);
}

export function registerReferenceDataRoutes(app: App, ctx: AppContext): void {
  const tags = ['marketplace data'];

  app.route({
    method: 'PUT',
    url: '/v1/marketplaces/:id',
    config: { roles: ['admin'] },
    schema: {
      summary: 'Create or replace a marketplace and its policy (a changed policy becomes a new version)',
      tags,
      params: ZParams,
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
      tags,
      params: ZParams,
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
      tags,
      params: ZParams,
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
    schema: { summary: 'A seller', tags, params: ZParams, response: { 200: ZSeller } },
    handler: async (request) => {
      ownOrStaff(request.principal, request.params.id, 'seller', request.params.id);
      const seller = await findSeller(ctx.db, request.params.id);
      if (!seller) throw notFound('seller', request.params.id);
      return toSellerView(seller);
    },
  });

  app.route({
    method: 'PUT',
    url: '/v1/products/:id',
    config: { roles: ['admin'] },
    schema: {
      summary: 'Create or replace a product',
      tags,
      params: ZParams,
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
    schema: { summary: 'A product', tags, params: ZParams, response: { 200: ZProduct } },
    handler: async (request) => {
      const product = await findProduct(ctx.db, request.params.id);
      if (!product) throw notFound('product', request.params.id);
      ownOrStaff(request.principal, product.seller_id, 'product', request.params.id);
      return toProductView(product);
    },
  });

  app.route({
    method: 'PUT',
    url: '/v1/customers/:id',
    config: { roles: ['admin'] },
    schema: {
      summary: 'Create or replace a customer',
      tags,
      params: ZParams,
      body: ZCustomerInput,
      response: { 200: ZCustomer },
    },
    handler: async (request) =>
      ctx.db.transaction().execute((tx) => putCustomer(tx, ctx.clock, request.params.id, request.body)),
  });

  app.route({
    method: 'GET',
    url: '/v1/customers/:id',
    config: { roles: ['admin', 'agent', 'customer'] },
    schema: { summary: 'A customer', tags, params: ZParams, response: { 200: ZCustomer } },
    handler: async (request) => {
      ownOrStaff(request.principal, request.params.id, 'customer', request.params.id);
      const customer = await findCustomer(ctx.db, request.params.id);
      if (!customer) throw notFound('customer', request.params.id);
      return toCustomerView(customer);
    },
  });

  app.route({
    method: 'PUT',
    url: '/v1/orders/:id',
    config: { roles: ['admin'] },
    schema: {
      summary: 'Create or update an order and its lines',
      tags,
      params: ZParams,
      body: ZOrderInput,
      response: { 200: ZOrder },
    },
    handler: async (request) =>
      ctx.db.transaction().execute((tx) => putOrder(tx, ctx.clock, request.params.id, request.body)),
  });

  app.route({
    method: 'GET',
    url: '/v1/orders',
    config: { roles: ['admin', 'agent', 'customer'] },
    schema: {
      summary: "A customer's orders with their lines, newest first (a customer sees its own)",
      description: 'Where a claimant picks the order line a claim is about.',
      tags,
      querystring: ZPageQuery.extend({ customerId: ZExternalId.optional() }),
      response: { 200: z.object({ data: z.array(ZOrder), nextCursor: z.string().nullable() }) },
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
      const query = ctx.db.selectFrom('orders').selectAll().where('customer_id', '=', customerId);
      const { page, nextCursor } = await fetchPage(query, request.query);
      const data = [];
      for (const order of page) data.push(toOrderView(order, await findOrderLines(ctx.db, order.id)));
      return { data, nextCursor };
    },
  });

  app.route({
    method: 'GET',
    url: '/v1/orders/:id',
    config: { roles: ['admin', 'agent', 'customer'] },
    schema: { summary: 'An order with its lines', tags, params: ZParams, response: { 200: ZOrder } },
    handler: async (request) => {
      const order = await findOrder(ctx.db, request.params.id);
      if (!order) throw notFound('order', request.params.id);
      ownOrStaff(request.principal, order.customer_id, 'order', request.params.id);
      return toOrderView(order, await findOrderLines(ctx.db, order.id));
    },
  });
}
