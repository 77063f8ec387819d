-- KEYS: a deployment's usage this minute. ARGV: rpm (0 = none), tpm (0 = none), characters, expiry (ms).
-- Checks and counts in one step, so two processes cannot both take the minute's last request.
-- Returns 1 when the request was counted, 0 when there was no room.
local requests = tonumber(redis.call('HGET', KEYS[1], 'requests') or '0')
local characters = tonumber(redis.call('HGET', KEYS[1], 'characters') or '0')
local rpm = tonumber(ARGV[1])
local tpm = tonumber(ARGV[2])
local add = tonumber(ARGV[3])
if rpm > 0 and requests + 1 > rpm then return 0 end
if tpm > 0 and characters + add > tpm then return 0 end
redis.call('HINCRBY', KEYS[1], 'requests', 1)
redis.call('HINCRBY', KEYS[1], 'characters', add)
redis.call('PEXPIRE', KEYS[1], ARGV[4])
return 1
