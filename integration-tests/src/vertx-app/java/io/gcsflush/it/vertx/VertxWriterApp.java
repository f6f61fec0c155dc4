package io.gcsflush.it.vertx;

import io.gcsflush.it.apps.ClientVersionApp;
import io.gcsflush.it.apps.ConditionalKeys;
import io.gcsflush.it.apps.WriterArgs;
import io.gcsflush.it.apps.WriterLoop;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisConnection;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.util.concurrent.TimeUnit;

/**
 * Writes keys with the Vert.x Redis client, a client the agent does not follow: one connection, one SET at a time,
 * each awaited (see {@link WriterArgs} and {@link WriterLoop}; the database is in the connection string). Compiled by
 * the tests against Vert.x (ClientApps), which stays off the test classpath.
 */
public final class VertxWriterApp {

    private VertxWriterApp() {
    }

    public static void main(String[] arguments) throws Exception {
        ClientVersionApp.describe("io.vertx.redis.client.Redis", "io.vertx", "vertx-redis-client");
        WriterArgs args = WriterArgs.parse(arguments, "set");
        Vertx vertx = Vertx.vertx();
        try {
            Redis redis = Redis.createClient(vertx, args.uri());
            WriterLoop.run(args, () -> new Writer(await(redis.connect()), args));
        } finally {
            await(vertx.close());
        }
        System.exit(0);
    }

    private static <T> T await(Future<T> future) {
        try {
            return future.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static final class Writer implements WriterLoop.Writer {
        private final RedisConnection connection;
        private final WriterArgs args;

        Writer(RedisConnection connection, WriterArgs args) {
            this.connection = connection;
            this.args = args;
        }

        private Response send(Request request) {
            return await(connection.send(request));
        }

        @Override
        public void write(int from, int to) {
            for (int i = from; i < to; i++) {
                send(Request.cmd(Command.SET).arg(args.key(i)).arg(args.value(i)));
            }
        }

        @Override
        public void delete(String command, String key) {
            send(Request.cmd(Command.create(command.toUpperCase(java.util.Locale.ROOT))).arg(key));
        }

        @Override
        public void rename(String from, String to) {
            send(Request.cmd(Command.RENAME).arg(from).arg(to));
        }

        @Override
        public ConditionalKeys.Tally conditional(String foreign, int count, String prefix) {
            throw new UnsupportedOperationException("conditional writes are Jedis's and Lettuce's");
        }

        @Override
        public void close() {
            connection.close();
        }
    }
}
