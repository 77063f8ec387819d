import { z } from 'zod';

/**
 * LiteLLM's `litellm_settings.cache_params` (https://docs.litellm.ai/docs/proxy/caching), as
 * far as speech is concerned. Unknown fields are kept so that a LiteLLM config loads unchanged;
 * the ones that mean nothing here are named in a start-up warning by `resolveCacheSettings`.
 */
export const cacheParamsSchema = z.looseObject({
  /** Where the audio goes: `redis` and `local` use `storage_settings`, `s3` and `disk` their own store. */
  type: z.string().min(1).default('redis'),
  /** Prefixed to every key as `namespace:<hash>`, as LiteLLM does. */
  namespace: z
    .string()
    .regex(/^[\x21-\x7e]{1,128}$/, 'must be 1 to 128 printable ASCII characters without spaces')
    .optional(),
  /** Seconds an entry lives; without it entries live until evicted or deleted. */
  ttl: z.number().positive().optional(),
  /** Redis-only TTL in LiteLLM; the same meaning here, since the index is in Redis. */
  default_in_redis_ttl: z.number().positive().optional(),
  /** LiteLLM call types to cache; `speech` or `aspeech` turns speech caching on. */
  supported_call_types: z.array(z.string()).optional(),
  /** `default_on` (every request) or `default_off` (only requests that send `cache: {"use-cache": true}`). */
  mode: z.enum(['default_on', 'default_off']).default('default_on'),
  s3_bucket_name: z.string().min(1).optional(),
  s3_region_name: z.string().min(1).optional(),
  s3_endpoint_url: z.url().optional(),
  s3_aws_access_key_id: z.string().min(1).optional(),
  s3_aws_secret_access_key: z.string().min(1).optional(),
  /** A folder inside the bucket for the cache's objects. */
  s3_path: z.string().optional(),
  disk_cache_dir: z.string().min(1).optional(),
  /**
   * LiteLLM's Redis topology settings. tts-gateway keeps its queues, records, state and cache in
   * one Redis, so these name that Redis (when no REDIS_* variable does): `redis_startup_nodes`
   * a Cluster, `sentinel_nodes` + `service_name` a Sentinel-managed master.
   */
  redis_startup_nodes: z.array(z.unknown()).optional(),
  sentinel_nodes: z.array(z.unknown()).optional(),
  service_name: z.string().min(1).optional(),
  sentinel_password: z.string().min(1).optional(),
  username: z.string().min(1).optional(),
  password: z.string().min(1).optional(),
  ssl: z.boolean().optional(),
});

/** LiteLLM's cache_params, which may also name the gateway's Redis (see resolveRedisTarget). */
export type CacheParams = z.infer<typeof cacheParamsSchema>;

/** The gateway's own cache section, beside LiteLLM's keys. */
export const cacheSettingsSchema = z.object({
  /** Every Redis key of the cache index starts with this. */
  redis_prefix: z.string().min(1).default('tts-gateway:cache:'),
  /** Stored audio above this size evicts the least recently used entries. */
  max_size_mb: z.number().positive().default(1024),
  /** A request that finds an identical one in flight waits at most this long for its audio, then calls the provider itself. */
  lock_wait_seconds: z.number().positive().default(60),
  /** The lease of the request in flight; renewed while it streams, so a crashed process blocks the others no longer than this. */
  lock_seconds: z.number().positive().default(10),
  /** How often expired entries' audio is removed from storage. */
  sweep_interval_seconds: z.number().positive().default(60),
});
export type CacheSettings = z.infer<typeof cacheSettingsSchema>;
