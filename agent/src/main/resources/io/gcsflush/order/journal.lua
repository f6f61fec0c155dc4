-- gcs-flush: the journal of one database, shared by every agent that writes to it.
--
-- KEYS[1], a list, is the order in which applications created their keys, oldest first, as blobs: a header line
-- "gcs-flush/1 <seq> <ms> <count>" and then one key per line. <seq> numbers the blobs (consecutive, so that a
-- blob's index is its seq minus the head's), <ms> is the server's time when it was appended, <count> the keys it
-- holds. A key that contains a newline, starts with a backslash or is empty is written as a backslash and its bytes
-- in hex. KEYS[2], a hash, holds the journal's state: id (changes when the journal is created again), seq (the last
-- blob's), keys (in the journal), last (server time of the last flush, ms).
-- `redis-cli --raw LRANGE <journal> 0 0` shows the oldest blob, a key per line.
--
-- This file is the common part; each operation's script follows it.

local function header(blob)
  local nl = string.find(blob, '\n', 1, true)
  local line = nl and string.sub(blob, 1, nl - 1) or blob
  local seq, ms, n = string.match(line, '^gcs%-flush/1 (%-?%d+) (%d+) (%d+)$')
  if not seq then return nil end
  return tonumber(seq), tonumber(ms), tonumber(n), (nl or #blob) + 1
end

local function decode(line)
  if string.byte(line, 1) ~= 92 then return line end
  return (string.gsub(string.sub(line, 2), '%x%x', function(h) return string.char(tonumber(h, 16)) end))
end

local function blob(seq, ms, n, body)
  local line = string.format('gcs-flush/1 %.0f %.0f %d', seq, ms, n)
  if n == 0 then return line end
  return line .. '\n' .. body
end

local function now()
  local t = redis.call('TIME')
  return tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
end

local function int(s)
  return tonumber(s) or 0
end

-- The head blob's seq and count, and the age of the oldest key in ms; -1s for an empty journal.
local function head(journal, t)
  local first = redis.call('LINDEX', journal, 0)
  if first then
    local seq, ms, n = header(first)
    if seq then return seq, n, t - ms end
  end
  return -1, -1, -1
end

local function fmt(x)
  return string.format('%.0f', x)
end

-- The journal's id, creating its state when there is none: {id, 0} if it existed, {new id, 1} if the journal is
-- new, {new id, 2} if blobs outlived their state (someone deleted it), which are then counted again.
local function ensure(journal, state, newId)
  local id = redis.call('HGET', state, 'id')
  if id then return id, 0 end
  local created, seq, keys = 1, 0, 0
  local length = redis.call('LLEN', journal)
  if length > 0 then
    created = 2
    for from = 0, length - 1, 256 do
      for _, b in ipairs(redis.call('LRANGE', journal, from, from + 255)) do
        local s, _, n = header(b)
        if s then seq = s; keys = keys + n end
      end
    end
  end
  redis.call('HSET', state, 'id', newId, 'format', '1', 'seq', fmt(seq), 'keys', fmt(keys), 'last', '0')
  return newId, created
end

-- The index of the blob numbered seq, or nil if it is no longer there. Blobs are in seq order with gaps where some
-- were removed whole, so the blob is at most seq - hseq from the head; each look narrows where it can be: a blob of a
-- higher seq s at i puts it before i and at i - (s - seq) or after, one of a lower seq s after i and at i + (seq - s)
-- or before. Looking where it would be without gaps after it, then where it would be without gaps before it, finds it
-- in a look or two; other gaps are halved.
local function locate(journal, seq, hseq)
  local lo, hi = 0, math.min(seq - hseq, redis.call('LLEN', journal) - 1)
  local index = hi
  while lo <= hi do
    local b = redis.call('LINDEX', journal, index)
    local s = b and header(b)
    if not s then return nil end
    if s == seq then return index, b end
    if s > seq then
      hi = index - 1
      lo = math.max(lo, index - (s - seq))
      index = lo
    else
      lo = index + 1
      hi = math.min(hi, index + (seq - s))
      index = math.floor((lo + hi) / 2)
    end
  end
  return nil
end

-- Calls f with each line of a blob's body, from pos.
local function lines(b, pos, f)
  while pos <= #b do
    local e = string.find(b, '\n', pos, true) or (#b + 1)
    f(string.sub(b, pos, e - 1))
    pos = e + 1
  end
end
