-- KEYS: the LRU set. ARGV: prefix, members... Returns the members that were known.
--- @include "forget"
local forgotten = {}
for index = 2, #ARGV do
  if redis.call('HEXISTS', ARGV[1] .. 'sizes', ARGV[index]) == 1 or redis.call('EXISTS', ARGV[1] .. 'entry:' .. ARGV[index]) == 1 then table.insert(forgotten, ARGV[index]) end
  forget(ARGV[1], ARGV[index])
end
return forgotten
