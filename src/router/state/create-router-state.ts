import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { createLocalRouterState } from './local-router-state.js';
import { createRedisRouterState } from './redis-router-state.js';
import { createResilientRouterState } from './resilient-router-state.js';
import type { RouterState } from './router-state.js';

export interface RouterStateOptions {
  /** Without Redis the state is this process's own. */
  readonly redis: Redis | undefined;
  readonly keyPrefix: string;
  readonly logger?: Logger;
  /** Defaults: 150 ms per call, Redis retried after 1 s. */
  readonly timeoutMs?: number;
  readonly retryIntervalMs?: number;
}

/** Shared state in Redis with a local stand-in, or local state alone. */
export function createRouterState(options: RouterStateOptions): RouterState {
  const local = createLocalRouterState();
  if (options.redis === undefined) return local;
  return createResilientRouterState({
    shared: createRedisRouterState(options.redis, options.keyPrefix),
    local,
    timeoutMs: options.timeoutMs ?? 150,
    retryIntervalMs: options.retryIntervalMs ?? 1000,
    onStatusChange: (status, error) => {
      if (status === 'degraded') options.logger?.warn({ err: error }, 'router state: Redis unreachable, routing on local state');
      else options.logger?.info('router state: Redis reachable again');
    },
  });
}
