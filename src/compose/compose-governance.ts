import type { RedisClient } from '../redis/redis-client.js';
import type { Logger } from 'pino';
import type { Authenticator, Admission } from '../domain/principal.js';
import type { GatewayConfig } from '../config/schema.js';
import type { ModelCatalog } from '../domain/catalog.js';
import type { GatewayEvent, QueueDepthSource } from '../domain/events.js';
import type { InputGuard, SynthesisRecorder } from '../core/synthesis-context.js';
import { parseDuration } from '../config/duration.js';
import { buildGuardrails } from '../governance/guardrails/build-guardrails.js';
import { chainInputGuards, guardrailsAsInputGuard } from '../governance/guardrails/guardrail.js';
import { createKeyAdmission } from '../governance/keys/key-admission.js';
import { createRedisKeyStore, type KeyStore } from '../governance/keys/key-store.js';
import { createRedisRateLimiter } from '../governance/keys/rate-limiter.js';
import { createVirtualKeyAuthenticator } from '../governance/keys/virtual-key-authenticator.js';
import { createHttpCallback, type HttpCallback } from '../governance/logging/http-callback.js';
import { createGatewayMetrics, type CacheSizeSource, type GatewayMetrics } from '../governance/metrics/gateway-metrics.js';
import { createEndUserBudgetGuard } from '../governance/spend/end-user-budget-guard.js';
import { createSpendRecorder, type SpendRecorder } from '../governance/spend/spend-recorder.js';
import { createRedisSpendStore, type SpendStore } from '../governance/spend/spend-store.js';

export interface GovernanceDependencies {
  readonly config: GatewayConfig;
  readonly redis: RedisClient | undefined;
  readonly masterKey: string | undefined;
  readonly catalog: ModelCatalog;
  readonly logger: Logger;
  readonly fetch: typeof globalThis.fetch;
  readonly now: () => number;
  readonly events: { subscribe(listener: (event: GatewayEvent) => void): () => void };
  readonly queueDepth?: QueueDepthSource;
  readonly cacheSize?: CacheSizeSource;
}

/** What the composition root wires into `synthesize` and the app. */
export interface Governance {
  /** Virtual keys and the master key; undefined without Redis (the master key alone then). */
  readonly authenticator: Authenticator | undefined;
  readonly admission: Admission | undefined;
  /** End-user budgets, then the configured guardrails; undefined when there is nothing to check. */
  readonly guard: InputGuard | undefined;
  /** Metrics, and with Redis spend records. */
  readonly recorder: SynthesisRecorder;
  readonly metrics: GatewayMetrics;
  /** Virtual keys and their spend, for the key and spend endpoints; undefined without Redis. */
  readonly stores: { readonly keys: KeyStore; readonly spend: SpendStore } | undefined;
  /** Resolves once pending spend records and logging callbacks have been written. */
  settled(): Promise<void>;
  close(): Promise<void>;
}

const DAY_MS = 86_400_000;

/** Builds keys, spend, guardrails, logging callbacks and metrics from the config. */
export function composeGovernance(dependencies: GovernanceDependencies): Governance {
  const { config, redis, logger, now } = dependencies;
  const settings = config.governance_settings;
  const metrics = createGatewayMetrics({
    logger,
    ...(dependencies.queueDepth === undefined ? {} : { queueDepth: dependencies.queueDepth }),
    ...(dependencies.cacheSize === undefined ? {} : { cacheSize: dependencies.cacheSize }),
  });
  dependencies.events.subscribe((event) => metrics.observe(event));
  const callbacks = buildCallbacks(config, dependencies.fetch, logger);
  const guardrails = guardrailsAsInputGuard(buildGuardrails(config.guardrails, dependencies.fetch, logger));

  if (redis === undefined) {
    if (config.litellm_settings.max_end_user_budget !== undefined)
      logger.warn('litellm_settings.max_end_user_budget needs Redis (REDIS_URL); it is not enforced');
    return {
      authenticator: undefined,
      admission: undefined,
      guard: config.guardrails.length === 0 ? undefined : guardrails,
      recorder: metrics.recorder,
      metrics,
      stores: undefined,
      settled: async () => {
        await Promise.all(callbacks.map((callback) => callback.flush()));
      },
      close: async () => {
        await Promise.all(callbacks.map((callback) => callback.close()));
      },
    };
  }

  const prefix = settings.redis_prefix;
  const keys = createRedisKeyStore(redis, prefix);
  const spend = createRedisSpendStore(redis, prefix, settings.spend_log_retention_days * DAY_MS);
  const spendRecorder: SpendRecorder = createSpendRecorder({ store: spend, keys, catalog: dependencies.catalog, logger, sinks: callbacks });
  const maxEndUserBudget = config.litellm_settings.max_end_user_budget;
  const endUserDuration = settings.end_user_budget_duration === undefined ? undefined : parseDuration(settings.end_user_budget_duration);
  const guards: InputGuard[] = [
    ...(maxEndUserBudget === undefined ? [] : [createEndUserBudgetGuard({ spend, maxBudget: maxEndUserBudget, durationMs: endUserDuration, now })]),
    ...(config.guardrails.length === 0 ? [] : [guardrails]),
  ];
  return {
    authenticator: createVirtualKeyAuthenticator({ masterKey: dependencies.masterKey, keys, now }),
    admission: createKeyAdmission({ keys, spend, limiter: createRedisRateLimiter(redis, prefix, now), now }),
    guard: guards.length === 0 ? undefined : chainInputGuards(guards),
    recorder: {
      record(record) {
        metrics.recorder.record(record);
        spendRecorder.record(record);
      },
    },
    metrics,
    stores: { keys, spend },
    settled: async () => {
      await spendRecorder.idle();
      await Promise.all(callbacks.map((callback) => callback.flush()));
    },
    close: async () => {
      await spendRecorder.idle();
      await Promise.all(callbacks.map((callback) => callback.close()));
    },
  };
}

/** LiteLLM's `callbacks` / `success_callback` names that have a `generic_api` entry in `callback_settings`. */
function buildCallbacks(config: GatewayConfig, fetch: typeof globalThis.fetch, logger: Logger): HttpCallback[] {
  const { callbacks, success_callback: success, failure_callback: failure } = config.litellm_settings;
  const names = [...new Set([...callbacks, ...success, ...failure])];
  const built: HttpCallback[] = [];
  for (const name of names) {
    const settings = config.callback_settings[name];
    if (settings === undefined || settings.callback_type !== 'generic_api' || settings.endpoint === undefined) {
      logger.warn({ callback: name }, 'logging callback ignored: only callback_settings entries with callback_type: generic_api and an endpoint are supported');
      continue;
    }
    built.push(createHttpCallback(name, settings.endpoint, settings, { fetch, logger }));
  }
  return built;
}
