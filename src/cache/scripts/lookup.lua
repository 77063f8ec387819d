-- KEYS: the LRU set (routes the script). ARGV: prefix, now (ms), max age (ms, 0 = any), members...
-- Returns {member, fields...} of the first live one, touching its last use; nil when none is.
for index = 4, #ARGV do
  local member = ARGV[index]
  local fields = redis.call('HGETALL', ARGV[1] .. 'entry:' .. member)
  if #fields > 0 then
    local created = 0
    for field = 1, #fields, 2 do if fields[field] == 'createdAt' then created = tonumber(fields[field + 1]) end end
    if tonumber(ARGV[3]) == 0 or created >= tonumber(ARGV[2]) - tonumber(ARGV[3]) then
      redis.call('ZADD', ARGV[1] .. 'lru', ARGV[2], member)
      table.insert(fields, 1, member)
      return fields
    end
  end
end
return false
