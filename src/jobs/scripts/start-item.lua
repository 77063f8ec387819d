-- KEYS: job, items, specs. ARGV: index, now (s).
-- Returns {'started', attempts, spec (JSON, or nil when missing)} or {'gone'} or {'terminal'};
-- the spec comes along to save a round trip.
--- @include "terminal"
local status = redis.call('HGET', KEYS[1], 'status')
if not status then return {'gone'} end
local current = redis.call('HGET', KEYS[2], ARGV[1])
if terminal(current) then return {'terminal'} end
local attempts = 0
if current then attempts = cjson.decode(current).attempts or 0 end
if status == 'queued' then redis.call('HSET', KEYS[1], 'status', 'in_progress', 'started_at', ARGV[2]) end
redis.call('HSET', KEYS[2], ARGV[1], cjson.encode({status = 'in_progress', attempts = attempts + 1}))
return {'started', tostring(attempts + 1), redis.call('HGET', KEYS[3], ARGV[1])}
