import { type SelectQueryBuilder, sql } from 'kysely';
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

/**
 * One page of a list query, newest first by its id column (`recalls.id` where a join makes a
 * bare `id` ambiguous): the filters are the caller's, the paging is the same everywhere.
 */
export async function fetchPage<DB, TB extends keyof DB, O extends { id: string }>(
  query: SelectQueryBuilder<DB, TB, O>,
  page: { cursor?: string | undefined; limit: number },
  idColumn = 'id',
): Promise<{ page: O[]; nextCursor: string | null }> {
  const id = sql.ref<string>(idColumn);
  const filtered = page.cursor ? query.where(id, '<', page.cursor) : query;
  return pageOf(
    await filtered
      .orderBy(id, 'desc')
      .limit(page.limit + 1)
      .execute(),
    page.limit,
  );
}
