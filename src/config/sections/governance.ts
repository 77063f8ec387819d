import { z } from 'zod';
import { DURATION_HINT, parseDuration } from '../duration.js';
import { cacheParamsSchema } from './cache.js';

/** Virtual keys, spend logs, end-user budgets, logging callbacks and metrics. */

const durationSchema = z.string().refine((text) => parseDuration(text) !== undefined, { message: DURATION_HINT });

/** The gateway's own section, in LiteLLM's style. */
export const governanceSettingsSchema = z.object({
  /** Every Redis key written for keys and spend starts with this. */
  redis_prefix: z.string().min(1).default('tts-gateway:governance:'),
  /** Spend records older than this are dropped. */
  spend_log_retention_days: z.number().positive().default(30),
  /** How often `litellm_settings.max_end_user_budget` starts afresh; without it the budget is lifetime. */
  end_user_budget_duration: durationSchema.optional(),
  /** Ask for a key on `GET /metrics` (LiteLLM's `require_auth_for_metrics_endpoint`). */
  require_auth_for_metrics_endpoint: z.boolean().default(false),
});

/** The LiteLLM fields read here; every other LiteLLM setting is accepted and ignored. */
export const litellmSettingsSchema = z.looseObject({
  /** USD an end user (OpenAI's `user`) may spend; LiteLLM's name. */
  max_end_user_budget: z.number().nonnegative().optional(),
  callbacks: z.array(z.string()).default([]),
  success_callback: z.array(z.string()).default([]),
  failure_callback: z.array(z.string()).default([]),
  /** LiteLLM's response cache switch; for speech see `cache_params` and `src/cache/`. */
  cache: z.boolean().default(false),
  cache_params: cacheParamsSchema.optional(),
  /** LiteLLM's switch: a request field the provider does not take is dropped (with a warning) instead of refused. */
  drop_params: z.boolean().default(false),
});

/**
 * LiteLLM's `callback_settings.<name>` for `callback_type: generic_api`
 * (https://docs.litellm.ai/docs/observability/generic_api), plus batching knobs of ours.
 */
export const genericApiCallbackSchema = z.looseObject({
  callback_type: z.string(),
  endpoint: z.url().optional(),
  headers: z.record(z.string(), z.string()).default({}),
  event_types: z.array(z.enum(['llm_api_success', 'llm_api_failure'])).default(['llm_api_success', 'llm_api_failure']),
  batch_size: z.number().int().positive().default(100),
  flush_interval_seconds: z.number().positive().default(5),
  /** Records held while the endpoint is unreachable; the oldest are dropped past it. */
  max_buffer: z.number().int().positive().default(10_000),
  max_retries: z.number().int().nonnegative().default(3),
  timeout: z.number().positive().default(10),
});
export type GenericApiCallbackSettings = z.infer<typeof genericApiCallbackSchema>;

export const callbackSettingsSchema = z.record(z.string(), genericApiCallbackSchema);
