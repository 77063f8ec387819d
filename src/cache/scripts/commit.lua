-- KEYS: the LRU set. ARGV: prefix, member, now (ms), ttl (ms, 0 = none), max bytes, then
-- field/value pairs. Returns the members evicted to stay under the cap.
--- @include "forget"
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
