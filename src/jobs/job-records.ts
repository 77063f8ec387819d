import { z } from 'zod';
import { RESPONSE_FORMATS } from '../audio/formats.js';

/**
 * What a job keeps in Redis. Records are parsed when read: a record written by an older
 * deploy must fail loudly rather than be half understood.
 */
export const JOB_STATUSES = ['queued', 'in_progress', 'completed', 'failed', 'cancelled'] as const;
export type JobStatus = (typeof JOB_STATUSES)[number];
const TERMINAL_JOB_STATUSES: readonly JobStatus[] = ['completed', 'failed', 'cancelled'];

const ITEM_STATUSES = ['queued', 'in_progress', 'completed', 'failed', 'cancelled'] as const;

/** The parts of a job fixed at creation. */
export const jobDefinitionSchema = z.object({
  id: z.string(),
  keyId: z.string(),
  model: z.string(),
  format: z.enum(RESPONSE_FORMATS),
  total: z.number().int().positive(),
  createdAt: z.number().int(),
  concatenate: z.boolean(),
  metadata: z.record(z.string(), z.string()).nullable(),
  /** The base of audio URLs: `public_base_url`, else the origin the job was created through. */
  baseUrl: z.string(),
  webhook: z.object({ url: z.string(), secret: z.string() }).nullable(),
  endUser: z.string().optional(),
  requestId: z.string(),
});
export type JobDefinition = z.infer<typeof jobDefinitionSchema>;

/** One item's work, with the job's defaults already applied. */
export const itemSpecSchema = z.object({
  input: z.string(),
  customId: z.string().nullable(),
  voice: z.string(),
  format: z.enum(RESPONSE_FORMATS),
  speed: z.number(),
  instructions: z.string().optional(),
});
export type ItemSpec = z.infer<typeof itemSpecSchema>;

export const storedAudioSchema = z.object({
  key: z.string(),
  contentType: z.string(),
  bytes: z.number().int().nonnegative(),
  durationSeconds: z.number().nonnegative().nullable(),
});
export type StoredAudio = z.infer<typeof storedAudioSchema>;

/** An item's progress; absent until the item is first picked up. */
export const itemStateSchema = z.object({
  status: z.enum(ITEM_STATUSES),
  attempts: z.number().int().nonnegative().default(0),
  audio: storedAudioSchema.optional(),
  characters: z.number().int().nonnegative().optional(),
  costUsd: z.number().nonnegative().optional(),
  deployment: z.string().optional(),
  provider: z.string().optional(),
  error: z.object({ code: z.string(), message: z.string() }).optional(),
  /** Pieces synthesized separately and stitched, when the input was longer than a provider takes. */
  pieces: z.number().int().positive().optional(),
});
export type ItemState = z.infer<typeof itemStateSchema>;

/** How many delivery attempts a job remembers. */
export const WEBHOOK_HISTORY = 20;

function webhookAttemptSchema() {
  return z.object({
    attempt: z.number().int().positive(),
    /** Epoch seconds. */
    at: z.number().int(),
    status: z.number().int().nullable(),
    error: z.string().nullable(),
    outcome: z.enum(['delivered', 'retrying', 'failed', 'refused']),
  });
}
export type WebhookAttempt = z.infer<ReturnType<typeof webhookAttemptSchema>>;

export const webhookStateSchema = z.object({
  state: z.enum(['pending', 'delivering', 'delivered', 'failed']),
  attempts: z.number().int().nonnegative(),
  lastStatus: z.number().int().nullable(),
  lastError: z.string().nullable(),
  lastAttemptAt: z.number().int().nullable(),
  deliveredAt: z.number().int().nullable(),
  /** Each delivery attempt, oldest first (the most recent `WEBHOOK_HISTORY` of them); absent in records written before it was kept. */
  history: z.array(webhookAttemptSchema()).default([]),
});
export type WebhookState = z.infer<typeof webhookStateSchema>;

export function isTerminalJobStatus(status: JobStatus): boolean {
  return TERMINAL_JOB_STATUSES.includes(status);
}
