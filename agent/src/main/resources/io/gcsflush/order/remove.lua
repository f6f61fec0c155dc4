-- Takes keys out of their blobs: keys the application deleted (or that expired, or were renamed), so that the journal
-- holds no dead weight and never names a key that is gone (another client might write one of that name). ARGV[1]: the
-- id of the journal the blobs are in ('': any); then groups of a blob's seq, a count n, and n keys as written in
-- blobs. A blob left empty is removed. Returns {keys taken out, keys in the journal}, or {-1, keys in the journal}
-- if the journal is another (made again, or swapped with another database's): seqs of another journal name other
-- blobs.
local journal, state = KEYS[1], KEYS[2]
if ARGV[1] ~= '' and redis.call('HGET', state, 'id') ~= ARGV[1] then
  return {-1, int(redis.call('HGET', state, 'keys'))}
end
local hseq = head(journal, now())
local out = 0
local i = 2
while i <= #ARGV do
  local seq, n = tonumber(ARGV[i]), tonumber(ARGV[i + 1])
  local names = {}
  for k = i + 2, i + 1 + n do names[ARGV[k]] = (names[ARGV[k]] or 0) + 1 end
  i = i + 2 + n
  local index, b
  if hseq >= 0 and seq >= hseq then index, b = locate(journal, seq, hseq) end
  if index then
    local s, ms, _, pos = header(b)
    local kept, taken = {}, 0
    lines(b, pos, function(line)
      local left = names[line]
      if left and left > 0 then
        names[line] = left - 1
        taken = taken + 1
      else
        kept[#kept + 1] = line
      end
    end)
    if taken > 0 then
      if #kept > 0 then
        redis.call('LSET', journal, index, blob(s, ms, #kept, table.concat(kept, '\n')))
      elseif index == 0 then
        redis.call('LPOP', journal)
        hseq = head(journal, now())
      else
        redis.call('LREM', journal, 1, b)
      end
      out = out + taken
    end
  end
end
local keys = int(redis.call('HGET', state, 'keys'))
if out > 0 then keys = redis.call('HINCRBY', state, 'keys', -out) end
return {out, keys}
