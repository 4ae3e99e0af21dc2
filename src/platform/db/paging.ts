import { type SelectQueryBuilder, sql } from 'kysely';

/**
 * Cursor paging of list queries, kept with the database code so a route file never holds a query
 * builder: stores build the filtered query and page it here; routes receive rows and a cursor.
 */

/** Rows fetched with `limit + 1` become one page and the cursor of the next, if there is one. */
export function pageOf<T extends { id: string }>(
  rows: T[],
  limit: number,
): { page: T[]; nextCursor: string | null } {
  const page = rows.slice(0, limit);
  return { page, nextCursor: rows.length > limit ? (page.at(-1)?.id ?? null) : null };
}

/** Which page of a list: the nextCursor of the previous page, and how many rows. */
export interface PageRequest {
  cursor?: string | undefined;
  limit: number;
}

/**
 * One page of a list query, newest first by its id column (`recalls.id` where a join makes a
 * bare `id` ambiguous): the filters are the caller's, the paging is the same everywhere.
 */
export async function fetchPage<DB, TB extends keyof DB, O extends { id: string }>(
  query: SelectQueryBuilder<DB, TB, O>,
  page: PageRequest,
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
