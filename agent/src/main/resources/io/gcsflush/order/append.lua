-- Appends blobs of keys. ARGV[1]: the id the caller knows the journal by, '' if none; ARGV[2]: the id for a journal
-- created now; then pairs of ARGV: a count of keys, and the keys, newline-separated. Returns {'replaced', id} without
-- appending if the journal is not the one the caller knows (it was lost, or created again), else {id, created, last
-- seq, keys in the journal, head seq, head count}, created as ensure() says.
local state = KEYS[2]
local known = redis.call('HGET', state, 'id')
if ARGV[1] ~= '' and known ~= ARGV[1] then return {'replaced', known or ''} end
local id, created = ensure(KEYS[1], state, ARGV[2])
local t = now()
local seq = int(redis.call('HGET', state, 'seq'))
local added = 0
for i = 3, #ARGV, 2 do
  local n = tonumber(ARGV[i])
  seq = seq + 1
  redis.call('RPUSH', KEYS[1], blob(seq, t, n, ARGV[i + 1]))
  added = added + n
end
redis.call('HSET', state, 'seq', fmt(seq))
local keys = redis.call('HINCRBY', state, 'keys', added)
local hseq, hcount = head(KEYS[1], t)
return {id, created, seq, keys, hseq, hcount}
