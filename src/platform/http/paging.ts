import { z } from 'zod';

/** The query of every cursor-paged list: newest first, ids are sortable by creation time. */
export const ZPageQuery = z.object({
  cursor: z.string().max(64).optional().describe('The nextCursor of the previous page'),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});

/** Rows fetched with `limit + 1` become one page and the cursor of the next, if there is one. */
export function pageOf<T extends { id: string }>(
  rows: T[],
  limit: number,
): { page: T[]; nextCursor: string | null } {
  const page = rows.slice(0, limit);
  return { page, nextCursor: rows.length > limit ? (page.at(-1)?.id ?? null) : null };
}
