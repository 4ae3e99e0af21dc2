import { Webhook } from 'standardwebhooks';

export interface SigningSecrets {
  secret: string;
  previous_secret: string | null;
  previous_secret_expires_at: Date | null;
}

/**
 * The webhook-signature header. Standard Webhooks lets it carry several space-separated
 * signatures and a receiver accepts the message if any one verifies; so while a rotated secret's
 * overlap lasts, each message is signed with the new secret and the old one, and receivers can
 * switch at their own pace without rejecting a message.
 */
export function signatureHeader(
  secrets: SigningSecrets,
  messageId: string,
  sentAt: Date,
  body: string,
): string {
  const stillValid =
    secrets.previous_secret &&
    secrets.previous_secret_expires_at &&
    secrets.previous_secret_expires_at > sentAt
      ? [secrets.previous_secret]
      : [];
  return [secrets.secret, ...stillValid].map((s) => new Webhook(s).sign(messageId, sentAt, body)).join(' ');
}

/** The headers of one webhook message, the same for a real delivery and a test one. */
export function webhookHeaders(
  secrets: SigningSecrets,
  messageId: string,
  sentAt: Date,
  body: string,
): Record<string, string> {
  return {
    'content-type': 'application/json',
    'webhook-id': messageId,
    'webhook-timestamp': String(Math.floor(sentAt.getTime() / 1000)),
    'webhook-signature': signatureHeader(secrets, messageId, sentAt, body),
    'user-agent': 'Redress-Webhooks/1',
  };
}
