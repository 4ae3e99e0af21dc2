import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import type { Principal } from '../../platform/auth/roles.ts';
import type { AppContext } from '../../platform/context.ts';
import { findOwnEndpoint } from './endpoint-store.ts';

export const newSigningSecret = () => `whsec_${randomBytes(24).toString('base64')}`;

export const MAX_OVERLAP_SECONDS = 7 * 86_400;

export const ZSecretRotation = z
  .object({
    overlapSeconds: z
      .number()
      .int()
      .min(0)
      .max(MAX_OVERLAP_SECONDS)
      .default(86_400)
      .describe('How long the old secret keeps signing beside the new one; 0 ends it now'),
  })
  .meta({ example: { overlapSeconds: 86_400 } });

export const ZRotatedSecret = z.object({
  secret: z.string().describe('whsec_…: the new secret, shown only now'),
  previousSecretExpiresAt: z
    .string()
    .nullable()
    .describe('Until then every message carries a signature by each secret'),
});

/**
 * Gives the endpoint a new signing secret. The old one keeps signing beside it for the overlap,
 * so a receiver can deploy the new secret without rejecting messages in between. Rotating again
 * during an overlap retires the oldest secret at once: at most two are ever valid.
 */
export async function rotateWebhookSecret(
  ctx: AppContext,
  principal: Principal,
  id: string,
  overlapSeconds: number,
): Promise<z.infer<typeof ZRotatedSecret>> {
  return ctx.db.transaction().execute(async (tx) => {
    const endpoint = await findOwnEndpoint(tx, principal, id, { forUpdate: true });
    const secret = newSigningSecret();
    const expiresAt = overlapSeconds > 0 ? new Date(ctx.clock.now().getTime() + overlapSeconds * 1000) : null;
    await tx
      .updateTable('webhook_endpoints')
      .set({
        secret,
        previous_secret: expiresAt ? endpoint.secret : null,
        previous_secret_expires_at: expiresAt,
      })
      .where('id', '=', endpoint.id)
      .execute();
    return { secret, previousSecretExpiresAt: expiresAt?.toISOString() ?? null };
  });
}
