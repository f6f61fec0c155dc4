package io.gcsflush.it;

import io.gcsflush.it.apps.WriterArgs;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import redis.clients.jedis.Jedis;

/**
 * The keys a writer application ({@code io.gcsflush.it.apps}) writes: {@code prefix:000000}, {@code prefix:000001},
 * ... in that order, in one database. Knows the application's arguments for them, and checks which are gone.
 */
final class ChildKeys {
    /**
     * The indices of the keys in [from, to) that are gone, as inclusive ranges {@code start, end, start, end...},
     * computed inside Redis in one script: atomic, so a flush under way cannot make the answer inconsistent, and
     * small, so that checking does not itself move used_memory. Key names come from {@link WriterArgs#KEY_FORMAT},
     * which is a valid Lua format too.
     */
    private static final String GONE_RANGES = String.join("\n",
            "local format, prefix, from, to = ARGV[1], ARGV[2], tonumber(ARGV[3]), tonumber(ARGV[4])",
            "local ranges, start = {}, nil",
            "for i = from, to - 1 do",
            "  if redis.call('EXISTS', string.format(format, prefix, i)) == 0 then",
            "    if start == nil then start = i end",
            "  elseif start ~= nil then",
            "    table.insert(ranges, start); table.insert(ranges, i - 1); start = nil",
            "  end",
            "end",
            "if start ~= nil then table.insert(ranges, start); table.insert(ranges, to - 1) end",
            "return ranges");

    final int db;
    final String prefix;
    final int count;
    final int valueSize;

    ChildKeys(int db, String prefix, int count, int valueSize) {
        this.db = db;
        this.prefix = prefix;
        this.count = count;
        this.valueSize = valueSize;
    }

    String key(int index) {
        return WriterArgs.key(prefix, index);
    }

    /** The writer application's arguments to write these keys to {@code redis} in {@code mode}. */
    String[] args(RedisServer redis, String mode) {
        return new String[] {"--host", redis.host(), "--port", String.valueOf(redis.port()), "--db", String.valueOf(db),
            "--prefix", prefix, "--count", String.valueOf(count), "--value-size", String.valueOf(valueSize),
            "--mode", mode};
    }

    /** How many of the oldest keys are gone; fails if those gone are not exactly the oldest ones. */
    int gonePrefix(RedisServer redis) {
        return gonePrefix(redis, 0, count);
    }

    /**
     * How many keys from index {@code from} on are gone, all of [from, from + n) and none of [from + n, to); fails if
     * the keys gone in [from, to) are not such a prefix.
     */
    int gonePrefix(RedisServer redis, int from, int to) {
        List<long[]> gone = goneRanges(redis, from, to);
        if (gone.isEmpty()) {
            return 0;
        }
        if (gone.size() == 1 && gone.get(0)[0] == from) {
            return (int) (gone.get(0)[1] - from + 1);
        }
        throw new AssertionError("the application's keys that are gone are not the oldest ones: of " + prefix
                + " indices " + from + ".." + (to - 1) + " in database " + db + ", gone are " + describe(gone));
    }

    /** How many of the keys are gone, whichever they are. */
    int goneCount(RedisServer redis) {
        return goneRanges(redis, 0, count).stream().mapToInt(r -> (int) (r[1] - r[0] + 1)).sum();
    }

    /** Whether none of the keys is gone. */
    boolean allPresent(RedisServer redis) {
        return goneRanges(redis, 0, count).isEmpty();
    }

    List<long[]> goneRanges(RedisServer redis, int from, int to) {
        try (Jedis jedis = redis.jedis(db)) {
            List<?> flat = (List<?>) jedis.eval(GONE_RANGES, List.of(),
                    List.of(WriterArgs.KEY_FORMAT, prefix, String.valueOf(from), String.valueOf(to)));
            List<long[]> ranges = new ArrayList<>();
            for (int i = 0; i + 1 < flat.size(); i += 2) {
                ranges.add(new long[] {(Long) flat.get(i), (Long) flat.get(i + 1)});
            }
            return ranges;
        }
    }

    static String describe(List<long[]> ranges) {
        return ranges.isEmpty() ? "none" : ranges.stream()
                .map(r -> r[0] == r[1] ? String.valueOf(r[0]) : r[0] + ".." + r[1])
                .collect(Collectors.joining(", "));
    }

    @Override
    public String toString() {
        return count + " keys " + key(0) + ".." + key(count - 1) + " in database " + db;
    }
}
