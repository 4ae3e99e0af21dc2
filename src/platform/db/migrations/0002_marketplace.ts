import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table marketplaces (
      id text primary key,
      name text not null,
      currency text not null,
      region text not null,
      holiday_calendar text not null,
      time_zone text not null,
      created_at timestamptz not null,
      updated_at timestamptz not null
    );

    -- Every rule a marketplace can set differently; a new row per change, claims keep theirs.
    create table policy_versions (
      id text primary key,
      marketplace_id text not null references marketplaces(id),
      version int not null,
      policy jsonb not null,
      effective_at timestamptz not null,
      created_by text not null,
      unique (marketplace_id, version)
    );

    create table sellers (
      id text primary key,
      marketplace_id text not null references marketplaces(id),
      name text not null,
      kind text not null default 'third_party' check (kind in ('third_party','first_party')),
      standing text not null check (standing in ('good','not_compliant')),
      contact jsonb not null,
      insurer_id text,
      insured_until timestamptz,
      created_at timestamptz not null,
      updated_at timestamptz not null
    );
    create index sellers_marketplace on sellers (marketplace_id);

    create table products (
      id text primary key,
      seller_id text not null references sellers(id),
      title text not null,
      category text not null,
      created_at timestamptz not null,
      updated_at timestamptz not null
    );
    create index products_seller on products (seller_id);

    create table customers (
      id text primary key,
      marketplace_id text not null references marketplaces(id),
      name text not null,
      email text not null,
      created_at timestamptz not null,
      updated_at timestamptz not null
    );

    create table orders (
      id text primary key,
      marketplace_id text not null references marketplaces(id),
      customer_id text not null references customers(id),
      created_at timestamptz not null,
      updated_at timestamptz not null
    );
    create index orders_customer on orders (customer_id);

    create table order_lines (
      order_id text not null references orders(id),
      line_id text not null,
      product_id text not null references products(id),
      seller_id text not null references sellers(id),
      quantity int not null check (quantity > 0),
      unit_price bigint not null check (unit_price >= 0),
      currency text not null,
      delivered_at timestamptz,
      primary key (order_id, line_id)
    );
    create index order_lines_product on order_lines (product_id);
  `.execute(db);
}
