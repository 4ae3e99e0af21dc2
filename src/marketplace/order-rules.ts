import type { OrderInput } from './schemas.ts';

/** What an order is checked against; loaded one order at a time by the PUT route, a batch at a time by an import. */
export interface OrderFacts {
  marketplace: { currency: string } | undefined;
  customer: { marketplace_id: string } | undefined;
  existing: { customer_id: string } | undefined;
  /** Each product's seller and every marketplace that seller sells in. */
  productsById: ReadonlyMap<string, { seller_id: string; marketplace_ids: readonly string[] }>;
}

export interface FieldProblem {
  field: string;
  rule: string;
}

/**
 * The first reason an order cannot be stored, or null. Fields are named as in the PUT body
 * (`body.…`); the import reports them as `data.…`.
 */
export function orderProblem(input: OrderInput, facts: OrderFacts): FieldProblem | null {
  if (!facts.marketplace)
    return { field: 'body.marketplaceId', rule: `marketplace ${input.marketplaceId} does not exist` };
  if (!facts.customer || facts.customer.marketplace_id !== input.marketplaceId) {
    return {
      field: 'body.customerId',
      rule: `customer ${input.customerId} does not exist in ${input.marketplaceId}`,
    };
  }
  if (facts.existing && facts.existing.customer_id !== input.customerId) {
    return { field: 'body.customerId', rule: 'an order cannot change customer' };
  }
  for (const [index, line] of input.lines.entries()) {
    const product = facts.productsById.get(line.productId);
    if (!product?.marketplace_ids.includes(input.marketplaceId)) {
      return {
        field: `body.lines.${index}.productId`,
        rule: `product ${line.productId} does not exist in ${input.marketplaceId}`,
      };
    }
    if (product.seller_id !== line.sellerId) {
      return {
        field: `body.lines.${index}.sellerId`,
        rule: `product ${line.productId} is sold by ${product.seller_id}`,
      };
    }
    if (line.unitPrice.currency !== facts.marketplace.currency) {
      return {
        field: `body.lines.${index}.unitPrice.currency`,
        rule: `must be the marketplace's currency, ${facts.marketplace.currency}`,
      };
    }
  }
  return null;
}
