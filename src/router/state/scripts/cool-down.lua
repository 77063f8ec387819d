-- KEYS: a deployment's cooldown. ARGV: until (epoch ms), reason, expiry (ms).
-- Keeps the later of two cooldowns: a short 5xx cooldown must not cut a long 429 hint short.
-- Returns 1 when this cooldown was written, 0 when a later one was kept.
local current = redis.call('GET', KEYS[1])
if current then
  local current_until = tonumber(string.match(current, '^(%d+)'))
  if current_until and current_until >= tonumber(ARGV[1]) then return 0 end
end
redis.call('SET', KEYS[1], ARGV[1] .. '|' .. ARGV[2], 'PX', ARGV[3])
return 1
