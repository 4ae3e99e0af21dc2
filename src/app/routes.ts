import { registerClaimRoutes } from '../claims/http/routes.ts';
import { registerDemoSignInRoutes } from '../demo/http/demo-sign-in-routes.ts';
import { registerInsurerRoutes } from '../insurance/http/insurer-routes.ts';
import { registerPolicyRoutes } from '../insurance/http/policy-routes.ts';
import { registerQuoteRoutes } from '../insurance/http/quote-routes.ts';
import { registerTenderRoutes } from '../insurance/http/tender-routes.ts';
import { registerLedgerRoutes } from '../ledger/http/routes.ts';
import { registerImportRoutes } from '../marketplace/http/imports-routes.ts';
import { registerPolicyVersionRoutes } from '../marketplace/http/policy-version-routes.ts';
import { registerReferenceDataRoutes } from '../marketplace/http/reference-data-routes.ts';
import { registerTpaRoutes } from '../marketplace/http/tpa-routes.ts';
import { registerWebhookRoutes } from '../notifications/http/webhook-routes.ts';
import { registerApiKeyRoutes } from '../platform/auth/http/api-keys-routes.ts';
import type { AppContext } from '../platform/context.ts';
import type { App } from '../platform/http/app-types.ts';
import { registerPersonalDataRoutes } from '../privacy/http/personal-data-routes.ts';
import { registerSafetyAlertRoutes } from '../safety/http/alert-routes.ts';
import { registerClusterRoutes } from '../safety/http/cluster-routes.ts';
import { registerHazardCodingRoutes } from '../safety/http/hazard-coding-routes.ts';
import { registerPublicRecallRoutes } from '../safety/http/public-recall-routes.ts';
import { registerRecallRoutes } from '../safety/http/recall-routes.ts';
import { registerReferralRoutes } from '../screening/http/referral-routes.ts';
import { registerScreeningRoutes } from '../screening/http/screening-routes.ts';

/** Every domain's routes, in one list, so the API surface can be read in one place. */
export function registerDomainRoutes(app: App, ctx: AppContext, options: { demoSignIn: boolean }): void {
  if (options.demoSignIn) registerDemoSignInRoutes(app, ctx);
  registerApiKeyRoutes(app, ctx);
  registerReferenceDataRoutes(app, ctx);
  registerPolicyVersionRoutes(app, ctx);
  registerTpaRoutes(app, ctx);
  registerImportRoutes(app, ctx);
  registerClaimRoutes(app, ctx);
  registerLedgerRoutes(app, ctx);
  registerReferralRoutes(app, ctx);
  registerScreeningRoutes(app, ctx);
  registerWebhookRoutes(app, ctx);
  registerInsurerRoutes(app, ctx);
  registerPolicyRoutes(app, ctx);
  registerTenderRoutes(app, ctx);
  registerQuoteRoutes(app, ctx);
  registerSafetyAlertRoutes(app, ctx);
  registerClusterRoutes(app, ctx);
  registerHazardCodingRoutes(app, ctx);
  registerPublicRecallRoutes(app, ctx);
  registerRecallRoutes(app, ctx);
  registerPersonalDataRoutes(app, ctx);
}
