-- KEYS: a key's count this minute. ARGV: limit, expiry (ms).
-- The check and the increment are one step, so concurrent requests cannot both take the last
-- slot, and a refused request does not use up the next one. Returns the count, or -1 when refused.
local count = tonumber(redis.call('GET', KEYS[1]) or '0')
if count >= tonumber(ARGV[1]) then return -1 end
count = redis.call('INCR', KEYS[1])
if count == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
return count
