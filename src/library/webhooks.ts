import { z } from 'zod';
import { verifyWebhookSignature, WebhookVerificationError } from '../webhooks/signing.js';
import type { Job } from './jobs-client.js';

export { WebhookVerificationError };

/** What a job's webhook announces when the job ends. */
export interface WebhookEvent {
  readonly id: string;
  readonly type: 'speech.job.completed' | 'speech.job.failed' | 'speech.job.cancelled';
  readonly created_at: number;
  /** The job object, as `GET /v1/audio/speech/jobs/{id}` returns it. */
  readonly data: Job;
}

const eventSchema = z.looseObject({
  id: z.string(),
  type: z.enum(['speech.job.completed', 'speech.job.failed', 'speech.job.cancelled']),
  created_at: z.number(),
  data: z.looseObject({ id: z.string(), object: z.literal('speech.job'), status: z.string() }),
});

/** A request's headers in any of the shapes a Node server hands them over. */
export type WebhookHeaders = Headers | Readonly<Record<string, string | readonly string[] | undefined>>;

/**
 * Verifies a webhook delivery the gateway signed (Standard Webhooks: `webhook-id`,
 * `webhook-timestamp`, `webhook-signature`) and returns its event. Pass the body exactly as
 * received (the raw text or bytes, not re-serialised JSON). Throws `WebhookVerificationError`
 * when the signature, the secret or the timestamp does not match.
 *
 * ```ts
 * const event = verifyWebhook(request.headers, rawBody, process.env.WEBHOOK_SECRET);
 * if (event.type === 'speech.job.completed') console.log(event.data.items.length, 'items');
 * ```
 */
export function verifyWebhook(headers: WebhookHeaders, body: string | Buffer | Uint8Array, secret: string): WebhookEvent {
  const flat: Record<string, string> = {};
  const entries: Iterable<[string, unknown]> = headers instanceof Headers ? headers.entries() : Object.entries(headers);
  for (const [name, value] of entries) {
    const first = Array.isArray(value) ? value[0] : value;
    if (typeof first === 'string') flat[name.toLowerCase()] = first;
  }
  const payload = verifyWebhookSignature(secret, flat, typeof body === 'string' || Buffer.isBuffer(body) ? body : Buffer.from(body));
  const parsed = eventSchema.safeParse(payload);
  if (!parsed.success) throw new WebhookVerificationError('the signed body is not a speech job event');
  return parsed.data as unknown as WebhookEvent;
}
