import type { RedisClient } from '../redis/redis-client.js';
import { describeModelGroup, type ModelCapabilities } from '../domain/model-capabilities.js';
import { NotFoundError } from './errors.js';
import { type ConfigDocument, configOf, type GatewayConfig } from './config.js';
import { composeLibrary, environmentOf, type RuntimeOptions } from './runtime.js';
import type { SpeechResponse } from './speech-response.js';
import { type SpeechRequestOptions, synthesizeSpeech } from './synthesis-call.js';

export interface RouterRuntimeOptions extends RuntimeOptions {
  /**
   * An ioredis client for the router's shared state (cooldowns, calls in flight, latencies, rpm
   * and tpm usage), under `router_settings.redis_key_prefix`: the same keys the servers use, so
   * this process and they agree. Without it the state is this process's own. The client is
   * used, never closed, by the router.
   */
  readonly redis?: RedisClient;
}

/** `createRouter`'s argument: a config as `config.yaml` holds it (or `loadConfig(path)`'s result), plus runtime options. */
export type RouterOptions = (ConfigDocument | GatewayConfig) & RouterRuntimeOptions;

export interface RouterSpeechOptions extends SpeechRequestOptions {
  /** A `model_name` of the config: a group of deployments. */
  readonly model: string;
  /** Groups to fall back to, in order, instead of the configured `fallbacks`. */
  readonly fallbacks?: readonly string[];
}

/** LiteLLM's `Router` for speech, on the server's own router and `synthesize`. */
export interface SpeechRouter {
  /** The config's model groups, in config order. */
  readonly modelNames: readonly string[];
  /**
   * Routes one call: the routing strategy picks a deployment; failures are retried, cooled
   * down and fallen back from as `router_settings` say. Resolves once the first audio byte exists.
   */
  speech(options: RouterSpeechOptions): Promise<SpeechResponse>;
  /** What a group accepts: voices, formats, speed range, instructions. */
  capabilities(model: string): ModelCapabilities;
}

const RUNTIME_KEYS = ['redis', 'ffmpegPath', 'espeakPath', 'espeakEngine', 'fetch', 'logger', 'environment'] as const;

/**
 * A router over a `model_list`, as LiteLLM's `Router(model_list=..., ...)`:
 *
 * ```ts
 * const router = createRouter({
 *   model_list: [
 *     { model_name: 'speech', litellm_params: { model: 'openai/tts-1', api_key: 'os.environ/OPENAI_API_KEY' } },
 *     { model_name: 'offline', litellm_params: { model: 'espeak/en-us' } },
 *   ],
 *   router_settings: { num_retries: 1, fallbacks: [{ speech: ['offline'] }] },
 * });
 * const response = await router.speech({ model: 'speech', voice: 'alloy', input: 'Hello!' });
 * ```
 *
 * Runtime options (`redis`, `fetch`, ...) may sit beside the config's sections or come second,
 * as in `createRouter(await loadConfig('config.yaml'), { redis })`. Throws a `ConfigError`
 * listing every problem of a bad config, as the server does at start.
 */
export function createRouter(options: RouterOptions, runtimeOptions: RouterRuntimeOptions = {}): SpeechRouter {
  const runtime: Record<string, unknown> = { ...runtimeOptions };
  const document: Record<string, unknown> = { ...options };
  for (const key of RUNTIME_KEYS) {
    if (key in document) {
      runtime[key] = document[key];
      delete document[key];
    }
  }
  // A config from `loadConfig` keeps its identity (and is not validated again) when no runtime option was mixed into it.
  const source = RUNTIME_KEYS.some((key) => key in options) ? document : options;
  const config = configOf(source as ConfigDocument, environmentOf(runtime as RuntimeOptions));
  const { catalog, synthesize } = composeLibrary(config, runtime as RouterRuntimeOptions);
  return {
    modelNames: catalog.modelNames,
    speech: ({ model, fallbacks, ...request }) => synthesizeSpeech(synthesize, model, request, fallbacks),
    capabilities(model) {
      const group = catalog.group(model);
      if (group === undefined)
        throw new NotFoundError({ status: 404, message: `The model '${model}' does not exist.`, code: 'model_not_found', param: 'model' });
      return describeModelGroup(model, group);
    },
  };
}
