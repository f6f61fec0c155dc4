package io.gcsflush.it.apps;

import io.gcsflush.it.apps.FuzzCommand.Err;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.RedisURI;
import io.lettuce.core.TransactionResult;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.output.ArrayOutput;
import io.lettuce.core.output.BooleanOutput;
import io.lettuce.core.output.CommandOutput;
import io.lettuce.core.output.DoubleOutput;
import io.lettuce.core.output.IntegerOutput;
import io.lettuce.core.output.StatusOutput;
import io.lettuce.core.output.ValueOutput;
import io.lettuce.core.protocol.CommandArgs;
import io.lettuce.core.protocol.CommandType;
import io.lettuce.core.protocol.ProtocolKeyword;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * The fuzz application's connections through Lettuce with the {@code byte[]} codec: {@code dispatch} of each command
 * with the output Lettuce's own API gives it (integers, booleans, status, values, arrays, doubles), keys as keys;
 * sync calls, MULTI/EXEC on the sync API, and batches of async commands with auto-flush off.
 */
final class FuzzLettuce implements FuzzClient {
    private static final ByteArrayCodec CODEC = ByteArrayCodec.INSTANCE;
    private final RedisClient client;
    private final List<StatefulRedisConnection<byte[], byte[]>> connections = new ArrayList<>();

    FuzzLettuce(String host, int port) {
        client = RedisClient.create(RedisURI.builder().withHost(host).withPort(port)
                .withTimeout(Duration.ofSeconds(30)).build());
        for (int i = 0; i <= CONNECTIONS; i++) connections.add(client.connect(CODEC));
    }

    @Override
    public Object call(int connection, FuzzCommand c) {
        try {
            return FuzzClient.normalize(connections.get(connection).sync().dispatch(type(c), output(c), args(c)));
        } catch (RedisCommandExecutionException e) {
            return new Err(e.getMessage());
        }
    }

    @Override
    public List<Object> pipeline(int connection, List<FuzzCommand> commands) {
        StatefulRedisConnection<byte[], byte[]> conn = connections.get(connection);
        List<RedisFuture<?>> futures = new ArrayList<>();
        conn.setAutoFlushCommands(false);
        try {
            for (FuzzCommand c : commands) futures.add(conn.async().dispatch(type(c), output(c), args(c)));
            conn.flushCommands();
        } finally {
            conn.setAutoFlushCommands(true);
        }
        List<Object> replies = new ArrayList<>();
        for (RedisFuture<?> f : futures) {
            try {
                replies.add(FuzzClient.normalize(f.get(30, TimeUnit.SECONDS)));
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof RedisCommandExecutionException)) throw new IllegalStateException(e);
                replies.add(new Err(e.getCause().getMessage()));
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
        return replies;
    }

    @Override
    public Object transaction(int connection, byte[] watch, List<FuzzCommand> commands, Runnable beforeExec,
                              boolean discard) {
        RedisCommands<byte[], byte[]> sync = connections.get(connection).sync();
        if (watch != null) sync.watch(watch);
        sync.multi();
        for (FuzzCommand c : commands) sync.dispatch(type(c), output(c), args(c)); // null: queued
        beforeExec.run();
        if (discard) {
            sync.discard();
            return null;
        }
        TransactionResult result;
        try {
            result = sync.exec();
        } catch (RedisCommandExecutionException e) {
            return new Err(e.getMessage());
        }
        if (result.wasDiscarded()) return null;
        List<Object> replies = new ArrayList<>();
        for (Object r : result) replies.add(FuzzClient.normalize(r));
        return replies;
    }

    private static ProtocolKeyword type(FuzzCommand c) {
        try {
            return CommandType.valueOf(c.name);
        } catch (IllegalArgumentException e) {
            byte[] raw = c.name.getBytes(StandardCharsets.US_ASCII);
            return new ProtocolKeyword() {
                @Override
                public byte[] getBytes() {
                    return raw;
                }

                @Override
                public String toString() {
                    return c.name;
                }
            };
        }
    }

    private static CommandOutput<byte[], byte[], ?> output(FuzzCommand c) {
        return switch (c.reply) {
            case STATUS -> new StatusOutput<>(CODEC);
            case INTEGER -> new IntegerOutput<>(CODEC);
            case BOOLEAN -> new BooleanOutput<>(CODEC);
            case BULK -> new ValueOutput<>(CODEC);
            case ARRAY -> new ArrayOutput<>(CODEC);
            case DOUBLE -> new DoubleOutput<>(CODEC);
        };
    }

    private static CommandArgs<byte[], byte[]> args(FuzzCommand c) {
        CommandArgs<byte[], byte[]> args = new CommandArgs<>(CODEC);
        for (int i = 0; i < c.args.length; i++) {
            if (c.isKey(i)) args.addKey(c.args[i]);
            else args.add(c.args[i]);
        }
        return args;
    }

    @Override
    public void close() {
        for (StatefulRedisConnection<byte[], byte[]> c : connections) c.close();
        client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
    }
}
