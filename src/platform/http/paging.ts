import { z } from 'zod';

/**
 * The query of every cursor-paged list: newest first, ids are sortable by creation time. The
 * paging itself (`fetchPage`) is database code, in src/platform/db/paging.ts.
 */
export const ZPageQuery = z.object({
  cursor: z.string().max(64).optional().describe('The nextCursor of the previous page'),
  limit: z.coerce.number().int().min(1).max(200).default(50).describe('How many items, 1 to 200'),
});
