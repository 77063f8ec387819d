import { ConfigError } from '../config/config-error.js';
import type { CacheSettings } from '../config/sections/cache.js';
import type { StorageSettings } from '../config/sections/storage.js';
import type { GatewayConfig } from '../config/schema.js';

/** Where cached audio is kept: the jobs' store, or a store of its own. */
type CacheStorage = { readonly kind: 'shared' } | { readonly kind: 'own'; readonly settings: StorageSettings };

/** The cache as the config turns it on; undefined when it is off. */
export interface CacheConfig {
  /** LiteLLM's `cache_params.type`, as configured. */
  readonly type: string;
  readonly storage: CacheStorage;
  /** A folder for the cache's objects inside the store. */
  readonly objectPrefix: string;
  readonly namespace: string | undefined;
  readonly ttlSeconds: number | undefined;
  readonly mode: 'default_on' | 'default_off';
  readonly settings: CacheSettings;
}

export interface ResolvedCacheConfig {
  readonly cache: CacheConfig | undefined;
  /** Cache settings accepted without effect, for the start-up warning. */
  readonly warnings: readonly string[];
}

const SPEECH_CALL_TYPES = new Set(['speech', 'aspeech']);
/** LiteLLM's Redis connection fields: the index always lives in the gateway's own Redis (`REDIS_URL`). */
const REDIS_CONNECTION_FIELDS = ['host', 'port', 'password', 'url', 'ssl', 'username'];
/** LiteLLM's Cluster and Sentinel fields name the gateway's one Redis (see `resolveRedisTarget`), and with them its credentials. */
const REDIS_TOPOLOGY_FIELDS = ['redis_startup_nodes', 'sentinel_nodes', 'service_name', 'sentinel_password'];
const TOPOLOGY_CREDENTIALS = ['password', 'ssl', 'username'];
const SUPPORTED_TYPES = new Set(['redis', 'local', 's3', 'disk']);
const KNOWN_FIELDS = new Set([
  'type',
  'namespace',
  'ttl',
  'default_in_redis_ttl',
  'default_in_memory_ttl',
  'supported_call_types',
  'mode',
  's3_bucket_name',
  's3_region_name',
  's3_endpoint_url',
  's3_aws_access_key_id',
  's3_aws_secret_access_key',
  's3_path',
  'disk_cache_dir',
  ...REDIS_CONNECTION_FIELDS,
  ...REDIS_TOPOLOGY_FIELDS,
]);

/**
 * Maps LiteLLM's `litellm_settings.cache` and `cache_params` onto the gateway's storage: the
 * index in Redis, the audio in an object store. LiteLLM's default `supported_call_types` does
 * not include speech, so, as there, speech is cached only when the list names `speech` or
 * `aspeech`. A cache type that cannot hold audio stops the start when speech is to be cached.
 */
export function resolveCacheConfig(config: GatewayConfig): ResolvedCacheConfig {
  const { cache: enabled, cache_params: params } = config.litellm_settings;
  if (!enabled) {
    return {
      cache: undefined,
      warnings: params === undefined ? [] : ['litellm_settings.cache_params is set but litellm_settings.cache is not true: nothing is cached'],
    };
  }
  const callTypes = params?.supported_call_types;
  if (callTypes === undefined || !callTypes.some((callType) => SPEECH_CALL_TYPES.has(callType))) {
    return {
      cache: undefined,
      warnings: [
        'litellm_settings.cache is on but cache_params.supported_call_types does not list "speech" or "aspeech" (LiteLLM\'s default list has neither): speech is not cached',
      ],
    };
  }
  const type = params?.type ?? 'redis';
  if (!SUPPORTED_TYPES.has(type)) {
    throw new ConfigError([`litellm_settings.cache_params.type: "${type}" cannot hold audio; use redis, local, s3 or disk`]);
  }
  const warnings: string[] = [];
  const namesTopology = params?.redis_startup_nodes !== undefined || params?.sentinel_nodes !== undefined;
  for (const field of Object.keys(params ?? {})) {
    if (namesTopology && TOPOLOGY_CREDENTIALS.includes(field)) continue;
    if (REDIS_CONNECTION_FIELDS.includes(field))
      warnings.push(`litellm_settings.cache_params.${field}: accepted without effect; the cache index uses the gateway's Redis (REDIS_URL)`);
    else if (!KNOWN_FIELDS.has(field)) warnings.push(`litellm_settings.cache_params.${field}: accepted without effect for speech`);
  }
  if (params?.default_in_memory_ttl !== undefined)
    warnings.push('litellm_settings.cache_params.default_in_memory_ttl: accepted without effect; there is no in-memory layer, use ttl');
  if (type === 'local')
    warnings.push('litellm_settings.cache_params.type "local": the audio goes to storage_settings and the index to Redis, shared by every process');
  const storage = params === undefined ? ({ kind: 'shared' } as const) : storageOf(type, params, config.storage_settings);
  const ttl = params?.default_in_redis_ttl ?? params?.ttl;
  return {
    cache: {
      type,
      storage,
      objectPrefix:
        type === 's3' && params?.s3_path !== undefined && params.s3_path.replace(/^\/+|\/+$/g, '') !== '' ? params.s3_path.replace(/^\/+|\/+$/g, '') : 'cache',
      namespace: params?.namespace,
      ttlSeconds: ttl,
      mode: params?.mode ?? 'default_on',
      settings: config.cache_settings,
    },
    warnings,
  };
}

function storageOf(type: string, params: NonNullable<GatewayConfig['litellm_settings']['cache_params']>, shared: StorageSettings): CacheStorage {
  if (type === 's3') {
    if (params.s3_bucket_name === undefined) throw new ConfigError(['litellm_settings.cache_params.s3_bucket_name: is required with type "s3"']);
    if ((params.s3_aws_access_key_id === undefined) !== (params.s3_aws_secret_access_key === undefined)) {
      throw new ConfigError(['litellm_settings.cache_params.s3_aws_secret_access_key: s3_aws_access_key_id and s3_aws_secret_access_key go together']);
    }
    return {
      kind: 'own',
      settings: {
        ...shared,
        driver: 's3',
        bucket: params.s3_bucket_name,
        region: params.s3_region_name ?? shared.region,
        endpoint: params.s3_endpoint_url,
        access_key_id: params.s3_aws_access_key_id,
        secret_access_key: params.s3_aws_secret_access_key,
      },
    };
  }
  if (type === 'disk') return { kind: 'own', settings: { ...shared, driver: 'filesystem', path: params.disk_cache_dir ?? '.litellm_cache' } };
  return { kind: 'shared' };
}
