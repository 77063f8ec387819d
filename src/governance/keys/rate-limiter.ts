import type { Redis } from 'ioredis';

export interface RateDecision {
  readonly allowed: boolean;
  /** Seconds until the current minute ends, when refused. */
  readonly retryAfterSeconds: number;
}

/** Requests per minute per key, counted in Redis so every API instance shares one count. */
export interface RateLimiter {
  take(subject: string, limitPerMinute: number): Promise<RateDecision>;
}

/**
 * A fixed one-minute window (LiteLLM's rpm_limit counts per minute too). The check and the
 * increment are one script, so concurrent requests cannot both take the last slot, and a
 * refused request does not use up the next one.
 */
const TAKE_SCRIPT = `
local count = tonumber(redis.call('GET', KEYS[1]) or '0')
if count >= tonumber(ARGV[1]) then return -1 end
count = redis.call('INCR', KEYS[1])
if count == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
return count
`;

const MINUTE_MS = 60_000;

export function createRedisRateLimiter(redis: Redis, prefix: string, now: () => number): RateLimiter {
  return {
    async take(subject, limitPerMinute) {
      const at = now();
      const minute = Math.floor(at / MINUTE_MS);
      // Kept a little past its minute so a slow clock on another instance still finds it.
      const result = Number(await redis.eval(TAKE_SCRIPT, 1, `${prefix}rpm:${subject}:${minute}`, String(limitPerMinute), String(2 * MINUTE_MS)));
      const retryAfterSeconds = Math.max(1, Math.ceil(((minute + 1) * MINUTE_MS - at) / 1000));
      return { allowed: result >= 0, retryAfterSeconds };
    },
  };
}
