-- Who takes the keys that were in Redis before the agent into the journal, so that one instance does it, once.
-- The state's field adopt is 'done <patterns>' once done, or 'running <token> <ms>' while an instance does it (it
-- refreshes the time at each step; one silent for ARGV[4] ms is taken to be gone). ARGV[1]: claim, refresh or done;
-- ARGV[2]: the caller's token; ARGV[3]: the patterns. Returns 'yours', 'done' (nothing to do) or 'theirs'.
local state = KEYS[2]
local t = now()
local mode, token, patterns = ARGV[1], ARGV[2], ARGV[3]
local current = redis.call('HGET', state, 'adopt')
if current and string.sub(current, 1, 5) == 'done ' then
  if string.sub(current, 6) == patterns then return 'done' end
  current = nil -- other patterns now: adopt what they match
end
if mode == 'done' then
  redis.call('HSET', state, 'adopt', 'done ' .. patterns)
  return 'done'
end
if current then
  local owner, since = string.match(current, '^running (%S+) (%d+)$')
  if owner and owner ~= token and t - tonumber(since) < tonumber(ARGV[4]) then return 'theirs' end
end
redis.call('HSET', state, 'adopt', 'running ' .. token .. ' ' .. fmt(t))
return 'yours'
