import type { RouterState } from './router-state.js';

export interface ResilientStateOptions {
  readonly shared: RouterState;
  readonly local: RouterState;
  /** How long one shared-state call may take before the local state answers instead. */
  readonly timeoutMs: number;
  /** After a failure, the local state answers alone this long before the shared state is tried again. */
  readonly retryIntervalMs: number;
  /** Told once when the shared state fails and once when it is back. */
  readonly onStatusChange?: (status: 'degraded' | 'recovered', error?: unknown) => void;
}

/**
 * Shared state with a local stand-in: while Redis is slow or away the router keeps serving on
 * what this process knows, and goes back to Redis once it answers again. Cooldowns are written
 * to both, so a process that loses Redis still avoids the deployments it saw fail.
 *
 * A breaker keeps the wait for Redis off the requests: once a call fails (or takes longer than
 * `timeoutMs`) every call goes local for `retryIntervalMs`; after it one call alone tries
 * Redis again while the others keep going local, and only its success closes the breaker.
 * So an unreachable Redis costs one call per interval the timeout, not every call at once.
 */
export function createResilientRouterState(options: ResilientStateOptions): RouterState {
  const { shared, local } = options;
  let degradedUntil = 0;
  let degraded = false;
  let probing = false;

  async function attempt<T>(sharedCall: () => Promise<T>, localCall: () => Promise<T>): Promise<T> {
    if (degraded && (probing || performance.now() < degradedUntil)) return localCall();
    const probe = degraded;
    if (probe) probing = true;
    try {
      const result = await withTimeout(sharedCall(), options.timeoutMs);
      if (degraded) {
        degraded = false;
        options.onStatusChange?.('recovered');
      }
      return result;
    } catch (error) {
      degradedUntil = performance.now() + options.retryIntervalMs;
      if (!degraded) {
        degraded = true;
        options.onStatusChange?.('degraded', error);
      }
      return localCall();
    } finally {
      if (probe) probing = false;
    }
  }

  return {
    cooldowns: (ids, now) =>
      attempt(
        () => shared.cooldowns(ids, now),
        () => local.cooldowns(ids, now),
      ),
    async coolDown(id, cooldown, now) {
      await local.coolDown(id, cooldown, now);
      await attempt(
        () => shared.coolDown(id, cooldown, now),
        async () => undefined,
      );
    },
    countFailure: (id, now) =>
      attempt(
        () => shared.countFailure(id, now),
        () => local.countFailure(id, now),
      ),
    beginCall: (id, callId, holdUntil) =>
      attempt(
        () => shared.beginCall(id, callId, holdUntil),
        () => local.beginCall(id, callId, holdUntil),
      ),
    async endCall(id, callId) {
      // The call may have begun on either side; ending it on both is harmless.
      await local.endCall(id, callId);
      await attempt(
        () => shared.endCall(id, callId),
        async () => undefined,
      );
    },
    inFlight: (ids, now) =>
      attempt(
        () => shared.inFlight(ids, now),
        () => local.inFlight(ids, now),
      ),
    recordLatency: (id, latencyMs, now, ttlMs) =>
      attempt(
        () => shared.recordLatency(id, latencyMs, now, ttlMs),
        () => local.recordLatency(id, latencyMs, now, ttlMs),
      ),
    latencies: (ids, now, ttlMs) =>
      attempt(
        () => shared.latencies(ids, now, ttlMs),
        () => local.latencies(ids, now, ttlMs),
      ),
    usage: (ids, now) =>
      attempt(
        () => shared.usage(ids, now),
        () => local.usage(ids, now),
      ),
    reserve: (id, characters, limits, now) =>
      attempt(
        () => shared.reserve(id, characters, limits, now),
        () => local.reserve(id, characters, limits, now),
      ),
  };
}

function withTimeout<T>(promise: Promise<T>, timeoutMs: number): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`shared router state did not answer within ${timeoutMs} ms`)), timeoutMs);
    promise.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(error);
      },
    );
  });
}
