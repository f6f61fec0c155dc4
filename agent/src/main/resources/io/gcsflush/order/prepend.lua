-- Puts blobs at the head of the journal, before every key in it: keys older than those already there (keys the
-- application still tracks after its journal was lost; keys that existed before the agent came). ARGV[1]: the id
-- for a journal created now; then pairs of ARGV, oldest first: a count of keys, and the keys, newline-separated.
-- Returns {id, created, seq of the first blob put, keys in the journal, head seq, head count}.
local state = KEYS[2]
local id, created = ensure(KEYS[1], state, ARGV[1])
local t = now()
local hseq, _, age = head(KEYS[1], t)
local added, first = 0, 0
if hseq < 0 then
  -- Empty: as an append.
  local seq = int(redis.call('HGET', state, 'seq'))
  first = seq + 1
  for i = 2, #ARGV, 2 do
    seq = seq + 1
    redis.call('RPUSH', KEYS[1], blob(seq, t, tonumber(ARGV[i]), ARGV[i + 1]))
    added = added + tonumber(ARGV[i])
  end
  redis.call('HSET', state, 'seq', fmt(seq))
else
  -- As old as the head: what is put there is at least as old, and a flush choosing between databases goes by it.
  local ms = t - age
  first = hseq - (#ARGV - 1) / 2
  local seq = hseq
  for i = #ARGV - 1, 2, -2 do
    seq = seq - 1
    redis.call('LPUSH', KEYS[1], blob(seq, ms, tonumber(ARGV[i]), ARGV[i + 1]))
    added = added + tonumber(ARGV[i])
  end
end
local keys = redis.call('HINCRBY', state, 'keys', added)
local s, n = head(KEYS[1], t)
return {id, created, first, keys, s, n}
