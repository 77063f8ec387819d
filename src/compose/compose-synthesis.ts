import type { RedisClient } from '../redis/redis-client.js';
import type { Logger } from 'pino';
import { createFfmpegTranscoder } from '../audio/transcode.js';
import type { GatewayConfig } from '../config/schema.js';
import { describeFailure } from '../core/describe-failure.js';
import type { SynthesisCache } from '../core/synthesis-cache.js';
import type { InputGuard, SynthesisRecorder } from '../core/synthesis-context.js';
import { createSynthesize, type Synthesize } from '../core/synthesize.js';
import { buildCatalog, type ModelCatalog } from '../domain/catalog.js';
import type { EventSink } from '../domain/events.js';
import { builtInProviders } from '../providers/built-in.js';
import { createBinaryEspeakEngine, createWasmEspeakEngine, type EspeakEngine } from '../providers/espeak/espeak-engine.js';
import { createProviderRegistry, type ProviderDependencies } from '../providers/registry.js';
import { createRouter, type Router } from '../router/router.js';
import { createRouterState } from '../router/state/create-router-state.js';
import type { RouterState } from '../router/state/router-state.js';

/**
 * The synthesis core every face runs on (the HTTP API, the job workers, the library and the
 * command line): one catalog built from the config, one router, one `synthesize`. Nothing here
 * listens, connects or spawns: child processes start only when a synthesis asks for them.
 */

export interface GatewayTools {
  readonly ffmpegPath: string;
  /** The espeak-ng binary; without it the WASM build runs under `nodePath`. */
  readonly espeakBinaryPath: string | undefined;
  readonly nodePath: string;
}

export interface ComposedCatalog {
  readonly catalog: ModelCatalog;
  readonly espeakEngine: EspeakEngine;
}

/** The deployments of the config, each with its adapter. Throws a `ConfigError` listing every problem. */
export function composeCatalog(config: GatewayConfig, tools: GatewayTools, upstream: Omit<ProviderDependencies, 'espeakEngine'>): ComposedCatalog {
  const espeakEngine = tools.espeakBinaryPath === undefined ? createWasmEspeakEngine(tools.nodePath) : createBinaryEspeakEngine(tools.espeakBinaryPath);
  const catalog = buildCatalog(config, createProviderRegistry(builtInProviders), { ...upstream, espeakEngine });
  return { catalog, espeakEngine };
}

export interface RoutingOptions {
  readonly config: GatewayConfig;
  readonly catalog: ModelCatalog;
  /** Shared cooldowns, rpm and latencies; without it the state is this process's own. */
  readonly redis: RedisClient | undefined;
  readonly logger?: Logger;
  readonly events?: EventSink;
  readonly random: () => number;
  readonly now: () => number;
}

export interface ComposedRouting {
  readonly state: RouterState;
  readonly router: Router;
}

export function composeRouting(options: RoutingOptions): ComposedRouting {
  const state = createRouterState({
    redis: options.redis,
    keyPrefix: options.config.router_settings.redis_key_prefix,
    ...(options.logger === undefined ? {} : { logger: options.logger }),
  });
  const router = createRouter({
    catalog: options.catalog,
    settings: options.config.router_settings,
    random: options.random,
    now: options.now,
    state,
    ...(options.events === undefined ? {} : { events: options.events }),
    ...(options.logger === undefined ? {} : { logger: options.logger }),
  });
  return { state, router };
}

export interface SynthesizeOptions {
  readonly catalog: ModelCatalog;
  readonly router: Router;
  readonly ffmpegPath: string;
  readonly now: () => number;
  readonly guard?: InputGuard | undefined;
  readonly recorder?: SynthesisRecorder | undefined;
  readonly cache?: SynthesisCache | undefined;
}

export function composeSynthesize(options: SynthesizeOptions): Synthesize {
  return createSynthesize({
    catalog: options.catalog,
    router: options.router,
    transcoder: createFfmpegTranscoder(options.ffmpegPath),
    now: options.now,
    errorCode: (error) => describeFailure(error).code ?? 'error',
    ...(options.recorder === undefined ? {} : { recorder: options.recorder }),
    ...(options.guard === undefined ? {} : { guard: options.guard }),
    ...(options.cache === undefined ? {} : { cache: options.cache }),
  });
}
