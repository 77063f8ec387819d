-- KEYS: the LRU set. ARGV: prefix, now (ms), limit. Returns the members whose TTL has passed, forgotten.
--- @include "forget"
local expired = redis.call('ZRANGEBYSCORE', ARGV[1] .. 'expiries', '-inf', ARGV[2], 'LIMIT', 0, tonumber(ARGV[3]))
for _, member in ipairs(expired) do forget(ARGV[1], member) end
return expired
