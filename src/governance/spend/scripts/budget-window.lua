-- KEYS: a budget. ARGV: now (ms), duration (ms, 0 = lifetime).
-- Rolls a budget window over atomically, so concurrent requests on several API instances agree
-- on when it reset: spend returns to 0 and reset_at moves on by whole periods.
-- Returns {spend, reset_at (0 = none)}.
local now = tonumber(ARGV[1])
local duration = tonumber(ARGV[2])
if duration > 0 then
  local resetAt = tonumber(redis.call('HGET', KEYS[1], 'reset_at') or '0')
  if resetAt == 0 then
    redis.call('HSET', KEYS[1], 'reset_at', string.format('%.0f', now + duration))
  elseif now >= resetAt then
    local periods = math.floor((now - resetAt) / duration) + 1
    redis.call('HSET', KEYS[1], 'spend', '0', 'reset_at', string.format('%.0f', resetAt + periods * duration))
  end
end
return {redis.call('HGET', KEYS[1], 'spend') or '0', redis.call('HGET', KEYS[1], 'reset_at') or '0'}
