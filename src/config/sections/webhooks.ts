import { z } from 'zod';

/** Webhook delivery: retries over a window, a timeout per attempt, and the SSRF guard. */
export const webhookSettingsSchema = z.looseObject({
  /** Lets webhooks reach private, loopback and link-local addresses (tests, private networks). */
  allow_private_networks: z.boolean().default(false),
  timeout_seconds: z.number().positive().default(10),
  /** Retries stop once this long has passed since the first attempt. */
  retry_window_seconds: z.number().positive().default(86_400),
  max_attempts: z.number().int().positive().default(20),
  /** The first retry waits about this long, doubling after, with jitter. */
  initial_backoff_seconds: z.number().positive().default(5),
  max_backoff_seconds: z.number().positive().default(3600),
});
