import { luaScript } from './redis-script.js';

/**
 * The state changes that must be atomic. An item changes to a terminal status at most once,
 * and only that change counts, so a retried or duplicated item can never be counted twice.
 */
const TERMINAL = `local function terminal(encoded)
  if not encoded then return false end
  local status = cjson.decode(encoded).status
  return status == 'completed' or status == 'failed' or status == 'cancelled'
end
`;

/**
 * KEYS: job, items, specs. ARGV: index, now (s). Returns {'started', attempts, spec (JSON, or
 * false when missing)} or {'gone'} or {'terminal'}; the spec comes along to save a round trip.
 */
export const startItemScript = luaScript(`${TERMINAL}
local status = redis.call('HGET', KEYS[1], 'status')
if not status then return {'gone'} end
local current = redis.call('HGET', KEYS[2], ARGV[1])
if terminal(current) then return {'terminal'} end
local attempts = 0
if current then attempts = cjson.decode(current).attempts or 0 end
if status == 'queued' then redis.call('HSET', KEYS[1], 'status', 'in_progress', 'started_at', ARGV[2]) end
redis.call('HSET', KEYS[2], ARGV[1], cjson.encode({status = 'in_progress', attempts = attempts + 1}))
return {'started', tostring(attempts + 1), redis.call('HGET', KEYS[3], ARGV[1])}
`);

/**
 * KEYS: job, items, counts. ARGV: index, state (JSON), status. Returns the number of terminal
 * items after the change, -1 when the job is gone, -2 when the item was already completed,
 * -3 when it had been cancelled or failed meanwhile.
 */
export const finishItemScript = luaScript(`${TERMINAL}
if redis.call('EXISTS', KEYS[1]) == 0 then return -1 end
local current = redis.call('HGET', KEYS[2], ARGV[1])
if terminal(current) then
  if cjson.decode(current).status == 'completed' then return -2 end
  return -3
end
redis.call('HSET', KEYS[2], ARGV[1], ARGV[2])
redis.call('HINCRBY', KEYS[3], ARGV[3], 1)
local counts = redis.call('HMGET', KEYS[3], 'completed', 'failed', 'cancelled')
return (tonumber(counts[1]) or 0) + (tonumber(counts[2]) or 0) + (tonumber(counts[3]) or 0)
`);

/** KEYS: job, items, counts. ARGV: total, now (s). Returns items cancelled, -1 gone, -2 already ended. */
export const cancelJobScript = luaScript(`${TERMINAL}
local status = redis.call('HGET', KEYS[1], 'status')
if not status then return -1 end
if status == 'completed' or status == 'failed' or status == 'cancelled' then return -2 end
local cancelled = 0
for index = 0, tonumber(ARGV[1]) - 1 do
  local field = tostring(index)
  local current = redis.call('HGET', KEYS[2], field)
  if not terminal(current) then
    local attempts = 0
    if current then attempts = cjson.decode(current).attempts or 0 end
    redis.call('HSET', KEYS[2], field, cjson.encode({status = 'cancelled', attempts = attempts}))
    cancelled = cancelled + 1
  end
end
if cancelled > 0 then redis.call('HINCRBY', KEYS[3], 'cancelled', cancelled) end
redis.call('HSET', KEYS[1], 'status', 'cancelled', 'completed_at', ARGV[2])
return cancelled
`);
