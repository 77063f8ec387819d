import type { Express, Router as ExpressRouter } from 'express';
import type { Dispatcher } from 'undici';
import type { RedisClient } from './redis/redis-client.js';
import { createEventBus } from './domain/events.js';
import type { Logger } from 'pino';
import { fileURLToPath } from 'node:url';
import { createApp } from './api/app.js';
import { consoleRoutes } from './api/routes/console.js';
import { deploymentRoutes } from './api/routes/deployments.js';
import { modelCapabilityRoutes } from './api/routes/model-capabilities.js';
import { latencyTtlMs } from './router/strategies.js';
import { createMasterKeyAuthenticator } from './api/middleware/authenticate.js';
import { type Authenticator, modelListAdmission } from './domain/principal.js';
import { healthRoutes, type ReadinessCheck } from './api/routes/health.js';
import { modelRoutes } from './api/routes/models.js';
import { createSpeechHandler, speechRoutes } from './api/routes/speech.js';
import { leanSpeechRoute } from './api/lean-speech-route.js';
import { keyRoutes } from './api/routes/governance/keys.js';
import { metricsRoutes } from './api/routes/governance/metrics.js';
import { spendRoutes } from './api/routes/governance/spend.js';
import { jobRoutes } from './api/routes/jobs.js';
import { downloadRoutes } from './api/routes/downloads.js';
import type { GatewayConfig } from './config/schema.js';
import type { ModelCatalog } from './domain/catalog.js';
import type { Synthesize } from './core/synthesize.js';
import type { EspeakEngine } from './providers/espeak/espeak-engine.js';
import { createUpstreamAgent } from './providers/shared/upstream-agent.js';
import { composeJobs, type Jobs } from './compose/compose-jobs.js';
import { composeCatalog, composeRouting, composeSynthesize, type GatewayTools } from './compose/compose-synthesis.js';
import { composeGovernance, type Governance } from './compose/compose-governance.js';
import type { QueueDepthSource } from './domain/events.js';
import { resolveCacheConfig } from './cache/cache-config.js';
import { createCacheIndex } from './cache/cache-index.js';
import { createSpeechCache, type SpeechCache } from './cache/speech-cache.js';
import { cacheRoutes } from './api/routes/cache.js';
import { createObjectStore } from './storage/create-store.js';

export type { GatewayTools } from './compose/compose-synthesis.js';

export interface ComposeOptions {
  readonly config: GatewayConfig;
  /** What reading the config left out or accepted without effect; each is logged once at start. */
  readonly startupWarnings?: readonly string[];
  readonly masterKey: string | undefined;
  readonly tools: GatewayTools;
  readonly logger: Logger;
  readonly fetch?: typeof globalThis.fetch;
  /** Where provider calls go (undici); one keep-alive Agent for every upstream origin when absent. */
  readonly dispatcher?: Dispatcher;
  /** Replaces the master-key authenticator (virtual keys, tests). */
  readonly authenticator?: Authenticator;
  readonly random?: () => number;
  readonly now?: () => number;
  /** Redis for shared state (router, jobs, keys, spend); without it state is per process. */
  readonly redis?: RedisClient;
  /** Queue sizes for `/metrics`, from the jobs side. */
  readonly queueDepth?: QueueDepthSource;
  /** The web console's static files, served at `/ui`; the project's `public/console` by default. */
  readonly consoleDirectory?: string;
}

const DEFAULT_CONSOLE_DIRECTORY = fileURLToPath(new URL('../public/console', import.meta.url));

export interface Gateway {
  readonly app: Express;
  readonly catalog: ModelCatalog;
  readonly synthesize: Synthesize;
  readonly espeakEngine: EspeakEngine;
  readonly events: ReturnType<typeof createEventBus>;
  /** Keys, spend, guardrails, logging callbacks and metrics. */
  readonly governance: Governance;
  /** Batch jobs (API and worker side); present when Redis is. */
  readonly jobs: Jobs | undefined;
  /** The speech cache, when `litellm_settings.cache` turns it on for speech (it needs Redis). */
  readonly cache: SpeechCache | undefined;
}

/** The composition root: every dependency is made here and passed down, nowhere else. */
export function composeGateway(options: ComposeOptions): Gateway {
  const now = options.now ?? Date.now;
  for (const warning of options.startupWarnings ?? []) options.logger.warn(warning);
  const events = createEventBus();
  const { catalog, espeakEngine } = composeCatalog(options.config, options.tools, {
    dispatcher: options.dispatcher ?? createUpstreamAgent(),
    fetch: options.fetch ?? globalThis.fetch,
  });
  const cache = composeCache(options, now, events);
  const governance = composeGovernance({
    config: options.config,
    redis: options.redis,
    masterKey: options.masterKey,
    catalog,
    logger: options.logger,
    fetch: options.fetch ?? globalThis.fetch,
    now,
    events,
    // The jobs side is built after synthesize (which needs the governance hooks), so its queues are read lazily at scrape time.
    ...(cache === undefined ? {} : { cacheSize: cache }),
    ...(options.queueDepth !== undefined
      ? { queueDepth: options.queueDepth }
      : options.redis === undefined
        ? {}
        : { queueDepth: { depths: async () => (jobs === undefined ? {} : jobs.queues.depths()) } }),
  });
  const { state: routerState, router } = composeRouting({
    config: options.config,
    catalog,
    redis: options.redis,
    logger: options.logger,
    events,
    random: options.random ?? Math.random,
    now,
  });
  const synthesize = composeSynthesize({
    catalog,
    router,
    ffmpegPath: options.tools.ffmpegPath,
    now,
    recorder: governance.recorder,
    guard: governance.guard,
    cache,
  });
  const authenticator = options.authenticator ?? governance.authenticator ?? createMasterKeyAuthenticator(options.masterKey);
  const jobs =
    options.redis === undefined
      ? undefined
      : composeJobs({
          config: options.config,
          redis: options.redis,
          catalog,
          synthesize,
          ffmpegPath: options.tools.ffmpegPath,
          events,
          logger: options.logger,
          now,
          random: options.random ?? Math.random,
        });
  const readinessChecks: ReadinessCheck[] = [
    { name: 'local_engine', check: async () => ({ ok: true, detail: espeakEngine.kind }) },
    { name: 'models', check: async () => ({ ok: catalog.modelNames.length > 0, detail: `${catalog.modelNames.length} model group(s)` }) },
  ];
  const admission = governance.admission ?? modelListAdmission;
  const metricsAuthenticator = options.config.governance_settings.require_auth_for_metrics_endpoint ? authenticator : undefined;
  const speechDependencies = { synthesize, authenticator, admission, logger: options.logger };
  // One handler for both ways in: the lean route for plain bodies, Express for the others.
  const speechHandler = createSpeechHandler(speechDependencies);
  const maxRequestBytes = Math.round(options.config.general_settings.max_request_size_mb * 1024 * 1024);
  // Every endpoint the service has, in the order they are matched.
  const routes: ExpressRouter[] = [
    healthRoutes(readinessChecks),
    modelRoutes(catalog, authenticator, now()),
    speechRoutes(speechDependencies, speechHandler),
    modelCapabilityRoutes(catalog, authenticator),
    deploymentRoutes({ catalog, state: routerState, authenticator, latencyTtlMs: latencyTtlMs(options.config.router_settings), now }),
    consoleRoutes(options.consoleDirectory ?? DEFAULT_CONSOLE_DIRECTORY),
    ...(governance.stores === undefined
      ? []
      : [
          keyRoutes({ authenticator, keys: governance.stores.keys, spend: governance.stores.spend, catalog, now }),
          spendRoutes({
            authenticator,
            keys: governance.stores.keys,
            spend: governance.stores.spend,
            maxEndUserBudget: options.config.litellm_settings.max_end_user_budget,
          }),
        ]),
    metricsRoutes(governance.metrics.registry, metricsAuthenticator),
    ...(jobs === undefined
      ? []
      : [
          jobRoutes({ jobs: jobs.service, authenticator, admission, publicBaseUrl: options.config.storage_settings.public_base_url }),
          ...(jobs.signer === undefined ? [] : [downloadRoutes({ store: jobs.store, signer: jobs.signer, now })]),
        ]),
    ...(cache === undefined ? [] : [cacheRoutes(cache, authenticator)]),
  ];
  const app = createApp({
    logger: options.logger,
    maxRequestBytes,
    routes,
    front: leanSpeechRoute({ handle: speechHandler, authenticator, logger: options.logger, maxRequestBytes }),
  });
  return { app, catalog, synthesize, espeakEngine, events, governance, jobs, cache };
}

/** The speech cache the config asks for, with its start-up warnings logged. */
function composeCache(options: ComposeOptions, now: () => number, events: ReturnType<typeof createEventBus>): SpeechCache | undefined {
  const resolved = resolveCacheConfig(options.config);
  for (const warning of resolved.warnings) options.logger.warn(warning);
  if (resolved.cache === undefined) return undefined;
  if (options.redis === undefined) {
    options.logger.warn('litellm_settings.cache needs Redis (REDIS_URL) for its index: speech is not cached');
    return undefined;
  }
  const settings = resolved.cache.storage.kind === 'shared' ? options.config.storage_settings : resolved.cache.storage.settings;
  const cache = createSpeechCache({
    config: resolved.cache,
    index: createCacheIndex(options.redis, resolved.cache.settings.redis_prefix),
    store: createObjectStore(settings, now).store,
    now,
    logger: options.logger,
    events,
  });
  cache.startSweeping();
  return cache;
}
