import type { Calendar } from '../marketplace/business-days.ts';
import type { Policy } from '../marketplace/policy.ts';
import { findMarketplace, findOrder, lockOrderLine } from '../marketplace/store.ts';
import type { Principal } from '../platform/auth/roles.ts';
import type { AppContext } from '../platform/context.ts';
import { json, type Tx } from '../platform/db/sql.ts';
import { loadClaimPolicy } from './claim-policy.ts';
import { checkEligibility } from './eligibility.ts';
import { recordClaimEvent } from './history.ts';
import { applyRouting, denyClaim } from './outcomes.ts';
import { completenessAssessor, type KnownFilingFacts } from './risk.ts';
import { routeAfterScreening } from './routing.ts';
import { type ClaimRow, hasOtherOpenClaimOnLine } from './store.ts';

/**
 * Screens a locked claim in `screening`: eligibility first (an ineligible claim is denied with
 * its code and kept), then the risk assessor, then routing. Runs at filing and again when the
 * claimant answers a request for information.
 */
export async function screenClaim(
  tx: Tx,
  ctx: AppContext,
  claim: ClaimRow,
  actor: Principal,
  known?: ScreeningContext,
): Promise<ClaimRow> {
  const { rules, marketplaceCurrency, order, line } = known ?? (await loadScreeningContext(tx, claim));
  const ineligible = checkEligibility({
    filedAt: claim.filed_at,
    incidentAt: claim.incident_at,
    amount: { value: claim.amount, currency: claim.currency },
    claimantCustomerId: claim.customer_id,
    marketplaceCurrency,
    order,
    line: line?.sellerKind ? { deliveredAt: line.deliveredAt, sellerKind: line.sellerKind } : null,
    openClaimOnLine: await hasOtherOpenClaimOnLine(tx, {
      orderId: claim.order_id,
      lineId: claim.line_id,
      exceptClaimId: claim.id,
    }),
    policy: rules.policy,
  });
  if (ineligible) return denyClaim(tx, ctx, claim, { code: ineligible, actor, rules });

  const assess = ctx.riskAssessor ?? completenessAssessor;
  const risk = await assess(tx, claim, rules.policy, known?.facts);
  const screened = await recordClaimEvent(
    tx,
    ctx.clock,
    claim,
    {
      type: 'claim.screened',
      actor,
      reason: risk.outcome,
      data: { score: risk.score, signals: risk.signals, hardRule: risk.hardRule },
    },
    { risk: json(risk) },
  );
  const routing = routeAfterScreening(risk.outcome, screened.amount, rules.policy);
  const reason = risk.signals.map((s) => s.code).join(',') || 'screening_passed';
  return applyRouting(tx, ctx, screened, routing, actor, rules, reason);
}

/** What screening reads besides the claim; a filing passes it in from its context (filing-context.ts). */
export interface ScreeningContext {
  rules: { policy: Policy; calendar: Calendar };
  marketplaceCurrency: string;
  /** The order, if it is in the claim's marketplace. */
  order: { customerId: string } | null;
  /** The line, locked; its seller's kind decides first- or third-party. */
  line: { deliveredAt: Date | null; sellerKind: string | null } | null;
  facts?: KnownFilingFacts;
}

/** A claim screened again (the claimant answered a question) reads its context here. */
async function loadScreeningContext(tx: Tx, claim: ClaimRow): Promise<ScreeningContext> {
  const rules = await loadClaimPolicy(tx, claim);
  const marketplace = await findMarketplace(tx, claim.marketplace_id);
  const order = await findOrder(tx, claim.order_id);
  const inMarketplace = order && order.marketplace_id === claim.marketplace_id;
  const line = inMarketplace ? await lockOrderLine(tx, claim.order_id, claim.line_id) : undefined;
  return {
    rules,
    marketplaceCurrency: marketplace?.currency ?? '',
    order: inMarketplace ? { customerId: order.customer_id } : null,
    line: line ? { deliveredAt: line.delivered_at, sellerKind: line.seller_kind } : null,
  };
}
