import type { Principal } from '../platform/auth/roles.ts';
import { AppError } from '../platform/errors.ts';

import { FILING_CHANNELS } from './claim-request.schemas.ts';

export { FILING_CHANNELS };
export type FilingChannel = (typeof FILING_CHANNELS)[number];
/** The claimant filing itself: in the web app, or through an integration with its key. */
export const SELF_SERVICE_CHANNELS = ['web', 'api'] as const satisfies readonly FilingChannel[];
/** An agent (or a TPA) taking the claim down for the claimant: how the claimant reached it. */
export const AGENT_CHANNELS = [
  'phone',
  'email',
  'letter',
  'chat',
] as const satisfies readonly FilingChannel[];

const refused = (rule: string) =>
  new AppError('validation_failed', `channel: ${rule}`, { errors: [{ field: 'body.channel', rule }] });

/**
 * The channel a filing is recorded under. A customer files itself (web or api; api when it does
 * not say); it cannot claim a channel only an agent takes a claim through, since the channel is
 * how the marketplace reads who wrote the narrative. An agent or TPA must say how the customer
 * reached it: phone, email, letter or chat.
 */
export function filingChannel(principal: Principal, asked: FilingChannel | undefined): FilingChannel {
  const selfService: readonly string[] = SELF_SERVICE_CHANNELS;
  const agentChannels: readonly string[] = AGENT_CHANNELS;
  if (principal.role === 'customer') {
    if (asked === undefined) return 'api';
    if (!selfService.includes(asked))
      throw refused(`a customer filing itself files by ${SELF_SERVICE_CHANNELS.join(' or ')}`);
    return asked;
  }
  if (asked === undefined || !agentChannels.includes(asked))
    throw refused(`required when staff file for a customer: one of ${AGENT_CHANNELS.join(', ')}`);
  return asked;
}
