import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    -- The distribution column for Citus (docs/scaling.md, section 4): tables reached only through
    -- a parent's id carry the parent's marketplace_id, so they can be co-located with it. Each is
    -- filled from its parent in one UPDATE; the foreign key to marketplaces is added after the
    -- fill (checked once, not row by row) on evidence and referrals. Order lines and products,
    -- which an order feed writes by the million, get none: the value is a copy of the parent's,
    -- whose own key already checks it, and a second key would cost every imported row one more
    -- lookup of the same marketplaces row (the foreign-key checks are two thirds of an import's
    -- upserts, docs/performance.md).
    --
    -- The columns stay nullable in this release (expand, deploy, contract: docs/operations.md,
    -- section 6): during a rolling upgrade the previous release's processes still insert order
    -- lines, products, evidence, referrals and postings without the column, and NOT NULL would
    -- fail those requests, every filing's posting among them. This release's code always sets it;
    -- a later release fills the rows written during the roll and sets NOT NULL (the contract).

    alter table order_lines add column marketplace_id text;
    update order_lines l set marketplace_id = o.marketplace_id from orders o where o.id = l.order_id;

    -- A product is listed by its seller, in the seller's home marketplace (sellers.marketplace_id);
    -- a seller selling in several (seller_marketplaces) still has one row per product.
    alter table products add column marketplace_id text;
    update products p set marketplace_id = s.marketplace_id from sellers s where s.id = p.seller_id;

    alter table evidence add column marketplace_id text;
    update evidence e set marketplace_id = c.marketplace_id from claims c where c.id = e.claim_id;
    alter table evidence add foreign key (marketplace_id) references marketplaces(id);

    alter table referrals add column marketplace_id text;
    update referrals r set marketplace_id = c.marketplace_id from claims c where c.id = r.claim_id;
    alter table referrals add foreign key (marketplace_id) references marketplaces(id);

    -- The ledger refuses updates (journal_lines_append_only); this fill adds a copy of the entry's
    -- own marketplace and changes no amount, so the guard is lifted for it alone. journal_entries
    -- has no foreign key to marketplaces, so neither do its lines.
    alter table journal_lines add column marketplace_id text;
    alter table journal_lines disable trigger journal_lines_append_only;
    update journal_lines l set marketplace_id = e.marketplace_id from journal_entries e where e.id = l.entry_id;
    alter table journal_lines enable trigger journal_lines_append_only;
  `.execute(db);
}
