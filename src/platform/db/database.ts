/*
 * The database's row types for Kysely, one interface per table. Long by nature (it grows with
 * every table) and kept in one file on purpose: it is the one place the schema's TypeScript
 * shape is declared, checked against the migrations by every query that compiles.
 */
import type { ColumnType, Generated } from 'kysely';

/** timestamptz: read as Date, written as Date or ISO string. */
export type Timestamp = ColumnType<Date, Date | string, Date | string>;
/** jsonb: read as parsed JSON, written as a JSON text (see `json()` in sql.ts). */
export type Json<T> = ColumnType<T, unknown, unknown>;

export interface ApiKeysTable {
  id: string;
  secret_sha256: string;
  role: string;
  party_id: string | null;
  label: string | null;
  created_at: Timestamp;
  revoked_at: Timestamp | null;
  /** The key stops working at this time (its own expiry, or the end of a rotation's overlap). */
  expires_at: ColumnType<Date | null, Date | null | undefined, Date | null>;
  last_used_at: ColumnType<Date | null, Date | null | undefined, Date | null>;
  /** The key issued when this one was rotated. */
  replaced_by: ColumnType<string | null, string | null | undefined, string | null>;
}

export interface TestClockTable {
  id: number;
  now: Timestamp;
}

export interface IdempotencyKeysTable {
  principal: string;
  operation: string;
  key: string;
  request_sha256: string;
  response_status: number | null;
  response_body: Json<unknown> | null;
  created_at: Timestamp;
}

export interface OutboxTable {
  id: Generated<number>;
  event_id: string;
  event_type: string;
  marketplace_id: string | null;
  aggregate_type: string;
  aggregate_id: string;
  payload: Json<Record<string, unknown>>;
  created_at: Timestamp;
  fanned_out_at: ColumnType<Date | null, Date | null | undefined, Date | null>;
  relayed_at: ColumnType<Date | null, Date | null | undefined, Date | null>;
}

export interface TimersTable {
  id: Generated<number>;
  kind: string;
  subject_id: string;
  due_at: Timestamp;
  created_at: Timestamp;
  fired_at: Timestamp | null;
  outcome: string | null;
}

export interface MarketplacesTable {
  id: string;
  name: string;
  currency: string;
  region: string;
  holiday_calendar: string;
  time_zone: string;
  /** BCP 47 locale of the marketplace's people: a new customer's language, how dates and money read. */
  locale: string;
  created_at: Timestamp;
  updated_at: Timestamp;
}

/** Every marketplace a seller sells in, its home one among them (migration 0020_b). */
export interface SellerMarketplacesTable {
  seller_id: string;
  marketplace_id: string;
  created_at: Timestamp;
}

export interface PolicyVersionsTable {
  id: string;
  marketplace_id: string;
  version: number;
  policy: Json<unknown>;
  effective_at: Timestamp;
  created_by: string;
}

export interface SellersTable {
  id: string;
  marketplace_id: string;
  name: string;
  kind: Generated<string>;
  standing: string;
  contact: Json<Record<string, unknown>>;
  insurance_status: Generated<string>;
  insurance_required_since: ColumnType<Date | null, Date | null | undefined, Date | null>;
  insurance_grace_until: ColumnType<Date | null, Date | null | undefined, Date | null>;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface ProductsTable {
  id: string;
  seller_id: string;
  /** The seller's home marketplace (migration 0023): the Citus distribution column. Nullable in the
   * database until a later release sets NOT NULL (rows of a rolling upgrade); typed as required so
   * every writer of this release sets it. The same holds for the other tables 0023 gave it. */
  marketplace_id: string;
  title: string;
  category: string;
  listing_status: Generated<string>;
  counterfeit_flagged_at: ColumnType<Date | null, Date | null | undefined, Date | null>;
  brand: ColumnType<string | null, string | null | undefined, string | null>;
  upc: ColumnType<string | null, string | null | undefined, string | null>;
  model_number: ColumnType<string | null, string | null | undefined, string | null>;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface CustomersTable {
  id: string;
  marketplace_id: string;
  name: string;
  email: string;
  account_created_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
  birth_year: ColumnType<number | null, number | null | undefined, number | null>;
  region: ColumnType<string | null, string | null | undefined, string | null>;
  language: ColumnType<string, string | undefined, string>;
  /** HMAC blind indexes of the sealed name and e-mail (src/privacy/sealing.ts). */
  name_index: ColumnType<string | null, string | null | undefined, string | null>;
  email_index: ColumnType<string | null, string | null | undefined, string | null>;
  erased_at: ColumnType<Date | null, Date | null | undefined, Date | null>;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface OrdersTable {
  id: string;
  marketplace_id: string;
  customer_id: string;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface OrderLinesTable {
  order_id: string;
  line_id: string;
  /** The order's (migration 0023): the Citus distribution column. */
  marketplace_id: string;
  product_id: string;
  seller_id: string;
  quantity: number;
  unit_price: number;
  currency: string;
  delivered_at: Timestamp | null;
}

export interface ClaimsTable {
  id: string;
  marketplace_id: string;
  order_id: string;
  line_id: string;
  customer_id: string;
  seller_id: string | null;
  product_id: string | null;
  type: string;
  incident_at: Timestamp;
  description: string;
  amount: number;
  approved_amount: number | null;
  currency: string;
  damages: Json<unknown>;
  status: string;
  payer: string | null;
  step_in: Generated<boolean>;
  policy_version_id: string;
  policy_version: number;
  denial_reason: string | null;
  review_kind: string | null;
  risk: Json<unknown> | null;
  seller_response: Json<unknown> | null;
  seller_notified_at: Timestamp | null;
  seller_deadline: Timestamp | null;
  info_deadline: Timestamp | null;
  appeal_deadline: Timestamp | null;
  appealed_at: Timestamp | null;
  decided_at: Timestamp | null;
  filed_at: Timestamp;
  filed_by_role: string;
  filed_by_id: string | null;
  updated_at: Timestamp;
  last_event_seq: Generated<number>;
  last_event_hash: Generated<string>;
  insurer_id: ColumnType<string | null, string | null | undefined, string | null>;
  payment_deadline: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
  narrative_signature: ColumnType<number[] | null, unknown, unknown>;
  covering_policy_id: ColumnType<string | null, string | null | undefined, string | null>;
  recall_id: ColumnType<string | null, string | null | undefined, string | null>;
  /** Filed saying photos are coming: the marketplace's payout waits for them until then. */
  evidence_due_at: ColumnType<Date | null, Date | null | undefined, Date | null>;
  public_recall_id: ColumnType<string | null, string | null | undefined, string | null>;
  /** The agent (API key) working the claim, and the name shown for it (0019_e). */
  owner_id: ColumnType<string | null, string | null | undefined, string | null>;
  owner_name: ColumnType<string | null, string | null | undefined, string | null>;
  owner_since: ColumnType<Date | null, Date | null | undefined, Date | null>;
  /** When the review in progress must end (policy reviewBusinessDays); escalated once passed. */
  review_due_at: ColumnType<Date | null, Date | null | undefined, Date | null>;
  review_escalated_at: ColumnType<Date | null, Date | null | undefined, Date | null>;
  /** How the claim came in: web or api (the claimant), phone, email, letter or chat (an agent; 0020_a). */
  channel: ColumnType<string | null, string | null | undefined, string | null>;
  /** In litigation since: automated deadlines and step-in stop; only a person closes it. */
  matter_opened_at: ColumnType<Date | null, Date | null | undefined, Date | null>;
}

export interface PublicRecallsTable {
  id: string;
  recall_number: string;
  recall_date: ColumnType<string | null, string | null | undefined, string | null>;
  title: string;
  description: string;
  hazards: Json<string[]>;
  remedy: string;
  manufacturers: Json<string[]>;
  brands: Json<string[]>;
  product_names: Json<string[]>;
  model_numbers: Json<string[]>;
  upcs: Json<string[]>;
  sold_at: Json<string[]>;
  url: string | null;
  brand_keys: Json<string[]>;
  model_keys: Json<string[]>;
  upc_keys: Json<string[]>;
  imported_at: Timestamp;
  updated_at: Timestamp;
}

export interface PublicRecallMatchesTable {
  id: string;
  public_recall_id: string;
  product_id: string;
  marketplace_id: string;
  method: 'upc' | 'model_number' | 'brand_title';
  score: number;
  matched_terms: Json<string[]>;
  status: 'pending' | 'confirmed' | 'rejected';
  decided_by: string | null;
  decided_at: Date | null;
  note: string | null;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface ClaimEventsTable {
  claim_id: string;
  seq: number;
  id: string;
  type: string;
  at: Timestamp;
  actor_role: string;
  actor_id: string | null;
  request_id: string | null;
  reason: string | null;
  data: Json<Record<string, unknown>>;
  prev_hash: string;
  hash: string;
}

export interface EvidenceTable {
  id: string;
  claim_id: string;
  /** The claim's (migration 0023): the Citus distribution column. */
  marketplace_id: string;
  /** Of the bytes as uploaded: the duplicate-file signal. */
  sha256: string;
  /** Of the sanitised bytes kept in the blob store and served. */
  content_sha256: string;
  media_type: string;
  size_bytes: number;
  filename: string | null;
  purpose: string;
  phash: ColumnType<string | null, string | null | undefined, string | null>;
  uploaded_by_role: string;
  uploaded_by_id: string | null;
  created_at: Timestamp;
}

export interface LedgerAccountsTable {
  id: string;
  marketplace_id: string;
  kind: string;
  party_id: string | null;
  currency: string;
  balance: Generated<number>;
  created_at: Timestamp;
}

/** A running part of a shared account's balance, one per database session slot (migration 0019_c). */
export interface LedgerBalanceStripesTable {
  account_id: string;
  stripe: number;
  balance: number;
}

export interface JournalEntriesTable {
  id: string;
  marketplace_id: string;
  claim_id: string | null;
  kind: string;
  memo: string | null;
  reverses_entry_id: string | null;
  created_at: Timestamp;
}

export interface JournalLinesTable {
  entry_id: string;
  line_no: number;
  /** The entry's (migration 0023): the Citus distribution column. */
  marketplace_id: string;
  account_id: string;
  amount: number;
  currency: string;
}

export interface PayoutsTable {
  id: string;
  claim_id: string;
  marketplace_id: string;
  customer_id: string;
  payer: string;
  amount: number;
  currency: string;
  provider: string;
  status: string;
  attempts: Generated<number>;
  next_attempt_at: Timestamp | null;
  lease_until: Timestamp | null;
  provider_reference: string | null;
  last_error: string | null;
  created_at: Timestamp;
  settled_at: Timestamp | null;
  /** Set when a flag holds the payout; with status executing: the hold came while the provider was asked. */
  held_at: Timestamp | null;
  hold_reason: string | null;
}

export interface RecoveriesTable {
  id: string;
  claim_id: string;
  marketplace_id: string;
  debtor: Generated<'seller' | 'customer'>;
  seller_id: string | null;
  customer_id: string | null;
  insurer_id: string | null;
  amount: number;
  currency: string;
  status: string;
  waiver_reason: string | null;
  offset_amount: Generated<number>;
  recovered_amount: Generated<number>;
  written_off_amount: Generated<number>;
  written_off_reason: string | null;
  due_at: Timestamp | null;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface IdentitiesTable {
  kind: string;
  value_hash: string;
  /** Which identity key made the hash ('sha256' for rows from before keyed hashing). */
  key_id: string;
}

export interface ExpertsTable {
  id: string;
  marketplace_id: string;
  organisation: string;
  name: string;
  email: ColumnType<string | null, string | null | undefined, string | null>;
  active: Generated<boolean>;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface ReferralsTable {
  id: string;
  claim_id: string;
  /** The claim's (migration 0023): the Citus distribution column. */
  marketplace_id: string;
  expert_id: string;
  status: string;
  reason: string;
  due_at: Timestamp;
  verdict: string | null;
  notes: string | null;
  confidence: string | null;
  answered_at: Timestamp | null;
  created_at: Timestamp;
  created_by: string;
}

export interface WebhookEndpointsTable {
  id: string;
  owner_role: string;
  owner_id: string;
  url: string;
  event_types: ColumnType<string[], unknown, unknown>;
  secret: string;
  previous_secret: ColumnType<string | null, string | null | undefined, string | null>;
  previous_secret_expires_at: ColumnType<Date | null, Date | null | undefined, Date | null>;
  active: Generated<boolean>;
  created_at: Timestamp;
  deleted_at: ColumnType<Date | null, Date | null | undefined, Date | null>;
}

export interface WebhookDeliveriesTable {
  id: string;
  endpoint_id: string;
  outbox_id: number;
  message_id: string;
  event_type: string;
  aggregate_id: string;
  status: string;
  attempts: Generated<number>;
  replayed_after: Generated<number>;
  next_attempt_at: Timestamp | null;
  lease_until: Timestamp | null;
  last_status: number | null;
  last_error: string | null;
  created_at: Timestamp;
  delivered_at: Timestamp | null;
}

export interface WebhookAttemptsTable {
  delivery_id: string;
  attempt: number;
  at: Timestamp;
  status_code: number | null;
  error: string | null;
  duration_ms: number;
  response_excerpt: string | null;
}

export interface MailDeliveriesTable {
  id: string;
  outbox_id: number;
  recipient_role: string;
  recipient_id: string;
  to_address: string;
  language: string;
  template: string;
  status: string;
  attempts: Generated<number>;
  next_attempt_at: Timestamp | null;
  last_error: string | null;
  created_at: Timestamp;
  sent_at: Timestamp | null;
  /** Set while a worker sends it (send-mail.ts); null when no send is under way. */
  lease_until: ColumnType<Date | null, Date | null | undefined, Date | null>;
}

export interface InsurersTable {
  id: string;
  name: string;
  financial_rating: string | null;
  contact_email: string | null;
  network_status: Generated<string>;
  vetted_at: Timestamp | null;
  vetted_by: string | null;
  appetite: Json<unknown> | null;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface InsurancePoliciesTable {
  id: string;
  seller_id: string;
  insurer_id: string;
  policy_number: string;
  per_occurrence: number;
  aggregate: number;
  deductible: number;
  currency: string;
  additional_insured: boolean;
  effective_from: Timestamp;
  expires_at: Timestamp;
  status: string;
  certificate: Json<{ sha256: string; mediaType: string; sizeBytes: number; filename: string | null }> | null;
  rejection_reason: string | null;
  verified_at: Timestamp | null;
  verified_by: string | null;
  source: string;
  quote_id: string | null;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface TendersTable {
  id: string;
  kind: string;
  marketplace_id: string;
  claim_id: string;
  recovery_id: string | null;
  seller_id: string;
  insurer_id: string;
  policy_id: string;
  amount: number;
  deductible: number;
  currency: string;
  status: string;
  due_at: Timestamp;
  question: string | null;
  information: string | null;
  decline_reason: string | null;
  payment_reference: string | null;
  answered_at: Timestamp | null;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface QuoteRequestsTable {
  id: string;
  marketplace_id: string;
  seller_id: string;
  currency: string;
  sales: Json<{ category: string; annualSales: number }[]>;
  desired_per_occurrence: number;
  desired_aggregate: number;
  claims_history: Json<{ claims: number; paidAmount: number; years: number }>;
  compliance: string;
  declined_by: Json<{ insurerId: string; name: string; rules: { rule: string; detail: string }[] }[]>;
  invited: Json<string[]>;
  respond_by: Timestamp;
  status: string;
  created_at: Timestamp;
}

export interface InsuranceQuotesTable {
  id: string;
  request_id: string;
  insurer_id: string;
  source: string;
  premium: number;
  platform_fee: Generated<number>;
  currency: string;
  per_occurrence: number;
  aggregate: number;
  deductible: number;
  exclusions: Json<string[]>;
  rating: Json<unknown> | null;
  valid_until: Timestamp;
  status: string;
  policy_id: string | null;
  created_at: Timestamp;
}

export interface ClaimHazardsTable {
  claim_id: string;
  marketplace_id: string;
  product_id: string;
  category: string;
  hazard: string;
  severity: number;
  terms: Json<{ hazard: string[]; severity: string[]; counterfeit: string[] }>;
  counterfeit: boolean;
  filed_at: Timestamp;
  secondary: Json<string[]>;
  confidence: ColumnType<number, number | undefined, number>;
  review_reasons: Json<string[]>;
  /** 'pending' while a person should code the claim's hazard, 'coded' once one has. */
  review_status: 'pending' | 'coded' | null;
  machine_hazard: string | null;
  machine_severity: number | null;
  coded_by: string | null;
  coded_at: Timestamp | null;
  brand_key: ColumnType<string | null, string | null | undefined, string | null>;
  family_key: ColumnType<string | null, string | null | undefined, string | null>;
  /** The fitted hazard model version that broke a tie in this claim's verdict, if one did. */
  model_version: ColumnType<number | null, number | null | undefined, number | null>;
}

export interface HazardModelsTable {
  id: string;
  version: number;
  model: Json<Record<string, unknown>>;
  evaluation: Json<Record<string, unknown>>;
  labels: number;
  trained_on: number;
  held_back: number;
  fitted_by: string;
  created_at: Timestamp;
}

export interface SafetyAlertsTable {
  id: string;
  marketplace_id: string;
  product_id: string;
  hazard: string;
  rule: string;
  status: string;
  evidence: Json<Record<string, unknown>>;
  reportable: boolean;
  triage_note: string | null;
  triaged_by: string | null;
  triaged_at: Timestamp | null;
  recall_id: string | null;
  group_key: ColumnType<string | null, string | null | undefined, string | null>;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface RegulatorReportsTable {
  id: string;
  alert_id: string;
  marketplace_id: string;
  product_id: string;
  regulator: string;
  status: string;
  due_at: Timestamp;
  draft: Json<Record<string, unknown>>;
  submitted_at: Timestamp | null;
  submission_reference: string | null;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface RecallsTable {
  id: string;
  marketplace_id: string;
  product_id: string;
  hazard: string;
  remedy: string;
  units_affected: number;
  description: string;
  status: string;
  alert_id: string | null;
  created_by: string | null;
  created_at: Timestamp;
}

export interface RecallNoticesTable {
  recall_id: string;
  customer_id: string;
  units: number;
  status: string;
  response: string | null;
  notified_at: Timestamp;
  responded_at: Timestamp | null;
  remedied_at: Timestamp | null;
}

export interface SessionsTable {
  token_sha256: string;
  api_key_id: string;
  csrf_token: string;
  created_at: Timestamp;
  expires_at: Timestamp;
  revoked_at: Timestamp | null;
}

/** Each applied migration's source checksum (src/platform/db/migration-history.ts). */
export interface MigrationChecksumsTable {
  name: string;
  sha256: string;
  recorded_at: ColumnType<Date, Date | undefined, never>;
}

export interface DataKeysTable {
  owner: string;
  wrapped_key: string | null;
  master_key_id: string | null;
  destroyed_at: Timestamp | null;
}

export interface PersonalDataErasuresTable {
  id: string;
  customer_id: string;
  actor_role: string;
  actor_id: string | null;
  request_id: string | null;
  reason: string;
  claim_ids: Json<string[]>;
  evidence_files_deleted: number;
  mail_files_deleted: number;
  erased_at: Timestamp;
}

/** The one description of every table; each domain's store queries through it. */
export interface Database {
  api_keys: ApiKeysTable;
  sessions: SessionsTable;
  test_clock: TestClockTable;
  idempotency_keys: IdempotencyKeysTable;
  outbox: OutboxTable;
  timers: TimersTable;
  marketplaces: MarketplacesTable;
  policy_versions: PolicyVersionsTable;
  sellers: SellersTable;
  products: ProductsTable;
  customers: CustomersTable;
  orders: OrdersTable;
  order_lines: OrderLinesTable;
  claims: ClaimsTable;
  claim_events: ClaimEventsTable;
  evidence: EvidenceTable;
  ledger_accounts: LedgerAccountsTable;
  seller_marketplaces: SellerMarketplacesTable;
  ledger_balance_stripes: LedgerBalanceStripesTable;
  journal_entries: JournalEntriesTable;
  journal_lines: JournalLinesTable;
  payouts: PayoutsTable;
  recoveries: RecoveriesTable;
  customer_identities: IdentitiesTable & { customer_id: string };
  seller_identities: IdentitiesTable & { seller_id: string };
  claim_narrative_bands: { claim_id: string; band: number; hash: string };
  claim_paraphrase_signatures: {
    claim_id: string;
    customer_id: string;
    signature: ColumnType<{ lemmas: number[]; grams: number[]; size: number }, unknown, unknown>;
  };
  claim_paraphrase_bands: { claim_id: string; band: number; hash: string };
  evidence_phash_chunks: { evidence_id: string; claim_id: string; chunk: number; value: number };
  experts: ExpertsTable;
  referrals: ReferralsTable;
  webhook_endpoints: WebhookEndpointsTable;
  webhook_deliveries: WebhookDeliveriesTable;
  webhook_attempts: WebhookAttemptsTable;
  mail_deliveries: MailDeliveriesTable;
  insurers: InsurersTable;
  insurance_policies: InsurancePoliciesTable;
  tenders: TendersTable;
  quote_requests: QuoteRequestsTable;
  insurance_quotes: InsuranceQuotesTable;
  claim_hazards: ClaimHazardsTable;
  hazard_models: HazardModelsTable;
  category_amount_norms: {
    category: string;
    claim_type: string;
    p90: number | null;
    claims: number;
    computed_at: Timestamp;
  };
  category_baselines: {
    marketplace_id: string;
    category: string;
    units: number;
    claims_by_hazard: Json<Record<string, number>>;
    computed_at: Timestamp;
  };
  product_unit_counts: {
    marketplace_id: string;
    product_id: string;
    units: number;
    computed_at: Timestamp;
  };
  safety_alerts: SafetyAlertsTable;
  regulator_reports: RegulatorReportsTable;
  recalls: RecallsTable;
  recall_notices: RecallNoticesTable;
  data_keys: DataKeysTable;
  personal_data_erasures: PersonalDataErasuresTable;
  public_recalls: PublicRecallsTable;
  public_recall_matches: PublicRecallMatchesTable;
  screening_labels: {
    claim_id: string;
    fraudulent: boolean;
    source: string;
    signals: ColumnType<string[], unknown, unknown>;
    labelled_at: Timestamp;
  };
  redress_migration_checksums: MigrationChecksumsTable;
  blobs: { sha256: string; size_bytes: number; chunk_count: number; created_at: Generated<Date> };
  blob_chunks: { sha256: string; seq: number; data: Buffer };
  import_jobs: ImportJobsTable;
  import_chunks: { import_id: string; seq: number; first_line: number; bytes: Buffer };
  import_errors: { import_id: string; line: number; field: string; rule: string };
  contests: ContestsTable;
  tpas: { id: string; name: string; created_at: Timestamp; updated_at: Timestamp };
  tpa_marketplaces: {
    tpa_id: string;
    marketplace_id: string;
    assigned_at: Timestamp;
    assigned_by_role: string;
    assigned_by_id: string | null;
  };
  tpa_assignment_log: {
    id: string;
    tpa_id: string;
    marketplace_id: string;
    action: 'assigned' | 'unassigned';
    reason: string | null;
    at: Timestamp;
    actor_role: string;
    actor_id: string | null;
  };
  matters: {
    claim_id: string;
    marketplace_id: string;
    cause: 'claimant_sued' | 'counsel_involved';
    counsel: string | null;
    court: string | null;
    case_number: string | null;
    opened_at: Timestamp;
    opened_by_role: string;
    opened_by_id: string | null;
    closed_at: Timestamp | null;
    closed_by_role: string | null;
    closed_by_id: string | null;
    closing_note: string | null;
  };
}

export interface ContestsTable {
  id: string;
  claim_id: string;
  marketplace_id: string;
  seller_id: string;
  status: 'open' | 'upheld' | 'reversed';
  reason: string;
  evidence_ids: Json<string[]>;
  filed_by_role: string;
  filed_by_id: string | null;
  window_closed_at: Timestamp;
  filed_at: Timestamp;
  decided_at: Timestamp | null;
  decided_by_role: string | null;
  decided_by_id: string | null;
  decision_note: string | null;
  reversal: Json<{ recoveryId: string; cancelled: number; refunded: number }[]> | null;
}

export type ImportJobStatus = 'receiving' | 'queued' | 'running' | 'succeeded' | 'failed';

export interface ImportJobsTable {
  id: string;
  format: 'ndjson' | 'csv';
  csv_header: ColumnType<string | null, string | null | undefined, string | null>;
  status: ImportJobStatus;
  created_by: string;
  created_by_role: string;
  created_at: Timestamp;
  started_at: ColumnType<Date | null, Date | null | undefined, Date | null>;
  finished_at: ColumnType<Date | null, Date | null | undefined, Date | null>;
  bytes_total: Generated<number>;
  chunks_total: Generated<number>;
  chunks_done: Generated<number>;
  bytes_done: Generated<number>;
  lines: Generated<number>;
  imported: Generated<number>;
  failed: Generated<number>;
  by_kind: ColumnType<Record<string, number>, unknown, unknown>;
  attempts: Generated<number>;
  lease_owner: ColumnType<string | null, string | null | undefined, string | null>;
  lease_until: ColumnType<Date | null, Date | null | undefined, Date | null>;
  failure: ColumnType<string | null, string | null | undefined, string | null>;
}
