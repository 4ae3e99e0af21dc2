import type { z } from 'zod';
import type { Principal } from '../../platform/auth/roles.ts';
import type { AppContext } from '../../platform/context.ts';
import type { Tx } from '../../platform/db/sql.ts';
import type { App } from '../../platform/http/app-types.ts';
import { CLAIM_HANDLERS } from '../access.ts';
import { appealClaim, ZAppealRequest } from '../appeal-claim.ts';
import { decideClaim, ZDecisionRequest } from '../decide-claim.ts';
import {
  provideInformation,
  requestInformation,
  ZInformationAnswer,
  ZInformationRequest,
} from '../request-information.ts';
import { resolvePayoutHold, ZPayoutHoldDecision } from '../resolve-payout-hold.ts';
import { respondToClaim } from '../respond-to-claim.ts';
import { ZSellerResponseRequest } from '../seller-response.schemas.ts';
import type { ClaimRow } from '../store.ts';
import { ZClaim } from '../views.ts';
import { withdrawClaim, ZWithdrawRequest } from '../withdraw-claim.ts';
import { renderClaim, ZClaimParams } from './claims-routes.ts';

type Action<B> = (
  tx: Tx,
  ctx: AppContext,
  principal: Principal,
  claimId: string,
  body: B,
) => Promise<ClaimRow>;

interface ActionRoute<S extends z.ZodType> {
  path: string;
  roles: readonly ('admin' | 'agent' | 'tpa' | 'customer' | 'seller')[];
  summary: string;
  description?: string;
  body: S;
  run: Action<z.output<S>>;
}

/** Every claim action has the same shape: lock, check, move, in one transaction; answer the claim. */
function registerAction<S extends z.ZodType>(app: App, ctx: AppContext, action: ActionRoute<S>): void {
  app.route({
    method: 'POST',
    url: `/v1/claims/:id/${action.path}`,
    config: { roles: action.roles },
    schema: {
      summary: action.summary,
      ...(action.description ? { description: action.description } : {}),
      tags: ['claim actions'],
      params: ZClaimParams,
      body: action.body,
      response: { 200: ZClaim },
    },
    handler: async (request) =>
      ctx.db.transaction().execute(async (tx) => {
        const claim = await action.run(
          tx,
          ctx,
          request.principal,
          request.params.id,
          request.body as z.output<S>,
        );
        return renderClaim(tx, claim, request.principal);
      }),
  });
}

export function registerClaimActionRoutes(app: App, ctx: AppContext): void {
  registerAction(app, ctx, {
    path: 'seller-response',
    roles: ['seller'],
    summary: "The seller's answer: accept (seller pays), tender (its insurer pays) or dispute with a defense",
    description:
      'On a small claim the marketplace already approved, the seller may still defend its product ' +
      '(dispute) or acknowledge it (accept); the customer keeps the payout.',
    body: ZSellerResponseRequest,
    run: respondToClaim,
  });
  registerAction(app, ctx, {
    path: 'decision',
    roles: [...CLAIM_HANDLERS],
    summary: 'An agent decides a claim under review (risk, dispute or appeal)',
    description:
      'Approving a disputed claim makes the marketplace step in and pay. `amount` applies when the ' +
      'decision approves payment now. Denial reasons: unsubstantiated, frivolous, abusive, duplicate, not_covered.',
    body: ZDecisionRequest,
    run: decideClaim,
  });
  registerAction(app, ctx, {
    path: 'information-request',
    roles: [...CLAIM_HANDLERS],
    summary: 'Ask the claimant for more information, with a deadline',
    description:
      "The claim waits for the claimant (status awaiting_information) until they answer or the policy's " +
      '`claimantInformationDays` pass; the question is shown to them in their own words.',
    body: ZInformationRequest,
    run: requestInformation,
  });
  registerAction(app, ctx, {
    path: 'information',
    roles: ['customer', 'agent', 'tpa'],
    summary: 'The claimant answers a request for information; the claim is screened again',
    description:
      'Only while the claim is awaiting_information (409 otherwise). Attach files first with ' +
      'POST /v1/claims/{id}/evidence; the answer is text.',
    body: ZInformationAnswer,
    run: provideInformation,
  });
  registerAction(app, ctx, {
    path: 'withdraw',
    roles: ['customer', 'agent', 'tpa'],
    summary: 'Withdraw the claim (any time before payment)',
    description:
      'The claimant may withdraw at any time before a payout is made; the claim closes and cannot reopen.',
    body: ZWithdrawRequest,
    run: withdrawClaim,
  });
  registerAction(app, ctx, {
    path: 'appeal',
    roles: ['customer', 'agent', 'tpa'],
    summary: 'Appeal a denial, once, within the appeal window',
    description:
      "A denied claim may be appealed once, within the policy's `appealWindowDays`; an agent reviews it. " +
      'A second appeal or one after the window is 409.',
    body: ZAppealRequest,
    run: appealClaim,
  });
  registerAction(app, ctx, {
    path: 'payout-hold',
    roles: [...CLAIM_HANDLERS],
    summary: 'Release or cancel a payout held because a flag was raised after approval',
    description:
      '`release`: the flag does not stand; the claim is approved again and its payout is due (not ' +
      'before its evidence window ends). `cancel`: the flag stands; the payout is cancelled, its cost ' +
      'reversed, and the claim denied with the reason code (appealable once). Any open referral is ' +
      'withdrawn. The expert a held claim was referred to decides through its findings instead. ' +
      '409 when the claim has no held payout.',
    body: ZPayoutHoldDecision,
    run: resolvePayoutHold,
  });
}
