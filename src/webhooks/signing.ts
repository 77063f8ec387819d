import { randomBytes } from 'node:crypto';
import { Webhook } from 'standardwebhooks';

/** A new Standard Webhooks secret: `whsec_` and 24 random bytes in base64. */
export function generateWebhookSecret(): string {
  return `whsec_${randomBytes(24).toString('base64')}`;
}

/** The three Standard Webhooks headers for one attempt; the id stays the same across retries. */
export function signWebhook(secret: string, eventId: string, body: string, now: Date): Record<string, string> {
  const signature = new Webhook(secret).sign(eventId, now, body);
  return { 'webhook-id': eventId, 'webhook-timestamp': String(Math.floor(now.getTime() / 1000)), 'webhook-signature': signature };
}

/**
 * Checks a delivery's Standard Webhooks headers against `secret`, as a receiver does: the
 * signature over `webhook-id.webhook-timestamp.body`, and a timestamp within five minutes.
 * Returns the parsed body; throws `WebhookVerificationError` when anything does not match.
 */
export function verifyWebhookSignature(secret: string, headers: Readonly<Record<string, string>>, body: string | Buffer): unknown {
  return new Webhook(secret).verify(body, { ...headers });
}

export { WebhookVerificationError } from 'standardwebhooks';
