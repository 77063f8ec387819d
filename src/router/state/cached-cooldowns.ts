import type { Cooldown, RouterState } from './router-state.js';

export interface CachedCooldownsOptions {
  /** How long a read of a deployment's cooldown is trusted before Redis is asked again. */
  readonly ttlMs: number;
  /** A monotonic clock in milliseconds (`performance.now`): the cache ages in real time, whatever clock routes. */
  readonly monotonicNow: () => number;
}

interface Entry {
  readonly cooldown: Cooldown | undefined;
  readonly readAt: number;
}

/**
 * Every routed call reads its group's cooldowns, which at job-worker rates is a Redis round
 * trip per item for an answer that is nearly always "none". This keeps what was read for
 * `ttlMs`: a cooldown set by another process is seen at most that late (LiteLLM's shared
 * cooldown cache re-reads Redis at most every 10 s by default), while one set by this process
 * is seen at once. Cooldowns are kept with their end time and compared with the caller's `now`,
 * so a cached one still ends on time. Everything else passes straight through.
 */
export function withCachedCooldowns(state: RouterState, options: CachedCooldownsOptions): RouterState {
  const entries = new Map<string, Entry>();
  /** Reads in flight by the ids they cover, so concurrent calls share one round trip. */
  const reading = new Map<string, Promise<void>>();

  const fresh = (deploymentId: string): boolean => {
    const entry = entries.get(deploymentId);
    return entry !== undefined && options.monotonicNow() - entry.readAt < options.ttlMs;
  };

  const read = (deploymentIds: readonly string[], now: number): Promise<void> => {
    const key = deploymentIds.join('\n');
    const existing = reading.get(key);
    if (existing !== undefined) return existing;
    const readAt = options.monotonicNow();
    const pending = state
      .cooldowns(deploymentIds, now)
      .then((active) => {
        for (const deploymentId of deploymentIds) keep(deploymentId, active.get(deploymentId), readAt);
      })
      .finally(() => reading.delete(key));
    reading.set(key, pending);
    return pending;
  };

  /** Stores a reading unless a newer one is already there (a cooldown set meanwhile must not be forgotten). */
  const keep = (deploymentId: string, cooldown: Cooldown | undefined, readAt: number): void => {
    const current = entries.get(deploymentId);
    if (current !== undefined && current.readAt > readAt) return;
    entries.set(deploymentId, { cooldown, readAt });
  };

  return {
    ...state,
    async cooldowns(deploymentIds, now) {
      const stale = deploymentIds.filter((deploymentId) => !fresh(deploymentId));
      if (stale.length > 0) await read(stale, now);
      const active = new Map<string, Cooldown>();
      for (const deploymentId of deploymentIds) {
        const cooldown = entries.get(deploymentId)?.cooldown;
        if (cooldown !== undefined && cooldown.untilMs > now) active.set(deploymentId, cooldown);
      }
      return active;
    },
    async coolDown(deploymentId, cooldown, now) {
      await state.coolDown(deploymentId, cooldown, now);
      const current = entries.get(deploymentId)?.cooldown;
      // As the shared state does: the later of two cooldowns wins.
      entries.set(deploymentId, { cooldown: current !== undefined && current.untilMs > cooldown.untilMs ? current : cooldown, readAt: options.monotonicNow() });
    },
  };
}
