import { z } from 'zod';
import type { RedisClient } from '../../redis/redis-client.js';
import { defineScript } from '../../redis/redis-script.js';

interface RateDecision {
  readonly allowed: boolean;
  /** Seconds until the current minute ends, when refused. */
  readonly retryAfterSeconds: number;
}

/** Requests per minute per key, counted in Redis so every API instance shares one count. */
export interface RateLimiter {
  take(subject: string, limitPerMinute: number): Promise<RateDecision>;
}

/**
 * A fixed one-minute window (LiteLLM's rpm_limit counts per minute too), checked and counted in
 * one script. Replies with the minute's count, or -1 when the request is refused.
 */
const takeScript = defineScript(new URL('./scripts/take-request.lua', import.meta.url), z.number().int());

const MINUTE_MS = 60_000;

export function createRedisRateLimiter(redis: RedisClient, prefix: string, now: () => number): RateLimiter {
  return {
    async take(subject, limitPerMinute) {
      const at = now();
      const minute = Math.floor(at / MINUTE_MS);
      // Kept a little past its minute so a slow clock on another instance still finds it.
      const result = await takeScript.run(redis, [`${prefix}rpm:${subject}:${minute}`], [limitPerMinute, 2 * MINUTE_MS]);
      const retryAfterSeconds = Math.max(1, Math.ceil(((minute + 1) * MINUTE_MS - at) / 1000));
      return { allowed: result >= 0, retryAfterSeconds };
    },
  };
}
