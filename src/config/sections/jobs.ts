import { z } from 'zod';

/** How batch jobs run: worker concurrency, retries, retention and long-text splitting. */
export const jobSettingsSchema = z.looseObject({
  /** Items one worker process synthesizes at once. */
  concurrency: z.number().int().positive().default(8),
  max_items_per_job: z.number().int().positive().default(10_000),
  /** Tries per item, the first included. */
  item_attempts: z.number().int().positive().default(5),
  /** The first retry waits this long, doubling after (a provider's retry hint wins when longer). */
  item_backoff_seconds: z.number().positive().default(2),
  /** Job records and their audio are deleted this long after the job ends. */
  retention_hours: z.number().positive().default(168),
  /** Pieces of one long item synthesized at once. */
  chunk_parallelism: z.number().int().positive().default(4),
  /** How long a worker's lock on an item lasts; a dead worker's items come back after it. */
  lock_seconds: z.number().positive().default(30),
  /** Namespaces the queues and records in Redis, so several gateways can share one server. */
  redis_prefix: z
    .string()
    .regex(/^[A-Za-z0-9_-]+$/, 'letters, digits, _ and - only')
    .default('tts-gateway'),
  /** Idempotency keys are remembered this long. */
  idempotency_hours: z.number().positive().default(24),
});
