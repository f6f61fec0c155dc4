package io.gcsflush.it.spring;

import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.security.CodeSource;
import java.util.List;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.core.RedisCallback;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.core.ValueOperations;
import org.springframework.stereotype.Component;

/**
 * Writes keys {@code <prefix>:000000}, {@code <prefix>:000001}, ... in that order from one thread with the
 * auto-configured {@link StringRedisTemplate}, prints {@code wrote N}, and stays until its stdin closes, like the
 * tests' other writer applications. Before writing it prints which driver Spring chose:
 * <pre>
 * connection factory org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory
 * native connection io.lettuce.core.RedisAsyncCommandsImpl from /.../lettuce-core-6.6.0.RELEASE.jar
 * </pre>
 * Its own settings (not Redis's), as application properties: {@code writer.prefix} (default {@code app}),
 * {@code writer.count} (1000), {@code writer.value-size} (bytes of each value, 300), {@code writer.mode}:
 * {@code plain} ({@code opsForValue().set} per key) or {@code pipelined} ({@code executePipelined}, 100 SETs a
 * pipeline).
 */
@Component
class RedisWriter implements ApplicationRunner {
    /** The same names as the tests' WriterArgs.KEY_FORMAT, which the tests check the keys by. */
    static final String KEY_FORMAT = "%s:%06d";
    private static final int PIPELINE = 100;

    private final StringRedisTemplate template;
    private final RedisConnectionFactory factory;
    private final String prefix;
    private final int count;
    private final int valueSize;
    private final String mode;

    RedisWriter(StringRedisTemplate template, RedisConnectionFactory factory,
                @Value("${writer.prefix:app}") String prefix, @Value("${writer.count:1000}") int count,
                @Value("${writer.value-size:300}") int valueSize, @Value("${writer.mode:plain}") String mode) {
        this.template = template;
        this.factory = factory;
        this.prefix = prefix;
        this.count = count;
        this.valueSize = valueSize;
        this.mode = mode;
    }

    @Override
    public void run(ApplicationArguments args) throws Exception {
        System.out.println("connection factory " + factory.getClass().getName());
        try (RedisConnection connection = factory.getConnection()) {
            Object nativeConnection = connection.getNativeConnection();
            System.out.println("native connection " + nativeConnection.getClass().getName() + " from "
                    + origin(nativeConnection.getClass()));
        }
        switch (mode) {
            case "plain" -> {
                ValueOperations<String, String> values = template.opsForValue();
                for (int i = 0; i < count; i++) {
                    values.set(key(i), value(i));
                }
            }
            case "pipelined" -> {
                for (int start = 0; start < count; start += PIPELINE) {
                    int from = start;
                    int to = Math.min(count, start + PIPELINE);
                    List<Object> replies = template.executePipelined((RedisCallback<Object>) connection -> {
                        for (int i = from; i < to; i++) {
                            connection.stringCommands().set(bytes(key(i)), bytes(value(i)));
                        }
                        return null;
                    });
                    if (replies.size() != to - from) {
                        throw new IllegalStateException(replies.size() + " replies to " + (to - from) + " SETs");
                    }
                }
            }
            default -> throw new IllegalArgumentException("writer.mode must be plain or pipelined, not " + mode);
        }
        System.out.println("wrote " + count);
        BufferedReader stdin = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        while (stdin.readLine() != null) {
            // nothing to do but wait for the end of stdin: the agent keeps flushing meanwhile
        }
    }

    private String key(int index) {
        return String.format(KEY_FORMAT, prefix, index);
    }

    /** The index, padded to {@code valueSize} bytes, as the tests' other writers write. */
    private String value(int index) {
        StringBuilder value = new StringBuilder(valueSize).append(index).append('=');
        while (value.length() < valueSize) {
            value.append((char) ('a' + value.length() % 26));
        }
        return value.toString();
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** The jar (or folder) a class was loaded from, or its class loader's description if it has no code source. */
    private static String origin(Class<?> type) {
        CodeSource source = type.getProtectionDomain().getCodeSource();
        if (source == null || source.getLocation() == null) {
            return "(no code source; loader " + type.getClassLoader() + ")";
        }
        String location = source.getLocation().toString();
        if (location.startsWith("file:")) {
            try {
                return new File(source.getLocation().toURI()).getAbsolutePath();
            } catch (Exception e) {
                return location;
            }
        }
        return location; // nested jar of a Boot fat jar: jar:nested:/.../app.jar/!BOOT-INF/lib/...
    }
}
