import type { RedisClient } from '../../redis/redis-client.js';
import type { Logger } from 'pino';
import { withCachedCooldowns } from './cached-cooldowns.js';
import { createLocalRouterState } from './local-router-state.js';
import { createRedisRouterState } from './redis-router-state.js';
import { createResilientRouterState } from './resilient-router-state.js';
import type { RouterState } from './router-state.js';

export interface RouterStateOptions {
  /** Without Redis the state is this process's own. */
  readonly redis: RedisClient | undefined;
  readonly keyPrefix: string;
  readonly logger?: Logger;
  /** Defaults: 150 ms per call, Redis retried after 1 s. */
  readonly timeoutMs?: number;
  readonly retryIntervalMs?: number;
  /** How long this process trusts a cooldown read from Redis (default 250 ms; 0 reads on every call). */
  readonly cooldownCacheMs?: number;
}

const DEFAULT_COOLDOWN_CACHE_MS = 250;

/** Shared state in Redis with a local stand-in, or local state alone. */
export function createRouterState(options: RouterStateOptions): RouterState {
  const local = createLocalRouterState();
  if (options.redis === undefined) return local;
  const state = createResilientRouterState({
    shared: createRedisRouterState(options.redis, options.keyPrefix),
    local,
    timeoutMs: options.timeoutMs ?? 150,
    retryIntervalMs: options.retryIntervalMs ?? 1000,
    onStatusChange: (status, error) => {
      if (status === 'degraded') options.logger?.warn({ err: error }, 'router state: Redis unreachable, routing on local state');
      else options.logger?.info('router state: Redis reachable again');
    },
  });
  const cooldownCacheMs = options.cooldownCacheMs ?? DEFAULT_COOLDOWN_CACHE_MS;
  return cooldownCacheMs > 0 ? withCachedCooldowns(state, { ttlMs: cooldownCacheMs, monotonicNow: () => performance.now() }) : state;
}
