package io.gcsflush.it;

import io.gcsflush.it.apps.PacedWriterApp;
import io.gcsflush.it.apps.WriterArgs;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Pipeline;
import redis.clients.jedis.Response;

/**
 * The keys of {@link PacedWriterApp}s, each with the time its application wrote it, and whether it is still in Redis:
 * what it takes to check that what the agents removed is the oldest part of the global order of writes.
 */
final class WriteTimes {
    /** One key: who wrote it, when, and whether it is still there. */
    record Key(String name, long writtenAt, boolean present) {
    }

    final List<Key> keys = new ArrayList<>();

    /** Adds the keys an application recorded in {@code times} (all of them, or as far as it got). */
    WriteTimes add(RedisServer redis, int db, String prefix, Path times) {
        List<String> lines;
        try {
            lines = Files.readAllLines(times, StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<String> names = new ArrayList<>();
        List<Long> at = new ArrayList<>();
        for (String line : lines) {
            String[] parts = line.trim().split(" ");
            if (parts.length != 2) continue; // a last line cut short by a kill
            names.add(WriterArgs.key(prefix, Integer.parseInt(parts[0])));
            at.add(Long.parseLong(parts[1]));
        }
        try (Jedis jedis = redis.jedis(db)) {
            Pipeline p = jedis.pipelined();
            List<Response<Boolean>> exists = new ArrayList<>();
            for (String name : names) exists.add(p.exists(name));
            p.sync();
            for (int i = 0; i < names.size(); i++) keys.add(new Key(names.get(i), at.get(i), exists.get(i).get()));
        }
        return this;
    }

    long removed() {
        return keys.stream().filter(k -> !k.present()).count();
    }

    long present() {
        return keys.stream().filter(Key::present).count();
    }

    /**
     * How much newer than the oldest key kept the newest key removed is, in ms; at most 0 when exactly the oldest
     * keys are gone, negative (the gap between them) when there is one. Long.MIN_VALUE if nothing was removed or
     * nothing kept.
     */
    long inversionMillis() {
        long newestRemoved = keys.stream().filter(k -> !k.present()).mapToLong(Key::writtenAt).max()
                .orElse(Long.MIN_VALUE);
        long oldestKept = keys.stream().filter(Key::present).mapToLong(Key::writtenAt).min().orElse(Long.MIN_VALUE);
        if (newestRemoved == Long.MIN_VALUE || oldestKept == Long.MIN_VALUE) return Long.MIN_VALUE;
        return newestRemoved - oldestKept;
    }

    /** For failure messages: per prefix, how many are gone and the time range of what is gone and what is kept. */
    String describe() {
        StringBuilder s = new StringBuilder();
        keys.stream().map(k -> k.name().substring(0, k.name().indexOf(':'))).distinct().forEach(prefix -> {
            List<Key> mine = keys.stream().filter(k -> k.name().startsWith(prefix + ":")).toList();
            long gone = mine.stream().filter(k -> !k.present()).count();
            s.append(prefix).append(": ").append(gone).append(" of ").append(mine.size()).append(" gone");
            mine.stream().filter(k -> !k.present()).mapToLong(Key::writtenAt).max()
                    .ifPresent(t -> s.append(", newest gone written at ").append(t));
            mine.stream().filter(Key::present).mapToLong(Key::writtenAt).min()
                    .ifPresent(t -> s.append(", oldest kept written at ").append(t));
            s.append("; ");
        });
        return s.toString();
    }
}
