import { z } from 'zod';
import { jobSettingsSchema } from './sections/jobs.js';
import { storageSettingsSchema } from './sections/storage.js';
import { webhookSettingsSchema } from './sections/webhooks.js';
import { callbackSettingsSchema, governanceSettingsSchema, litellmSettingsSchema } from './sections/governance.js';
import { guardrailsSectionSchema } from './sections/guardrails.js';
import { cacheSettingsSchema } from './sections/cache.js';

/**
 * LiteLLM's proxy `config.yaml`, as far as speech is concerned, plus the gateway's own
 * sections written in the same style. Unknown LiteLLM sections are accepted and ignored so
 * an existing LiteLLM config loads unchanged.
 */

const positiveNumber = z.number().positive();

/** Provider-specific fields (api_key, vertex_project, aws_region_name, ...) stay in the object; each adapter validates its own. */
const litellmParamsSchema = z.looseObject({
  model: z.string().min(1, 'must name a model, for example "openai/tts-1"'),
  api_key: z.string().optional(),
  api_base: z.url().optional(),
  api_version: z.string().optional(),
  rpm: z.number().int().positive().optional(),
  tpm: z.number().int().positive().optional(),
  weight: positiveNumber.optional(),
  timeout: positiveNumber.optional(),
  stream_timeout: positiveNumber.optional(),
  input_cost_per_character: z.number().nonnegative().optional(),
  max_input_characters: z.number().int().positive().optional(),
  cooldown_time: z.number().nonnegative().optional(),
  /** The voice for a request that names none (LiteLLM's `litellm_params.voice`). */
  voice: z.string().min(1).optional(),
});
export type LitellmParams = z.infer<typeof litellmParamsSchema>;

const deploymentConfigSchema = z.object({
  model_name: z.string().min(1),
  litellm_params: litellmParamsSchema,
  model_info: z.looseObject({ id: z.string().min(1).optional() }).optional(),
});
export type DeploymentConfig = z.infer<typeof deploymentConfigSchema>;

const fallbackMapSchema = z.array(z.record(z.string(), z.array(z.string())));

const retryCount = z.number().int().nonnegative().optional();

/** LiteLLM's `RetryPolicy` (litellm/types/router.py): retries per error class, in place of `num_retries`. */
const retryPolicySchema = z.strictObject({
  BadRequestErrorRetries: retryCount,
  AuthenticationErrorRetries: retryCount,
  TimeoutErrorRetries: retryCount,
  RateLimitErrorRetries: retryCount,
  ContentPolicyViolationErrorRetries: retryCount,
  InternalServerErrorRetries: retryCount,
});
export type RetryPolicy = z.infer<typeof retryPolicySchema>;

/** LiteLLM's `AllowedFailsPolicy`: failures per error class a deployment may have in a minute before it cools down. */
const allowedFailsPolicySchema = z.strictObject({
  BadRequestErrorAllowedFails: retryCount,
  AuthenticationErrorAllowedFails: retryCount,
  TimeoutErrorAllowedFails: retryCount,
  RateLimitErrorAllowedFails: retryCount,
  ContentPolicyViolationErrorAllowedFails: retryCount,
  InternalServerErrorAllowedFails: retryCount,
});
export type AllowedFailsPolicy = z.infer<typeof allowedFailsPolicySchema>;

/** LiteLLM's `model_group_alias`: `alias: group`, or `alias: { model: group, hidden: true }` to keep it off /v1/models. */
const modelGroupAliasSchema = z.record(
  z.string().min(1),
  z.union([z.string().min(1), z.object({ model: z.string().min(1), hidden: z.boolean().default(false) })]),
);

export const routerSettingsSchema = z.looseObject({
  routing_strategy: z
    .enum(['simple-shuffle', 'least-busy', 'latency-based-routing', 'usage-based-routing', 'usage-based-routing-v2', 'cost-based-routing'])
    .default('simple-shuffle'),
  routing_strategy_args: z.looseObject({ ttl: positiveNumber.optional(), lowest_latency_buffer: z.number().nonnegative().optional() }).optional(),
  num_retries: z.number().int().nonnegative().default(2),
  retry_after: z.number().nonnegative().default(0),
  timeout: positiveNumber.optional(),
  fallbacks: fallbackMapSchema.default([]),
  default_fallbacks: z.array(z.string()).default([]),
  allowed_fails: z.number().int().nonnegative().default(3),
  cooldown_time: z.number().nonnegative().default(5),
  disable_cooldowns: z.boolean().default(false),
  retry_policy: retryPolicySchema.optional(),
  /** LiteLLM's per-group retry policies; a group's entry wins over `retry_policy`. */
  model_group_retry_policy: z.record(z.string(), retryPolicySchema).default({}),
  allowed_fails_policy: allowedFailsPolicySchema.optional(),
  model_group_alias: modelGroupAliasSchema.default({}),
  /**
   * LiteLLM's Router Redis. tts-gateway keeps its state, queues and records in one Redis, so these
   * name that Redis when no REDIS_* variable or cache_params topology does.
   */
  redis_host: z.string().min(1).optional(),
  redis_port: z.coerce.number().int().min(1).max(65_535).optional(),
  redis_password: z.string().min(1).optional(),
  /** Where the router keeps its shared state (cooldowns, in-flight calls, latencies, usage) in Redis. */
  redis_key_prefix: z.string().min(1).default('tts-gateway:router'),
});
export type RouterSettings = z.infer<typeof routerSettingsSchema>;

export const generalSettingsSchema = z.looseObject({
  master_key: z.string().min(1).optional(),
  max_request_size_mb: positiveNumber.default(4),
});

export const configSchema = z.looseObject({
  /** Speech models only: the others in a LiteLLM config are left out (with a warning) before this is read. */
  model_list: z.array(deploymentConfigSchema).default([]),
  router_settings: routerSettingsSchema.default(routerSettingsSchema.parse({})),
  general_settings: generalSettingsSchema.default(generalSettingsSchema.parse({})),
  storage_settings: storageSettingsSchema.default(storageSettingsSchema.parse({})),
  job_settings: jobSettingsSchema.default(jobSettingsSchema.parse({})),
  webhook_settings: webhookSettingsSchema.default(webhookSettingsSchema.parse({})),
  guardrails: guardrailsSectionSchema.default([]),
  governance_settings: governanceSettingsSchema.default(governanceSettingsSchema.parse({})),
  litellm_settings: litellmSettingsSchema.default(litellmSettingsSchema.parse({})),
  callback_settings: callbackSettingsSchema.default({}),
  cache_settings: cacheSettingsSchema.default(cacheSettingsSchema.parse({})),
});
export type GatewayConfig = z.infer<typeof configSchema>;
