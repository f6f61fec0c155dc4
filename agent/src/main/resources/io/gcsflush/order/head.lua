-- What an agent needs to know of the journal between its appends: {id, head seq, head count, keys, ms age of the
-- oldest key, ms since the last flush (-1: none yet)}. Changes nothing.
local t = now()
local s = redis.call('HMGET', KEYS[2], 'id', 'keys', 'last')
local hseq, hcount, age = head(KEYS[1], t)
local last = int(s[3])
return {s[1] or '', hseq, hcount, int(s[2]), age, last > 0 and t - last or -1}
