select "claims"."id", "claims"."marketplace_id", "claims"."order_id", "claims"."line_id", "claims"."customer_id", "claims"."seller_id", "claims"."product_id", "claims"."type", "claims"."incident_at", "claims"."description", "claims"."amount", "claims"."approved_amount", "claims"."currency", "claims"."damages", "claims"."status", "claims"."payer", "claims"."step_in", "claims"."policy_version_id", "claims"."policy_version", "claims"."denial_reason", "claims"."review_kind", "claims"."risk", "claims"."seller_response", "claims"."seller_notified_at", "claims"."seller_deadline", "claims"."info_deadline", "claims"."appeal_deadline", "claims"."appealed_at", "claims"."decided_at", "claims"."filed_at", "claims"."filed_by_role", "claims"."filed_by_id", "claims"."updated_at", "claims"."last_event_seq", "claims"."last_event_hash", "claims"."insurer_id", "claims"."payment_deadline", "claims"."narrative_signature", "claims"."covering_policy_id", "claims"."recall_id", "claims"."evidence_due_at", "claims"."public_recall_id", "claims"."owner_id", "claims"."owner_name", "claims"."owner_since", "claims"."review_due_at", "claims"."review_escalated_at", "claims"."channel", "claims"."matter_opened_at", dk.owner is not null as dk_found, dk.wrapped_key as dk_wrapped_key, dk.master_key_id as dk_master_key_id
          from payouts join claims on claims.id = payouts.claim_id
          left join data_keys dk on dk.owner = 'customer:' || "claims"."customer_id"
          where payouts.next_attempt_at <= $1
    and (payouts.lease_until is null or payouts.lease_until <= $2)
    and (payouts.status = 'executing' or (payouts.status = 'pending'
      and exists (select 1 from claims where claims.id = payouts.claim_id and claims.status = 'approved')
      and not exists (select 1 from referrals where referrals.claim_id = payouts.claim_id and referrals.status = 'open')))
            -- the locked claim's own row, re-checked once a lock waited for is granted
            and (payouts.status = 'executing' or claims.status = 'approved')
          order by payouts.next_attempt_at limit 1
          for update of claims skip locked;

select "payouts"."id", "payouts"."claim_id", "payouts"."marketplace_id", "payouts"."customer_id", "payouts"."payer", "payouts"."amount", "payouts"."currency", "payouts"."provider", "payouts"."status", "payouts"."attempts", "payouts"."next_attempt_at", "payouts"."lease_until", "payouts"."provider_reference", "payouts"."last_error", "payouts"."created_at", "payouts"."settled_at", "payouts"."held_at", "payouts"."hold_reason" from payouts where claim_id = $1 and payouts.next_attempt_at <= $2
    and (payouts.lease_until is null or payouts.lease_until <= $3)
    and (payouts.status = 'executing' or (payouts.status = 'pending'
      and exists (select 1 from claims where claims.id = payouts.claim_id and claims.status = 'approved')
      and not exists (select 1 from referrals where referrals.claim_id = payouts.claim_id and referrals.status = 'open')))
      for update;

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

select s.id as seller_id, s.standing, s.insurance_status,
      pv.id as pv_id, pv.policy as pv_policy, m.holiday_calendar, m.time_zone, cover.policies
    from sellers s
    left join policy_versions pv on pv.id = $1
    left join marketplaces m on m.id = $2
    left join lateral (
      select coalesce(jsonb_agg(jsonb_build_object(
  'id', ip.id, 'insurer_id', ip.insurer_id, 'status', ip.status, 'financial_rating', i.financial_rating,
  'per_occurrence', ip.per_occurrence, 'aggregate', ip.aggregate, 'deductible', ip.deductible,
  'currency', ip.currency, 'additional_insured', ip.additional_insured,
  'effective_from', ip.effective_from, 'expires_at', ip.expires_at)), '[]'::jsonb) as policies from insurance_policies ip
      join insurers i on i.id = ip.insurer_id where ip.seller_id = $3) cover on true
    where s.id = $4;

with "held_0" as (insert into "claim_events" ("claim_id", "seq", "id", "type", "at", "actor_role", "actor_id", "request_id", "reason", "data", "prev_hash", "hash") values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10::text::jsonb, $11, $12), ($13, $14, $15, $16, $17, $18, $19, $20, $21, $22::text::jsonb, $23, $24), ($25, $26, $27, $28, $29, $30, $31, $32, $33, $34::text::jsonb, $35, $36)), "held_1" as (insert into "outbox" ("event_id", "event_type", "marketplace_id", "aggregate_type", "aggregate_id", "payload", "created_at") values ($37, $38, $39, $40, $41, $42::text::jsonb, $43), ($44, $45, $46, $47, $48, $49::text::jsonb, $50), ($51, $52, $53, $54, $55, $56::text::jsonb, $57)), "held_2" as (update "claims" set "status" = $58, "last_event_seq" = $59, "last_event_hash" = $60, "updated_at" = $61 where "id" = $62), "held_3" as (update "payouts" set "attempts" = $63, "status" = $64, "settled_at" = $65, "provider_reference" = $66, "lease_until" = $67, "last_error" = $68 where "id" = $69) insert into "recoveries" ("id", "claim_id", "marketplace_id", "currency", "insurer_id", "written_off_reason", "created_at", "updated_at", "debtor", "seller_id", "amount", "status", "waiver_reason", "due_at") values ($70, $71, $72, $73, $74, $75, $76, $77, $78, $79, $80, $81, $82, $83);
