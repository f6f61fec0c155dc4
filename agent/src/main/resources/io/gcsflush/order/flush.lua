-- Removes the oldest keys: takes them from the head of the journal and unlinks them, in one step, so that two
-- flushers never take the same keys nor skip any. ARGV[1]: at most this many keys; ARGV[2]: the least time in ms
-- since the last flush of this journal (the flush's first step then claims it), or -1 for a later step of a flush
-- already claimed; ARGV[3]: '1' to only look (dry run: nothing removed); ARGV[4]: '1' on a cluster node, where each
-- key is unlinked alone and a key whose slot is not served here is handed back rather than failing the step.
-- Returns {'early', ms since the last flush}, {'refused', the error UNLINK got, keys taken, keys that existed} (the
-- keys it refused stay), or {'ok', keys taken, keys that existed, id, head seq, head count, keys left, ms age of the
-- oldest key left, keys handed back...}.
local journal, state = KEYS[1], KEYS[2]
local t = now()
local want, spacing, dry, cluster = tonumber(ARGV[1]), tonumber(ARGV[2]), ARGV[3] == '1', ARGV[4] == '1'
if spacing >= 0 then
  local since = t - int(redis.call('HGET', state, 'last'))
  if since < spacing then return {'early', since} end
  redis.call('HSET', state, 'last', fmt(t))
end
local taken, existed, index = 0, 0, 0
local handed = {}
local function unlink(keys)
  if dry then
    for i = 1, #keys, 256 do existed = existed + redis.call('EXISTS', unpack(keys, i, math.min(#keys, i + 255))) end
  elseif cluster then
    for _, k in ipairs(keys) do
      local r = redis.pcall('UNLINK', k)
      if type(r) == 'number' then existed = existed + r else handed[#handed + 1] = k end
    end
  else
    for i = 1, #keys, 256 do
      local r = redis.pcall('UNLINK', unpack(keys, i, math.min(#keys, i + 255)))
      if type(r) ~= 'number' then return r.err end
      existed = existed + r
    end
  end
end
while taken < want do
  local b = redis.call('LINDEX', journal, index)
  if not b then break end
  local seq, ms, n, pos = header(b)
  if not seq then
    -- Not a blob (someone pushed it): it names no key of ours.
    if dry then index = index + 1 else redis.call('LPOP', journal) end
  else
    local keys = {}
    local limit = want - taken
    while pos <= #b and #keys < limit do
      local e = string.find(b, '\n', pos, true) or (#b + 1)
      keys[#keys + 1] = decode(string.sub(b, pos, e - 1))
      pos = e + 1
    end
    local refused = unlink(keys)
    if refused then
      -- The server will not remove them (a user without UNLINK, say): they stay in the journal, for later.
      if not dry and taken > 0 then redis.call('HINCRBY', state, 'keys', -taken) end
      return {'refused', refused, taken, existed}
    end
    taken = taken + #keys
    if dry then
      if pos <= #b then break end
      index = index + 1
    elseif pos > #b then
      redis.call('LPOP', journal)
    else
      redis.call('LSET', journal, 0, blob(seq, ms, n - #keys, string.sub(b, pos)))
    end
  end
end
local keys = int(redis.call('HGET', state, 'keys'))
if not dry and taken > 0 then
  keys = redis.call('HINCRBY', state, 'keys', -taken)
end
local hseq, hcount, age = head(journal, t)
local reply = {'ok', taken, existed, redis.call('HGET', state, 'id') or '', hseq, hcount, keys, age}
for _, k in ipairs(handed) do reply[#reply + 1] = k end
return reply
