with found as (
      select id, role, party_id from api_keys
      where secret_sha256 = $1 and revoked_at is null
        and (expires_at is null or expires_at > $2)),
    touched as (
      update api_keys set last_used_at = $3 from found
      where api_keys.id = found.id
        and (api_keys.last_used_at is null or api_keys.last_used_at <= $4))
    select id, role, party_id from found;

insert into "idempotency_keys" ("principal", "operation", "key", "request_sha256", "created_at") values ($1, $2, $3, $4, $5) on conflict ("principal", "operation", "key") do nothing returning "key";

select c.id as customer_id, c.marketplace_id, c.erased_at, c.account_created_at, c.name as customer_name,
      m.currency, m.holiday_calendar, m.time_zone,
      pv.id as pv_id, pv.version as pv_version, pv.policy as pv_policy, pv.effective_at as pv_effective_at,
      o.id as order_id, o.customer_id as order_customer_id,
      ol.product_id as line_product_id, ol.seller_id as line_seller_id, ol.delivered_at as line_delivered_at,
      ol.unit_price as line_unit_price, ol.quantity as line_quantity,
      s.kind as seller_kind, s.name as seller_name,
      p.product, r.recall, cover.policies,
      dk.owner is not null as dk_found, dk.wrapped_key as dk_wrapped_key, dk.master_key_id as dk_master_key_id
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
    left join lateral (
      select coalesce(jsonb_agg(jsonb_build_object(
  'id', ip.id, 'insurer_id', ip.insurer_id, 'status', ip.status, 'financial_rating', i.financial_rating,
  'per_occurrence', ip.per_occurrence, 'aggregate', ip.aggregate, 'deductible', ip.deductible,
  'currency', ip.currency, 'additional_insured', ip.additional_insured,
  'effective_from', ip.effective_from, 'expires_at', ip.expires_at)), '[]'::jsonb) as policies from insurance_policies ip
      join insurers i on i.id = ip.insurer_id where ip.seller_id = ol.seller_id) cover on true
    left join data_keys dk on dk.owner = $3
    where c.id = $4;

insert into "claims" ("id", "marketplace_id", "order_id", "line_id", "customer_id", "seller_id", "product_id", "type", "incident_at", "description", "amount", "approved_amount", "currency", "damages", "narrative_signature", "status", "payer", "policy_version_id", "policy_version", "filed_at", "filed_by_role", "filed_by_id", "channel", "updated_at", "evidence_due_at") values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14::text::jsonb, $15::text::jsonb, $16, $17, $18, $19, $20, $21, $22, $23, $24, $25) returning "id", "marketplace_id", "order_id", "line_id", "customer_id", "seller_id", "product_id", "type", "incident_at", "description", "amount", "approved_amount", "currency", "damages", "status", "payer", "step_in", "policy_version_id", "policy_version", "denial_reason", "review_kind", "risk", "seller_response", "seller_notified_at", "seller_deadline", "info_deadline", "appeal_deadline", "appealed_at", "decided_at", "filed_at", "filed_by_role", "filed_by_id", "updated_at", "last_event_seq", "last_event_hash", "insurer_id", "payment_deadline", "narrative_signature", "covering_policy_id", "recall_id", "evidence_due_at", "public_recall_id", "owner_id", "owner_name", "owner_since", "review_due_at", "review_escalated_at", "channel", "matter_opened_at";

insert into "claim_hazards" ("claim_id", "marketplace_id", "product_id", "category", "hazard", "severity", "terms", "counterfeit", "filed_at", "secondary", "confidence", "review_reasons", "review_status", "brand_key", "family_key", "model_version") values ($1, $2, $3, $4, $5, $6, $7::text::jsonb, $8, $9, $10::text::jsonb, $11, $12::text::jsonb, $13, $14, $15, $16);

with cached as (
      select units, claims_by_hazard from category_baselines
      where marketplace_id = $1 and category = $2 and computed_at > $3),
    fresh as (
      select
        (select coalesce(sum(ol.quantity), 0)::bigint
          from order_lines ol
          join products p on p.id = ol.product_id
          join sellers s on s.id = p.seller_id
          where p.category = $4 and s.marketplace_id = $5) as units,
        (select coalesce(jsonb_object_agg(h.hazard, h.n), '{}'::jsonb) from (
          select hazard, count(*)::int as n from claim_hazards
          where marketplace_id = $6 and category = $7 and filed_at >= $8
          group by hazard) h) as claims_by_hazard
      where not exists (select 1 from cached)),
    stored as (
      insert into category_baselines (marketplace_id, category, units, claims_by_hazard, computed_at)
      select $9, $10, units, claims_by_hazard, $11 from fresh
      where pg_try_advisory_xact_lock($12, hashtext($13 || '/' || $14))
      on conflict (marketplace_id, category) do update
        set units = excluded.units, claims_by_hazard = excluded.claims_by_hazard, computed_at = excluded.computed_at),
    category_totals as (
      select units, claims_by_hazard from cached union all select units, claims_by_hazard from fresh),
    product_claims as (
      select
        count(*) filter (where ch.filed_at >= $15 and c.type = 'personal_injury')::int as injury,
        count(*) filter (where ch.filed_at >= $16)::int as rated
      from claim_hazards ch
      join claims c on c.id = ch.claim_id
      where ch.product_id = $17 and ch.hazard = $18 and ch.filed_at >= $19),
    product_cached as (select units from product_unit_counts
      where marketplace_id = $20 and product_id = $21
        and computed_at > $22 and units >= $23),
    product_fresh as (
      select (select coalesce(sum(quantity), 0)::bigint as units from order_lines where product_id = $24) as units where not exists (select 1 from product_cached)),
    product_stored as (
      insert into product_unit_counts (marketplace_id, product_id, units, computed_at)
      select $25, $26, units, $27 from product_fresh
      where units >= $28
        and pg_try_advisory_xact_lock($29, hashtext($30 || '/' || $31))
      on conflict (marketplace_id, product_id) do update
        set units = excluded.units, computed_at = excluded.computed_at)
    select t.units, t.claims_by_hazard, pc.injury, pc.rated,
      (select units from product_cached union all select units from product_fresh) as product_units
    from product_claims pc left join category_totals t on true;

select "id" from "claims" where "order_id" = $1 and "line_id" = $2 and "id" != $3 and "status" in ($4, $5, $6, $7, $8, $9, $10) limit $11;

with recursive ring(customer_id, depth) as (
      select $1::text, 0
      union
      select other.customer_id, ring.depth + 1
      from ring
      join customer_identities mine on mine.customer_id = ring.customer_id
      join customer_identities other on other.kind = mine.kind and other.key_id = mine.key_id
        and other.value_hash = mine.value_hash and other.customer_id <> mine.customer_id
      where ring.depth < 3
    ),
    -- Customers linked to this one through shared identity facts, up to three hops (a ring). A
    -- member matching its own rows is no hop: it only brought every member back at each depth.
    ring_members as (select distinct customer_id from ring where customer_id <> $2),
    
    claimant_identities as materialized (
      select kind, key_id, value_hash from customer_identities where customer_id = $3),
    linked_sellers as materialized (
      select distinct si.seller_id from claimant_identities mine
      join seller_identities si on si.kind = mine.kind and si.key_id = mine.key_id
        and si.value_hash = mine.value_hash),
    identity_links as (
      select other.customer_id, string_agg(distinct other.kind, ',') as kinds
      from claimant_identities mine
      join customer_identities other on other.kind = mine.kind and other.key_id = mine.key_id
        and other.value_hash = mine.value_hash
      where other.customer_id <> $4 and mine.kind <> 'email'
      group by other.customer_id
      order by other.customer_id
      limit 200),
    identity_accounts as (
      select $5::text as customer_id
      union all
      select customer_id from identity_links
      where string_to_array(kinds, ',') && array[$6, $7, $8]::text[])
    select
      
  (select coalesce(json_agg(json_build_object('status', c.status, 'paid', p.id is not null,
      'denialReason', c.denial_reason)), '[]')
    from claims c left join payouts p on p.claim_id = c.id and p.status = 'settled'
    where c.order_id = $9 and c.line_id = $10 and c.id <> $11) as prior_claims_on_line,
      (select count(*) from claims where customer_id = $12 and id <> $13
         and filed_at >= $14 and status <> 'withdrawn')::int as last_year,
      (select count(*) from claims where customer_id = $15 and id <> $16
         and product_id = $17 and status <> 'withdrawn'
         and incident_at between $18 and $19)::int as same_incident,
      (select count(*) from orders where customer_id = $20)::int as orders,
      (select count(distinct customer_id) from claims
         where customer_id in (select customer_id from ring_members))::int as linked_claimants,
      exists (select 1 from linked_sellers si
        join products p on p.seller_id = si.seller_id
        where p.category = $21 and si.seller_id <> $22)
        as linked_to_competing_seller,
      
    (select coalesce(json_agg(json_build_object('claimId', r.id, 'customerId', r.customer_id,
        'amount', r.amount, 'filedAt', r.filed_at, 'sellerId', r.seller_id, 'kinds', r.kinds)
        order by r.filed_at desc), '[]')
      from (select c.id, c.customer_id, c.amount, c.filed_at, c.seller_id, l.kinds
        from claims c join identity_links l on l.customer_id = c.customer_id
        where c.id <> $23 and c.filed_at >= $24 and c.filed_at <= $25
          and c.status <> 'withdrawn'
        order by c.filed_at desc
        limit 100) r) as linked_claims,
    (select count(*) from identity_accounts)::int as identity_accounts,
    (select count(*) from claims c where c.customer_id in (select customer_id from identity_accounts)
       and c.filed_at between $26 and $27 and c.status <> 'withdrawn')::int as identity_claims,
    (select count(distinct p.category) from claims c join products p on p.id = c.product_id
       where c.customer_id in (select customer_id from identity_accounts)
       and c.filed_at between $28 and $29 and c.status <> 'withdrawn')::int as identity_categories,
    (select count(*) from orders o where o.customer_id in (select customer_id from identity_accounts)
       and o.created_at between $30 and $31)::int as identity_orders,
    (with rivals as (
        select si.seller_id from linked_sellers si
        where si.seller_id <> $32
          and exists (select 1 from products theirs join products ours on ours.category = theirs.category
            where theirs.seller_id = si.seller_id and ours.seller_id = $33)
        order by si.seller_id
        limit 5)
      select json_build_object('competingSellerId', rivals.seller_id,
        'otherClaims', count(distinct c.id), 'otherAccounts', count(distinct c.customer_id))
      from rivals
      join seller_identities si on si.seller_id = rivals.seller_id
      join customer_identities ci on ci.kind = si.kind and ci.key_id = si.key_id and ci.value_hash = si.value_hash
      join claims c on c.customer_id = ci.customer_id
      where c.seller_id = $34 and c.id <> $35 and c.status <> 'withdrawn'
        and c.filed_at between $36 and $37
      group by rivals.seller_id
      order by count(distinct c.id) desc
      limit 1) as competitor_cluster,
      
  (select json_build_object('p90', p90, 'claims', claims) from category_amount_norms
    where category = $38 and claim_type = $39) as category_norm,
      (select count(distinct customer_id) from claims
         where product_id = $40 and customer_id <> $41
         and customer_id not in (select customer_id from ring_members)
         and filed_at >= $42 and status <> 'withdrawn')::int as unlinked_product_claims,
      
  (select json_build_object('alertId', a.id, 'hazard', a.hazard, 'rule', a.rule)
    from claim_hazards h
    join safety_alerts a on a.product_id = h.product_id and a.hazard = h.hazard
    where h.claim_id = $43
      and a.status in ('open', 'monitoring', 'listing_paused', 'recall_opened')
    order by a.created_at
    limit 1) as product_safety_alert,
      (select json_build_object('recallNumber', recall_number, 'title', title) from public_recalls
         where id = $44) as product_public_recall;

with narrative_bands as (
      insert into claim_narrative_bands (claim_id, band, hash) values ($1, $2, $3), ($4, $5, $6), ($7, $8, $9), ($10, $11, $12), ($13, $14, $15), ($16, $17, $18), ($19, $20, $21), ($22, $23, $24), ($25, $26, $27), ($28, $29, $30), ($31, $32, $33), ($34, $35, $36), ($37, $38, $39), ($40, $41, $42), ($43, $44, $45), ($46, $47, $48)
      on conflict (claim_id, band) do update set hash = excluded.hash),
    stale_paraphrase_bands as (
      delete from claim_paraphrase_bands where claim_id = $49 and band >= $50),
    paraphrase_signature as (
      insert into claim_paraphrase_signatures (claim_id, customer_id, signature)
      values ($51, $52, $53::text::jsonb)
      on conflict (claim_id) do update set signature = excluded.signature),
    paraphrase_bands as (
          insert into claim_paraphrase_bands (claim_id, band, hash) values ($54, $55, $56), ($57, $58, $59), ($60, $61, $62), ($63, $64, $65), ($66, $67, $68), ($69, $70, $71), ($72, $73, $74), ($75, $76, $77), ($78, $79, $80), ($81, $82, $83), ($84, $85, $86), ($87, $88, $89), ($90, $91, $92), ($93, $94, $95), ($96, $97, $98), ($99, $100, $101)
          on conflict (claim_id, band) do update set hash = excluded.hash), paraphrases as (
          select s.claim_id, s.signature from (
    select b.claim_id, count(*) as shared
    from (values ($102::int, $103), ($104::int, $105), ($106::int, $107), ($108::int, $109), ($110::int, $111), ($112::int, $113), ($114::int, $115), ($116::int, $117), ($118::int, $119), ($120::int, $121), ($122::int, $123), ($124::int, $125), ($126::int, $127), ($128::int, $129), ($130::int, $131), ($132::int, $133)) as q(band, hash)
    cross join lateral (
      select claim_id from claim_paraphrase_bands where band = q.band and hash = q.hash
      order by claim_id desc limit $134) b
    group by b.claim_id
    order by shared desc, b.claim_id
    limit $135) m
          join claim_paraphrase_signatures s on s.claim_id = m.claim_id
          where s.customer_id <> $136
          order by m.shared desc, s.claim_id
          limit $137),
    narratives as (
      select claims.id, claims.narrative_signature from (
    select b.claim_id, count(*) as shared
    from (values ($138::int, $139), ($140::int, $141), ($142::int, $143), ($144::int, $145), ($146::int, $147), ($148::int, $149), ($150::int, $151), ($152::int, $153), ($154::int, $155), ($156::int, $157), ($158::int, $159), ($160::int, $161), ($162::int, $163), ($164::int, $165), ($166::int, $167), ($168::int, $169)) as q(band, hash)
    cross join lateral (
      select claim_id from claim_narrative_bands where band = q.band and hash = q.hash
      order by claim_id desc limit $170) b
    group by b.claim_id
    order by shared desc, b.claim_id
    limit $171) m
      join claims on claims.id = m.claim_id
      where claims.customer_id <> $172
      order by m.shared desc, claims.id
      limit $173)
    select 'narrative' as index, id as claim_id, narrative_signature as signature from narratives
    union all
    select 'paraphrase', claim_id, signature from paraphrases;

insert into "payouts" ("id", "claim_id", "marketplace_id", "customer_id", "payer", "currency", "provider", "provider_reference", "created_at", "settled_at", "amount", "status", "next_attempt_at", "lease_until", "last_error", "held_at", "hold_reason") values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17) on conflict ("claim_id") do update set "amount" = $18, "status" = $19, "next_attempt_at" = $20, "lease_until" = $21, "last_error" = $22, "held_at" = $23, "hold_reason" = $24 where "payouts"."status" = $25 returning "id", "claim_id", "marketplace_id", "customer_id", "payer", "amount", "currency", "provider", "status", "attempts", "next_attempt_at", "lease_until", "provider_reference", "last_error", "created_at", "settled_at", "held_at", "hold_reason";

with entry as (insert into journal_entries (id, marketplace_id, claim_id, kind, memo, reverses_entry_id, created_at)
      values ($1, $2, $3, $4, $5, null, $6)), party_accounts as (insert into ledger_accounts (id, marketplace_id, kind, party_id, currency, balance, created_at)
      values ($7, $8, $9, $10, $11, $12::bigint, $13)
      on conflict (id) do update set balance = ledger_accounts.balance + excluded.balance), shared_accounts as (insert into ledger_accounts (id, marketplace_id, kind, party_id, currency, balance, created_at)
      values ($14, $15, $16, $17, $18, $19::bigint, $20)
      on conflict (id) do nothing), stripes as (insert into ledger_balance_stripes (account_id, stripe, balance)
      values ($21, (pg_backend_pid() % 16)::smallint, $22::bigint)
      on conflict (account_id, stripe) do update set balance = ledger_balance_stripes.balance + excluded.balance)
    insert into journal_lines (entry_id, line_no, marketplace_id, account_id, amount, currency)
    values ($23, $24, $25, $26, $27::bigint, $28), ($29, $30, $31, $32, $33::bigint, $34);

with "held_0" as (insert into "claim_events" ("claim_id", "seq", "id", "type", "at", "actor_role", "actor_id", "request_id", "reason", "data", "prev_hash", "hash") values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10::text::jsonb, $11, $12), ($13, $14, $15, $16, $17, $18, $19, $20, $21, $22::text::jsonb, $23, $24), ($25, $26, $27, $28, $29, $30, $31, $32, $33, $34::text::jsonb, $35, $36), ($37, $38, $39, $40, $41, $42, $43, $44, $45, $46::text::jsonb, $47, $48), ($49, $50, $51, $52, $53, $54, $55, $56, $57, $58::text::jsonb, $59, $60)), "held_1" as (insert into "outbox" ("event_id", "event_type", "marketplace_id", "aggregate_type", "aggregate_id", "payload", "created_at") values ($61, $62, $63, $64, $65, $66::text::jsonb, $67), ($68, $69, $70, $71, $72, $73::text::jsonb, $74), ($75, $76, $77, $78, $79, $80::text::jsonb, $81), ($82, $83, $84, $85, $86, $87::text::jsonb, $88), ($89, $90, $91, $92, $93, $94::text::jsonb, $95)), "held_2" as (update "claims" set "risk" = $96::text::jsonb, "payer" = $97, "step_in" = $98, "review_kind" = $99, "approved_amount" = $100, "decided_at" = $101, "covering_policy_id" = $102, "status" = $103, "seller_notified_at" = $104, "seller_deadline" = $105, "last_event_seq" = $106, "last_event_hash" = $107, "updated_at" = $108 where "id" = $109) update "idempotency_keys" set "response_status" = $110, "response_body" = $111::text::jsonb where "principal" = $112 and "operation" = $113 and "key" = $114;
