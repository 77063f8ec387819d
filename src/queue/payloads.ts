import { z } from 'zod';

/**
 * What the queues carry: ids only, never input text or secrets (BullMQ stores data in clear,
 * and a job can outlive the deploy that wrote it). Parsed when enqueued and when dequeued.
 */
const jobId = z.string().regex(/^job_[a-f0-9]{24}$/, 'not a job id');

export const controlPayloadSchema = z.discriminatedUnion('kind', [
  /** Enqueues the job's items; safe to run twice. */
  z.object({ kind: z.literal('dispatch'), jobId }),
  /** Runs when every item has ended: concatenation, final status, webhook. */
  z.object({ kind: z.literal('finalise'), jobId }),
  /** Deletes a job's audio and records once its retention has passed. */
  z.object({ kind: z.literal('expire'), jobId }),
]);

export const itemPayloadSchema = z.object({ jobId, index: z.number().int().nonnegative() });
export type ItemPayload = z.infer<typeof itemPayloadSchema>;

export const webhookPayloadSchema = z.object({
  jobId,
  /** The event id, kept across retries as `webhook-id`. */
  eventId: z.string().min(1),
  type: z.enum(['speech.job.completed', 'speech.job.failed', 'speech.job.cancelled']),
  /** Unix seconds when the event happened; retries stop a window after it. */
  createdAt: z.number().int(),
});
export type WebhookPayload = z.infer<typeof webhookPayloadSchema>;
