import { z } from 'zod';

/**
 * LiteLLM's proxy `config.yaml`, as far as speech is concerned, plus the gateway's own
 * sections written in the same style. Unknown LiteLLM sections are accepted and ignored so
 * an existing LiteLLM config loads unchanged.
 */

const positiveNumber = z.number().positive();

/** Provider-specific fields (api_key, vertex_project, aws_region_name, ...) stay in the object; each adapter validates its own. */
export const litellmParamsSchema = z.looseObject({
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
});
export type LitellmParams = z.infer<typeof litellmParamsSchema>;

export const deploymentConfigSchema = z.object({
  model_name: z.string().min(1),
  litellm_params: litellmParamsSchema,
  model_info: z.looseObject({ id: z.string().min(1).optional() }).optional(),
});
export type DeploymentConfig = z.infer<typeof deploymentConfigSchema>;

const fallbackMapSchema = z.array(z.record(z.string(), z.array(z.string())));

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
});
export type RouterSettings = z.infer<typeof routerSettingsSchema>;

export const generalSettingsSchema = z.looseObject({
  master_key: z.string().min(1).optional(),
  max_request_size_mb: positiveNumber.default(4),
});
export type GeneralSettings = z.infer<typeof generalSettingsSchema>;

export const configSchema = z.looseObject({
  model_list: z.array(deploymentConfigSchema).min(1, 'needs at least one deployment'),
  router_settings: routerSettingsSchema.default(routerSettingsSchema.parse({})),
  general_settings: generalSettingsSchema.default(generalSettingsSchema.parse({})),
});
export type GatewayConfig = z.infer<typeof configSchema>;
