import type { Redis } from 'ioredis';
import { z } from 'zod';
import { luaScript } from '../jobs/redis-script.js';

/** What the index keeps about one cached clip; the audio itself is in the object store. */
export const cacheEntrySchema = z.object({
  contentType: z.string(),
  bytes: z.coerce.number().int().nonnegative(),
  deploymentId: z.string(),
  provider: z.string(),
  createdAt: z.coerce.number(),
  warnings: z.string().default('[]'),
});
export type CacheEntry = z.infer<typeof cacheEntrySchema>;

/**
 * Layout under the prefix (and its `{index}` hash tag): `entry:<key>` a hash per clip (expiring with the entry's TTL),
 * `lru` a sorted set by last use, `expiries` by expiry time, `sizes` each clip's bytes, and
 * `bytes` their total. The last four outlive an expired entry until the sweep, which removes
 * its audio from storage too.
 */
const FORGET = `local function forget(prefix, member)
  local size = redis.call('HGET', prefix .. 'sizes', member)
  if size then redis.call('DECRBY', prefix .. 'bytes', size) end
  redis.call('HDEL', prefix .. 'sizes', member)
  redis.call('ZREM', prefix .. 'lru', member)
  redis.call('ZREM', prefix .. 'expiries', member)
  redis.call('DEL', prefix .. 'entry:' .. member)
  return size
end
`;

/** ARGV: prefix, now (ms), max age (ms, 0 = any), members... Returns {member, fields...} of the first live one, touching its last use. */
const lookupScript = luaScript(`
for index = 4, #ARGV do
  local member = ARGV[index]
  local fields = redis.call('HGETALL', ARGV[1] .. 'entry:' .. member)
  if #fields > 0 then
    local created = 0
    for field = 1, #fields, 2 do if fields[field] == 'createdAt' then created = tonumber(fields[field + 1]) end end
    if tonumber(ARGV[3]) == 0 or created >= tonumber(ARGV[2]) - tonumber(ARGV[3]) then
      redis.call('ZADD', ARGV[1] .. 'lru', ARGV[2], member)
      table.insert(fields, 1, member)
      return fields
    end
  end
end
return false
`);

/** ARGV: prefix, member, now (ms), ttl (ms, 0 = none), max bytes, then field/value pairs. Returns the members evicted to stay under the cap. */
const commitScript = luaScript(`${FORGET}
local prefix, member, now, ttl, cap = ARGV[1], ARGV[2], tonumber(ARGV[3]), tonumber(ARGV[4]), tonumber(ARGV[5])
forget(prefix, member)
local fields = {}
local bytes = 0
for index = 6, #ARGV, 2 do
  table.insert(fields, ARGV[index]); table.insert(fields, ARGV[index + 1])
  if ARGV[index] == 'bytes' then bytes = tonumber(ARGV[index + 1]) end
end
redis.call('HSET', prefix .. 'entry:' .. member, unpack(fields))
if ttl > 0 then
  redis.call('PEXPIRE', prefix .. 'entry:' .. member, ttl)
  redis.call('ZADD', prefix .. 'expiries', now + ttl, member)
end
redis.call('ZADD', prefix .. 'lru', now, member)
redis.call('HSET', prefix .. 'sizes', member, bytes)
local total = redis.call('INCRBY', prefix .. 'bytes', bytes)
local evicted = {}
while total > cap do
  local oldest = redis.call('ZRANGE', prefix .. 'lru', 0, 0)[1]
  if not oldest or oldest == member then break end
  forget(prefix, oldest)
  table.insert(evicted, oldest)
  total = tonumber(redis.call('GET', prefix .. 'bytes') or '0')
end
return evicted
`);

/** ARGV: prefix, members... Returns the members that were known. */
const forgetScript = luaScript(`${FORGET}
local forgotten = {}
for index = 2, #ARGV do
  if redis.call('HEXISTS', ARGV[1] .. 'sizes', ARGV[index]) == 1 or redis.call('EXISTS', ARGV[1] .. 'entry:' .. ARGV[index]) == 1 then table.insert(forgotten, ARGV[index]) end
  forget(ARGV[1], ARGV[index])
end
return forgotten
`);

/** ARGV: prefix, now (ms), limit. Returns the members whose TTL has passed, forgotten. */
const sweepScript = luaScript(`${FORGET}
local expired = redis.call('ZRANGEBYSCORE', ARGV[1] .. 'expiries', '-inf', ARGV[2], 'LIMIT', 0, tonumber(ARGV[3]))
for _, member in ipairs(expired) do forget(ARGV[1], member) end
return expired
`);

/** ARGV: lease (ms), token. KEYS: lock. Renews the lease only while this holder has it. */
const renewScript = luaScript(`
if redis.call('GET', KEYS[1]) == ARGV[2] then return redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
return 0
`);
const releaseScript = luaScript(`
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
`);

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

export function createCacheIndex(redis: Redis, redisPrefix: string): CacheIndex {
  // One hash tag for every key of the index, so the scripts touch one slot of a Redis Cluster;
  // the LRU set, passed as the scripts' key, tells a cluster client which node runs them.
  const prefix = `${redisPrefix}{index}:`;
  const routing = [`${prefix}lru`];
  const lockKey = (flight: string): string => `${prefix}flight:${flight}`;
  return {
    async lookup(members, now, maxAgeMs) {
      if (members.length === 0) return undefined;
      const result = await lookupScript(redis, routing, [prefix, now, maxAgeMs ?? 0, ...members]);
      if (!Array.isArray(result)) return undefined;
      const [member, ...pairs] = result.map(String);
      const fields: Record<string, string> = {};
      for (let index = 0; index + 1 < pairs.length; index += 2) fields[pairs[index] as string] = pairs[index + 1] as string;
      const parsed = cacheEntrySchema.safeParse(fields);
      // An entry written by another version that this one cannot read is a miss, not a failure.
      return parsed.success && member !== undefined ? { member, entry: parsed.data } : undefined;
    },
    async commit(member, entry, now, ttlMs, maxBytes) {
      const fields = Object.entries(entry).flatMap(([name, value]) => [name, String(value)]);
      const evicted = await commitScript(redis, routing, [prefix, member, now, ttlMs ?? 0, maxBytes, ...fields]);
      return Array.isArray(evicted) ? evicted.map(String) : [];
    },
    async forget(members) {
      if (members.length === 0) return [];
      const forgotten = await forgetScript(redis, routing, [prefix, ...members]);
      return Array.isArray(forgotten) ? forgotten.map(String) : [];
    },
    async sweep(now, limit) {
      const expired = await sweepScript(redis, routing, [prefix, now, limit]);
      return Array.isArray(expired) ? expired.map(String) : [];
    },
    members: (count) => redis.zrange(`${prefix}lru`, 0, count - 1),
    async storedBytes() {
      return Number((await redis.get(`${prefix}bytes`)) ?? '0');
    },
    async lead(flight, token, leaseMs) {
      return (await redis.set(lockKey(flight), token, 'PX', Math.max(1, Math.round(leaseMs)), 'NX')) === 'OK';
    },
    async renew(flight, token, leaseMs) {
      await renewScript(redis, [lockKey(flight)], [Math.max(1, Math.round(leaseMs)), token]);
    },
    async release(flight, token) {
      await releaseScript(redis, [lockKey(flight)], [token]);
    },
    async inFlight(flight) {
      return (await redis.exists(lockKey(flight))) === 1;
    },
  };
}
