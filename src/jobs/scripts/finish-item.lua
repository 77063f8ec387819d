-- KEYS: job, items, counts. ARGV: index, state (JSON), status.
-- Returns the number of terminal items after the change, -1 when the job is gone, -2 when the
-- item was already completed, -3 when it had been cancelled or failed meanwhile.
--- @include "terminal"
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
