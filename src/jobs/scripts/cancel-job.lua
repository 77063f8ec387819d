-- KEYS: job, items, counts. ARGV: total, now (s).
-- Returns the items cancelled, -1 when the job is gone, -2 when it had already ended.
--- @include "terminal"
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
