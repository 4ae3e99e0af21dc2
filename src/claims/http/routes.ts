import type { AppContext } from '../../platform/context.ts';
import type { App } from '../../platform/http/app-types.ts';
import { registerClaimActionRoutes } from './claim-actions-routes.ts';
import { registerClaimsRoutes } from './claims-routes.ts';
import { registerConsoleRoutes } from './console-routes.ts';
import { registerContestRoutes } from './contest-routes.ts';
import { registerEvidenceRoutes } from './evidence-routes.ts';
import { registerMatterRoutes } from './matter-routes.ts';

export function registerClaimRoutes(app: App, ctx: AppContext): void {
  registerClaimsRoutes(app, ctx);
  registerClaimActionRoutes(app, ctx);
  registerEvidenceRoutes(app, ctx);
  registerConsoleRoutes(app, ctx);
  registerContestRoutes(app, ctx);
  registerMatterRoutes(app, ctx);
}
