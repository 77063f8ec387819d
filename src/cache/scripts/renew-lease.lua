-- KEYS: lock. ARGV: lease (ms), token. Renews the lease only while this holder has it.
if redis.call('GET', KEYS[1]) == ARGV[2] then return redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
return 0
