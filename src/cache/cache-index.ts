import { z } from 'zod';
import { defineScript } from '../redis/redis-script.js';
import type { RedisClient } from '../redis/redis-client.js';

/** What the index keeps about one cached clip; the audio itself is in the object store. */
const cacheEntrySchema = z.object({
  contentType: z.string(),
  bytes: z.coerce.number().int().nonnegative(),
  deploymentId: z.string(),
  provider: z.string(),
  createdAt: z.coerce.number(),
  warnings: z.string().default('[]'),
});
type CacheEntry = z.infer<typeof cacheEntrySchema>;

/**
 * Layout under the prefix (and its `{index}` hash tag): `entry:<key>` a hash per clip (expiring with the entry's TTL),
 * `lru` a sorted set by last use, `expiries` by expiry time, `sizes` each clip's bytes, and
 * `bytes` their total. The last four outlive an expired entry until the sweep, which removes
 * its audio from storage too. The scripts are in `scripts/`.
 */
const memberList = z.array(z.string());
const lookupScript = defineScript(new URL('./scripts/lookup.lua', import.meta.url), memberList.nullable());
const commitScript = defineScript(new URL('./scripts/commit.lua', import.meta.url), memberList);
const forgetScript = defineScript(new URL('./scripts/forget-members.lua', import.meta.url), memberList);
const sweepScript = defineScript(new URL('./scripts/sweep.lua', import.meta.url), memberList);
const renewScript = defineScript(new URL('./scripts/renew-lease.lua', import.meta.url), z.number().int());
const releaseScript = defineScript(new URL('./scripts/release-lease.lua', import.meta.url), z.number().int());

export interface CacheIndex {
  lookup(members: readonly string[], now: number, maxAgeMs: number | undefined): Promise<{ readonly member: string; readonly entry: CacheEntry } | undefined>;
  commit(member: string, entry: CacheEntry, now: number, ttlMs: number | undefined, maxBytes: number): Promise<string[]>;
  forget(members: readonly string[]): Promise<string[]>;
  sweep(now: number, limit: number): Promise<string[]>;
  /** Members in least-recently-used order, a page at a time. */
  members(count: number): Promise<string[]>;
  storedBytes(): Promise<number>;
  /** Takes the lease on a flight of identical requests; true when this caller leads. */
  lead(flight: string, token: string, leaseMs: number): Promise<boolean>;
  renew(flight: string, token: string, leaseMs: number): Promise<void>;
  release(flight: string, token: string): Promise<void>;
  /** Whether anyone holds the flight's lease now. */
  inFlight(flight: string): Promise<boolean>;
}

export function createCacheIndex(redis: RedisClient, redisPrefix: string): CacheIndex {
  // One hash tag for every key of the index, so the scripts touch one slot of a Redis Cluster;
  // the LRU set, passed as the scripts' key, tells a cluster client which node runs them.
  const prefix = `${redisPrefix}{index}:`;
  const routing = [`${prefix}lru`];
  const lockKey = (flight: string): string => `${prefix}flight:${flight}`;
  return {
    async lookup(members, now, maxAgeMs) {
      if (members.length === 0) return undefined;
      const result = await lookupScript.run(redis, routing, [prefix, now, maxAgeMs ?? 0, ...members]);
      if (result === null) return undefined;
      const [member, ...pairs] = result;
      const fields: Record<string, string> = {};
      for (let index = 0; index + 1 < pairs.length; index += 2) fields[pairs[index] as string] = pairs[index + 1] as string;
      const parsed = cacheEntrySchema.safeParse(fields);
      // An entry written by another version that this one cannot read is a miss, not a failure.
      return parsed.success && member !== undefined ? { member, entry: parsed.data } : undefined;
    },
    async commit(member, entry, now, ttlMs, maxBytes) {
      const fields = Object.entries(entry).flatMap(([name, value]) => [name, String(value)]);
      return commitScript.run(redis, routing, [prefix, member, now, ttlMs ?? 0, maxBytes, ...fields]);
    },
    async forget(members) {
      if (members.length === 0) return [];
      return forgetScript.run(redis, routing, [prefix, ...members]);
    },
    async sweep(now, limit) {
      return sweepScript.run(redis, routing, [prefix, now, limit]);
    },
    members: (count) => redis.zrange(`${prefix}lru`, 0, count - 1),
    async storedBytes() {
      return Number((await redis.get(`${prefix}bytes`)) ?? '0');
    },
    async lead(flight, token, leaseMs) {
      return (await redis.set(lockKey(flight), token, 'PX', Math.max(1, Math.round(leaseMs)), 'NX')) === 'OK';
    },
    async renew(flight, token, leaseMs) {
      await renewScript.run(redis, [lockKey(flight)], [Math.max(1, Math.round(leaseMs)), token]);
    },
    async release(flight, token) {
      await releaseScript.run(redis, [lockKey(flight)], [token]);
    },
    async inFlight(flight) {
      return (await redis.exists(lockKey(flight))) === 1;
    },
  };
}
