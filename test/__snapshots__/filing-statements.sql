select "id", "role", "party_id", "last_used_at" from "api_keys" where "secret_sha256" = $1 and "revoked_at" is null and ("expires_at" is null or "expires_at" > $2);

update "api_keys" set "last_used_at" = $1 where "id" = $2 and ("last_used_at" is null or "last_used_at" <= $3);

insert into "idempotency_keys" ("principal", "operation", "key", "request_sha256", "created_at") values ($1, $2, $3, $4, $5) on conflict ("principal", "operation", "key") do nothing returning "key";

select c.id as customer_id, c.marketplace_id, c.erased_at, c.account_created_at, c.name as customer_name,
      m.currency, m.holiday_calendar, m.time_zone,
      pv.id as pv_id, pv.version as pv_version, pv.policy as pv_policy, pv.effective_at as pv_effective_at,
      o.id as order_id, o.customer_id as order_customer_id,
      ol.product_id as line_product_id, ol.seller_id as line_seller_id, ol.delivered_at as line_delivered_at,
      ol.unit_price as line_unit_price, ol.quantity as line_quantity,
      s.kind as seller_kind, s.name as seller_name,
      p.product, r.recall
    from customers c
    join marketplaces m on m.id = c.marketplace_id
    left join lateral (
      select id, version, policy, effective_at from policy_versions
      where marketplace_id = c.marketplace_id order by version desc limit 1) pv on true
    left join orders o on o.id = $1 and o.marketplace_id = c.marketplace_id
    left join lateral (
      select product_id, seller_id, delivered_at, unit_price, quantity from order_lines
      where order_id = o.id and line_id = $2 for update) ol on true
    left join sellers s on s.id = ol.seller_id
    left join lateral (select to_jsonb(p) as product from products p where p.id = ol.product_id) p on true
    left join lateral (
      select to_jsonb(r) as recall from recalls r
      where r.product_id = ol.product_id and r.status = 'open' limit 1) r on true
    where c.id = $3;

select "owner", "wrapped_key", "master_key_id" from "data_keys" where "owner" = $1;

insert into "claims" ("id", "marketplace_id", "order_id", "line_id", "customer_id", "seller_id", "product_id", "type", "incident_at", "description", "amount", "approved_amount", "currency", "damages", "narrative_signature", "status", "payer", "policy_version_id", "policy_version", "filed_at", "filed_by_role", "filed_by_id", "channel", "updated_at", "evidence_due_at") values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14::text::jsonb, $15::text::jsonb, $16, $17, $18, $19, $20, $21, $22, $23, $24, $25) returning *;

with "event_row" as (insert into "claim_events" ("claim_id", "seq", "id", "type", "at", "actor_role", "actor_id", "request_id", "reason", "data", "prev_hash", "hash") values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10::text::jsonb, $11, $12)), "outbox_row" as (insert into "outbox" ("event_id", "event_type", "marketplace_id", "aggregate_type", "aggregate_id", "payload", "created_at") values ($13, $14, $15, $16, $17, $18::text::jsonb, $19)) update "claims" set "last_event_seq" = $20, "last_event_hash" = $21, "updated_at" = $22 where "id" = $23 returning *;

insert into "claim_hazards" ("claim_id", "marketplace_id", "product_id", "category", "hazard", "severity", "terms", "counterfeit", "filed_at", "secondary", "confidence", "review_reasons", "review_status", "brand_key", "family_key", "model_version") values ($1, $2, $3, $4, $5, $6, $7::text::jsonb, $8, $9, $10::text::jsonb, $11, $12::text::jsonb, $13, $14, $15, $16);

with "event_row" as (insert into "claim_events" ("claim_id", "seq", "id", "type", "at", "actor_role", "actor_id", "request_id", "reason", "data", "prev_hash", "hash") values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10::text::jsonb, $11, $12)), "outbox_row" as (insert into "outbox" ("event_id", "event_type", "marketplace_id", "aggregate_type", "aggregate_id", "payload", "created_at") values ($13, $14, $15, $16, $17, $18::text::jsonb, $19)) update "claims" set "last_event_seq" = $20, "last_event_hash" = $21, "updated_at" = $22 where "id" = $23 returning *;

select
      count(*) filter (where ch.filed_at >= $1 and c.type = 'personal_injury')::int as injury,
      count(*) filter (where ch.filed_at >= $2)::int as rated
    from claim_hazards ch
    join claims c on c.id = ch.claim_id
    where ch.product_id = $3 and ch.hazard = $4
      and ch.filed_at >= $5;

select coalesce(sum(quantity), 0)::bigint as "units" from "order_lines" where "product_id" = $1;

select * from "category_baselines" where "marketplace_id" = $1 and "category" = $2;

select coalesce(sum(ol.quantity), 0)::bigint as units
    from order_lines ol
    join products p on p.id = ol.product_id
    join sellers s on s.id = p.seller_id
    where p.category = $1 and s.marketplace_id = $2;

select "hazard", count(*)::int as "n" from "claim_hazards" where "marketplace_id" = $1 and "category" = $2 and "filed_at" >= $3 group by "hazard";

insert into "category_baselines" ("marketplace_id", "category", "units", "claims_by_hazard", "computed_at") values ($1, $2, $3, $4::text::jsonb, $5) on conflict ("marketplace_id", "category") do update set "units" = $6, "claims_by_hazard" = $7::text::jsonb, "computed_at" = $8;

select "id" from "claims" where "order_id" = $1 and "line_id" = $2 and "id" != $3 and "status" in ($4, $5, $6, $7, $8, $9, $10) limit $11;

select "claims"."status", "payouts"."id" as "payout_id", "claims"."denial_reason" from "claims" left join "payouts" on "payouts"."claim_id" = "claims"."id" and "payouts"."status" = $1 where "claims"."order_id" = $2 and "claims"."line_id" = $3 and "claims"."id" != $4;

select
      (select count(*) from claims where customer_id = $1 and id <> $2
         and filed_at >= $3 and status <> 'withdrawn')::int as last_year,
      (select count(*) from claims where customer_id = $4 and id <> $5
         and product_id = $6 and status <> 'withdrawn'
         and incident_at between $7 and $8)::int as same_incident,
      (select count(*) from orders where customer_id = $9)::int as orders;

with recursive ring(customer_id, depth) as (
      select $1::text, 0
      union
      select other.customer_id, ring.depth + 1
      from ring
      join customer_identities mine on mine.customer_id = ring.customer_id
      join customer_identities other on other.kind = mine.kind and other.key_id = mine.key_id
        and other.value_hash = mine.value_hash
      where ring.depth < 3
    )
    select distinct customer_id from ring where customer_id <> $2;

select distinct si.seller_id from customer_identities ci
        join seller_identities si on si.kind = ci.kind and si.key_id = ci.key_id
          and si.value_hash = ci.value_hash
        join products p on p.seller_id = si.seller_id
        where ci.customer_id = $1 and p.category = $2
          and si.seller_id <> $3
        limit 1;

select other.customer_id, string_agg(distinct other.kind, ',') as kinds
    from customer_identities mine
    join customer_identities other on other.kind = mine.kind and other.key_id = mine.key_id
      and other.value_hash = mine.value_hash
    where mine.customer_id = $1 and other.customer_id <> $2
      and mine.kind <> 'email'
    group by other.customer_id
    limit 200;

select
      (select count(*) from claims c where c.customer_id in ($1)
         and c.filed_at between $2 and $3 and c.status <> 'withdrawn')::int as claims,
      (select count(distinct p.category) from claims c join products p on p.id = c.product_id
         where c.customer_id in ($4)
         and c.filed_at between $5 and $6 and c.status <> 'withdrawn')::int as categories,
      (select count(*) from orders o where o.customer_id in ($7)
         and o.created_at between $8 and $9)::int as orders;

with rivals as (
        select distinct si.seller_id from customer_identities mine
        join seller_identities si on si.kind = mine.kind and si.key_id = mine.key_id
          and si.value_hash = mine.value_hash
        where mine.customer_id = $1 and si.seller_id <> $2
          and exists (select 1 from products theirs join products ours on ours.category = theirs.category
            where theirs.seller_id = si.seller_id and ours.seller_id = $3)
        limit 5)
      select rivals.seller_id, count(distinct c.id)::int as claims, count(distinct c.customer_id)::int as accounts
      from rivals
      join seller_identities si on si.seller_id = rivals.seller_id
      join customer_identities ci on ci.kind = si.kind and ci.key_id = si.key_id and ci.value_hash = si.value_hash
      join claims c on c.customer_id = ci.customer_id
      where c.seller_id = $4 and c.id <> $5 and c.status <> 'withdrawn'
        and c.filed_at between $6 and $7
      group by rivals.seller_id
      order by claims desc
      limit 1;

insert into "claim_narrative_bands" ("claim_id", "band", "hash") values ($1, $2, $3), ($4, $5, $6), ($7, $8, $9), ($10, $11, $12), ($13, $14, $15), ($16, $17, $18), ($19, $20, $21), ($22, $23, $24), ($25, $26, $27), ($28, $29, $30), ($31, $32, $33), ($34, $35, $36), ($37, $38, $39), ($40, $41, $42), ($43, $44, $45), ($46, $47, $48);

select distinct "claims"."id", "claims"."narrative_signature" from "claim_narrative_bands" as "b" inner join "claims" on "claims"."id" = "b"."claim_id" where (("b"."band" = $1 and "b"."hash" = $2) or ("b"."band" = $3 and "b"."hash" = $4) or ("b"."band" = $5 and "b"."hash" = $6) or ("b"."band" = $7 and "b"."hash" = $8) or ("b"."band" = $9 and "b"."hash" = $10) or ("b"."band" = $11 and "b"."hash" = $12) or ("b"."band" = $13 and "b"."hash" = $14) or ("b"."band" = $15 and "b"."hash" = $16) or ("b"."band" = $17 and "b"."hash" = $18) or ("b"."band" = $19 and "b"."hash" = $20) or ("b"."band" = $21 and "b"."hash" = $22) or ("b"."band" = $23 and "b"."hash" = $24) or ("b"."band" = $25 and "b"."hash" = $26) or ("b"."band" = $27 and "b"."hash" = $28) or ("b"."band" = $29 and "b"."hash" = $30) or ("b"."band" = $31 and "b"."hash" = $32)) and "claims"."customer_id" != $33 limit $34;

select percentile_cont(0.9) within group (order by amount) as p90, count(*)::int as n from (
          select c.amount from claims c join products p on p.id = c.product_id
          where p.category = $1 and c.type = $2 and c.id <> $3
          order by c.id desc limit 1000) recent;

select count(distinct "customer_id") as "n" from "claims" where "product_id" = $1 and "customer_id" not in ($2) and "filed_at" >= $3 and "status" != $4;

select "safety_alerts"."id", "safety_alerts"."hazard", "safety_alerts"."rule" from "claim_hazards" inner join "safety_alerts" on "safety_alerts"."product_id" = "claim_hazards"."product_id" and "safety_alerts"."hazard" = "claim_hazards"."hazard" where "claim_hazards"."claim_id" = $1 and "safety_alerts"."status" in ($2, $3, $4, $5) order by "safety_alerts"."created_at" limit $6;

delete from "claim_paraphrase_bands" where "claim_id" = $1;

insert into "claim_paraphrase_signatures" ("claim_id", "customer_id", "signature") values ($1, $2, $3::text::jsonb) on conflict ("claim_id") do update set "signature" = $4::text::jsonb;

insert into "claim_paraphrase_bands" ("claim_id", "band", "hash") values ($1, $2, $3), ($4, $5, $6), ($7, $8, $9), ($10, $11, $12), ($13, $14, $15), ($16, $17, $18), ($19, $20, $21), ($22, $23, $24), ($25, $26, $27), ($28, $29, $30), ($31, $32, $33), ($34, $35, $36), ($37, $38, $39), ($40, $41, $42), ($43, $44, $45), ($46, $47, $48);

select distinct "s"."claim_id", "s"."signature" from "claim_paraphrase_bands" as "b" inner join "claim_paraphrase_signatures" as "s" on "s"."claim_id" = "b"."claim_id" where (("b"."band" = $1 and "b"."hash" = $2) or ("b"."band" = $3 and "b"."hash" = $4) or ("b"."band" = $5 and "b"."hash" = $6) or ("b"."band" = $7 and "b"."hash" = $8) or ("b"."band" = $9 and "b"."hash" = $10) or ("b"."band" = $11 and "b"."hash" = $12) or ("b"."band" = $13 and "b"."hash" = $14) or ("b"."band" = $15 and "b"."hash" = $16) or ("b"."band" = $17 and "b"."hash" = $18) or ("b"."band" = $19 and "b"."hash" = $20) or ("b"."band" = $21 and "b"."hash" = $22) or ("b"."band" = $23 and "b"."hash" = $24) or ("b"."band" = $25 and "b"."hash" = $26) or ("b"."band" = $27 and "b"."hash" = $28) or ("b"."band" = $29 and "b"."hash" = $30) or ("b"."band" = $31 and "b"."hash" = $32)) and "s"."customer_id" != $33 limit $34;

with "event_row" as (insert into "claim_events" ("claim_id", "seq", "id", "type", "at", "actor_role", "actor_id", "request_id", "reason", "data", "prev_hash", "hash") values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10::text::jsonb, $11, $12)), "outbox_row" as (insert into "outbox" ("event_id", "event_type", "marketplace_id", "aggregate_type", "aggregate_id", "payload", "created_at") values ($13, $14, $15, $16, $17, $18::text::jsonb, $19)) update "claims" set "risk" = $20::text::jsonb, "last_event_seq" = $21, "last_event_hash" = $22, "updated_at" = $23 where "id" = $24 returning *;

select "insurance_policies".*, "insurers"."financial_rating" from "insurance_policies" inner join "insurers" on "insurers"."id" = "insurance_policies"."insurer_id" where "insurance_policies"."seller_id" = $1;

with "event_row" as (insert into "claim_events" ("claim_id", "seq", "id", "type", "at", "actor_role", "actor_id", "request_id", "reason", "data", "prev_hash", "hash") values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10::text::jsonb, $11, $12)), "outbox_row" as (insert into "outbox" ("event_id", "event_type", "marketplace_id", "aggregate_type", "aggregate_id", "payload", "created_at") values ($13, $14, $15, $16, $17, $18::text::jsonb, $19)) update "claims" set "payer" = $20, "step_in" = $21, "review_kind" = $22, "approved_amount" = $23, "decided_at" = $24, "covering_policy_id" = $25, "status" = $26, "last_event_seq" = $27, "last_event_hash" = $28, "updated_at" = $29 where "id" = $30 returning *;

with "event_row" as (insert into "claim_events" ("claim_id", "seq", "id", "type", "at", "actor_role", "actor_id", "request_id", "reason", "data", "prev_hash", "hash") values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10::text::jsonb, $11, $12)), "outbox_row" as (insert into "outbox" ("event_id", "event_type", "marketplace_id", "aggregate_type", "aggregate_id", "payload", "created_at") values ($13, $14, $15, $16, $17, $18::text::jsonb, $19)) update "claims" set "seller_notified_at" = $20, "seller_deadline" = $21, "last_event_seq" = $22, "last_event_hash" = $23, "updated_at" = $24 where "id" = $25 returning *;

insert into "payouts" ("id", "claim_id", "marketplace_id", "customer_id", "payer", "currency", "provider", "provider_reference", "created_at", "settled_at", "amount", "status", "next_attempt_at", "lease_until", "last_error", "held_at", "hold_reason") values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17) on conflict ("claim_id") do update set "amount" = $18, "status" = $19, "next_attempt_at" = $20, "lease_until" = $21, "last_error" = $22, "held_at" = $23, "hold_reason" = $24 where "payouts"."status" = $25 returning "id";

with entry as (insert into journal_entries (id, marketplace_id, claim_id, kind, memo, reverses_entry_id, created_at)
      values ($1, $2, $3, $4, $5, null, $6)), party_accounts as (insert into ledger_accounts (id, marketplace_id, kind, party_id, currency, balance, created_at)
      values ($7, $8, $9, $10, $11, $12::bigint, $13)
      on conflict (id) do update set balance = ledger_accounts.balance + excluded.balance), shared_accounts as (insert into ledger_accounts (id, marketplace_id, kind, party_id, currency, balance, created_at)
      values ($14, $15, $16, $17, $18, $19::bigint, $20)
      on conflict (id) do nothing), stripes as (insert into ledger_balance_stripes (account_id, stripe, balance)
      values ($21, (pg_backend_pid() % 16)::smallint, $22::bigint)
      on conflict (account_id, stripe) do update set balance = ledger_balance_stripes.balance + excluded.balance)
    insert into journal_lines (entry_id, line_no, account_id, amount, currency)
    values ($23, $24, $25, $26::bigint, $27), ($28, $29, $30, $31::bigint, $32);

select * from "payouts" where "claim_id" in ($1);

update "idempotency_keys" set "response_status" = $1, "response_body" = $2::text::jsonb where "principal" = $3 and "operation" = $4 and "key" = $5;
