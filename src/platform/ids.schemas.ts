import { z } from 'zod';

/*
 * The id and instant formats every request shares, in a zod-only module so the web app's forms
 * check them with the very rules the API applies (the dependency rule lets web import `*.schemas.ts`).
 */

/**
 * The longest id a path may carry: ids the marketplace chooses (orders, sellers, products) are
 * documented up to this length, and the router (Fastify's `maxParamLength`) keeps the same.
 */
export const ID_MAX_LENGTH = 120;

/** Ids chosen by the marketplace's own systems: printable, no spaces, bounded. */
export const ZExternalId = z
  .string()
  .min(1)
  .max(ID_MAX_LENGTH)
  .regex(/^[A-Za-z0-9._:-]+$/, 'may hold only letters, digits and . _ : -');

export const ZIsoDateTime = z.iso.datetime({
  offset: true,
  error: 'must be an ISO 8601 date-time with a zone',
});
