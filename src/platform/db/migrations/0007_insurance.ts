import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    -- Carriers that insure sellers, and the vetted providers of the insurance network.
    create table insurers (
      id text primary key,
      name text not null,
      financial_rating text,
      contact_email text,
      network_status text not null default 'none'
        check (network_status in ('none','applied','vetted','suspended')),
      vetted_at timestamptz,
      vetted_by text,
      appetite jsonb,
      created_at timestamptz not null,
      updated_at timestamptz not null
    );

    create table insurance_policies (
      id text primary key,
      seller_id text not null references sellers(id),
      insurer_id text not null references insurers(id),
      policy_number text not null,
      per_occurrence bigint not null,
      aggregate bigint not null,
      deductible bigint not null,
      currency text not null,
      additional_insured boolean not null,
      effective_from timestamptz not null,
      expires_at timestamptz not null check (expires_at > effective_from),
      status text not null
        check (status in ('pending_verification','verified','rejected','expired')),
      certificate jsonb,
      rejection_reason text,
      verified_at timestamptz,
      verified_by text,
      source text not null check (source in ('seller','agent','network')),
      quote_id text,
      created_at timestamptz not null,
      updated_at timestamptz not null,
      unique (insurer_id, policy_number, seller_id)
    );
    create index insurance_policies_seller on insurance_policies (seller_id, effective_from);

    -- Whether a seller must hold cover (sticky once its sales crossed the threshold), and the
    -- automatic flag that follows from its cover.
    alter table sellers add column insurance_status text not null default 'not_required'
      check (insurance_status in ('not_required','grace','compliant','not_compliant'));
    alter table sellers add column insurance_required_since timestamptz;
    alter table sellers add column insurance_grace_until timestamptz;
    -- The old single "insurer on file" fields are replaced by insurance_policies.
    alter table sellers drop column insurer_id;
    alter table sellers drop column insured_until;

    create index order_lines_seller on order_lines (seller_id);

    -- The policy that covered the incident date, recorded when the claim was decided.
    alter table claims add column covering_policy_id text;

    -- A claim (seller tendered it) or a recovery (the marketplace recovers from an insured
    -- seller) handed to the insurer whose policy covered the incident.
    create table tenders (
      id text primary key,
      kind text not null check (kind in ('claim','recovery')),
      marketplace_id text not null references marketplaces(id),
      claim_id text not null references claims(id),
      recovery_id text references recoveries(id),
      seller_id text not null references sellers(id),
      insurer_id text not null references insurers(id),
      policy_id text not null references insurance_policies(id),
      amount bigint not null,
      deductible bigint not null,
      currency text not null,
      status text not null
        check (status in ('open','info_requested','accepted','declined','expired','withdrawn')),
      due_at timestamptz not null,
      question text,
      information text,
      decline_reason text,
      payment_reference text,
      answered_at timestamptz,
      created_at timestamptz not null,
      updated_at timestamptz not null
    );
    create index tenders_insurer on tenders (insurer_id, created_at);
    create index tenders_claim on tenders (claim_id);
    create unique index tenders_one_open on tenders (claim_id, kind)
      where status in ('open','info_requested');

    create table quote_requests (
      id text primary key,
      marketplace_id text not null references marketplaces(id),
      seller_id text not null references sellers(id),
      currency text not null,
      sales jsonb not null,
      desired_per_occurrence bigint not null,
      desired_aggregate bigint not null,
      claims_history jsonb not null,
      compliance text not null,
      declined_by jsonb not null,
      invited jsonb not null,
      respond_by timestamptz not null,
      status text not null check (status in ('open','bound')),
      created_at timestamptz not null
    );
    create index quote_requests_seller on quote_requests (seller_id, created_at);

    create table insurance_quotes (
      id text primary key,
      request_id text not null references quote_requests(id),
      insurer_id text not null references insurers(id),
      source text not null check (source in ('rating_table','api')),
      premium bigint not null,
      platform_fee bigint not null default 0 check (platform_fee = 0),
      currency text not null,
      per_occurrence bigint not null,
      aggregate bigint not null,
      deductible bigint not null,
      exclusions jsonb not null,
      rating jsonb,
      valid_until timestamptz not null,
      status text not null check (status in ('offered','bind_requested','bound','not_taken','bind_refused')),
      policy_id text,
      created_at timestamptz not null,
      unique (request_id, insurer_id)
    );
  `.execute(db);

  // Every marketplace that already exists gets its daily insurance review, due at once (the
  // epoch, not the server's clock: time comes from the application's clock).
  await sql`
    insert into timers (kind, subject_id, due_at, created_at)
    select 'insurance.compliance_review', id, timestamptz 'epoch', timestamptz 'epoch' from marketplaces
  `.execute(db);
}
