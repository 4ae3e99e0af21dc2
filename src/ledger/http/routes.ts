import type { AppContext } from '../../platform/context.ts';
import type { App } from '../../platform/http/app-types.ts';
import { registerLedgerAccountRoutes } from './ledger-account-routes.ts';
import { registerPaymentConfirmationRoutes } from './payment-confirmation-routes.ts';
import { registerRecoveryRoutes } from './recovery-routes.ts';
import { registerReportRoutes } from './report-routes.ts';
import { registerSellerProceedsRoutes } from './seller-proceeds-routes.ts';

/** The money routes, one file per resource. */
export function registerLedgerRoutes(app: App, ctx: AppContext): void {
  registerPaymentConfirmationRoutes(app, ctx);
  registerLedgerAccountRoutes(app, ctx);
  registerSellerProceedsRoutes(app, ctx);
  registerRecoveryRoutes(app, ctx);
  registerReportRoutes(app, ctx);
}
