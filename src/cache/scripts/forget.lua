-- Forgets one clip under the index prefix: its size, its places in the LRU and expiry sets,
-- its entry. Returns its size, or false when it was unknown.
local function forget(prefix, member)
  local size = redis.call('HGET', prefix .. 'sizes', member)
  if size then redis.call('DECRBY', prefix .. 'bytes', size) end
  redis.call('HDEL', prefix .. 'sizes', member)
  redis.call('ZREM', prefix .. 'lru', member)
  redis.call('ZREM', prefix .. 'expiries', member)
  redis.call('DEL', prefix .. 'entry:' .. member)
  return size
end
