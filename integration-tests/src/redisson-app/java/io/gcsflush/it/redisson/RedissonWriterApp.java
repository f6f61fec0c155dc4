package io.gcsflush.it.redisson;

import io.gcsflush.it.apps.ClientVersionApp;
import io.gcsflush.it.apps.ConditionalKeys;
import io.gcsflush.it.apps.WriterArgs;
import io.gcsflush.it.apps.WriterLoop;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.redisson.Redisson;
import org.redisson.api.BatchOptions;
import org.redisson.api.BatchResult;
import org.redisson.api.RBatch;
import org.redisson.api.RBucket;
import org.redisson.api.RFuture;
import org.redisson.api.RLock;
import org.redisson.api.RTransaction;
import org.redisson.api.RedissonClient;
import org.redisson.api.TransactionOptions;
import org.redisson.client.codec.StringCodec;
import org.redisson.config.Config;

/**
 * Writes keys with Redisson's objects, one thread, one client (see {@link WriterArgs} and {@link WriterLoop}); the
 * database is Redisson's {@code database} setting, which Redisson selects as each connection opens. Compiled by the
 * tests against each Redisson version they run (RedissonApps), with the methods every tested version shares.
 *
 * <p>Modes, each writing key {@code i} in index order:
 * <ul>
 *   <li>{@code bucket}: {@code RBucket.set} (SET);</li>
 *   <li>{@code tryset}: {@code RBucket.trySet} (SETNX);</li>
 *   <li>{@code map}: {@code RMap.put} of one entry (a Lua script: EVAL or EVALSHA, with the map as its key);</li>
 *   <li>{@code fastput}: {@code RMap.fastPut} of one entry (HSET);</li>
 *   <li>{@code list}: {@code RList.add} of one element (RPUSH);</li>
 *   <li>{@code batch}: {@code RBatch}, {@value WriterArgs#BATCH} {@code RBucket.setAsync} per batch (a pipeline);</li>
 *   <li>{@code atomic}: the same in {@code ExecutionMode.IN_MEMORY_ATOMIC} (MULTI ... EXEC);</li>
 *   <li>{@code transaction}: {@code RTransaction}, {@value WriterArgs#BATCH} {@code RBucket.set} per commit;</li>
 *   <li>{@code lock}: for each key, {@code RLock.lock()} on {@code lock:<key>}, {@code RBucket.set}, {@code unlock()}:
 *   Redisson's lock scripts, with the lock's key, its pub/sub channel and (3.24 on) an unlock latch among their
 *   declared keys.</li>
 * </ul>
 * Removing ({@code del}, {@code unlink}, {@code getdel}) and renaming go through {@code RBucket}: DEL, UNLINK, a
 * script that GETs and DELs, RENAME.
 */
public final class RedissonWriterApp {

    public enum Mode { BUCKET, TRYSET, MAP, FASTPUT, LIST, BATCH, ATOMIC, TRANSACTION, LOCK }

    private RedissonWriterApp() {
    }

    public static void main(String[] arguments) throws Exception {
        ClientVersionApp.describe("org.redisson.Redisson", "org.redisson", "redisson");
        WriterArgs args = WriterArgs.parse(arguments, "bucket");
        Mode mode = Mode.valueOf(args.mode.toUpperCase(Locale.ROOT));
        Config config = new Config();
        config.setThreads(2);
        config.setNettyThreads(2);
        config.useSingleServer()
                .setAddress("redis://" + args.host + ":" + args.port)
                .setDatabase(args.db)
                .setConnectionMinimumIdleSize(1)
                .setConnectionPoolSize(2)
                .setSubscriptionConnectionMinimumIdleSize(1)
                .setSubscriptionConnectionPoolSize(1);
        RedissonClient client = Redisson.create(config);
        try {
            // One client for the whole run: Redisson's connections are pooled, as in any application.
            WriterLoop.run(args, () -> new Writer(client, args, mode));
        } finally {
            client.shutdown(0, 2, TimeUnit.SECONDS);
        }
        System.exit(0);
    }

    private static final class Writer implements WriterLoop.Writer {
        private final RedissonClient client;
        private final WriterArgs args;
        private final Mode mode;

        Writer(RedissonClient client, WriterArgs args, Mode mode) {
            this.client = client;
            this.args = args;
            this.mode = mode;
        }

        private RBucket<String> bucket(String key) {
            return client.getBucket(key, StringCodec.INSTANCE);
        }

        @Override
        public void write(int from, int to) {
            switch (mode) {
                case BUCKET:
                    for (int i = from; i < to; i++) {
                        bucket(args.key(i)).set(args.value(i));
                    }
                    break;
                case TRYSET:
                    for (int i = from; i < to; i++) {
                        if (!bucket(args.key(i)).trySet(args.value(i))) {
                            bucket(args.key(i)).set(args.value(i)); // written again: the key was there already
                        }
                    }
                    break;
                case MAP:
                    for (int i = from; i < to; i++) {
                        client.<String, String>getMap(args.key(i), StringCodec.INSTANCE).put("v", args.value(i));
                    }
                    break;
                case FASTPUT:
                    for (int i = from; i < to; i++) {
                        client.<String, String>getMap(args.key(i), StringCodec.INSTANCE).fastPut("v", args.value(i));
                    }
                    break;
                case LIST:
                    for (int i = from; i < to; i++) {
                        client.<String>getList(args.key(i), StringCodec.INSTANCE).add(args.value(i));
                    }
                    break;
                case BATCH:
                    batches(from, to, BatchOptions.defaults());
                    break;
                case ATOMIC:
                    batches(from, to, BatchOptions.defaults().executionMode(BatchOptions.ExecutionMode.IN_MEMORY_ATOMIC));
                    break;
                case TRANSACTION:
                    for (int start = from; start < to; start += WriterArgs.BATCH) {
                        RTransaction transaction = client.createTransaction(TransactionOptions.defaults());
                        for (int i = start; i < Math.min(to, start + WriterArgs.BATCH); i++) {
                            transaction.<String>getBucket(args.key(i), StringCodec.INSTANCE).set(args.value(i));
                        }
                        transaction.commit();
                    }
                    break;
                case LOCK:
                    for (int i = from; i < to; i++) {
                        RLock lock = client.getLock("lock:" + args.key(i));
                        lock.lock();
                        try {
                            bucket(args.key(i)).set(args.value(i));
                        } finally {
                            lock.unlock();
                        }
                    }
                    break;
                default:
                    throw new IllegalStateException(mode.toString());
            }
        }

        private void batches(int from, int to, BatchOptions options) {
            for (int start = from; start < to; start += WriterArgs.BATCH) {
                RBatch batch = client.createBatch(options);
                List<RFuture<Void>> replies = new ArrayList<>();
                for (int i = start; i < Math.min(to, start + WriterArgs.BATCH); i++) {
                    replies.add(batch.<String>getBucket(args.key(i), StringCodec.INSTANCE).setAsync(args.value(i)));
                }
                BatchResult<?> result = batch.execute();
                if (result.getResponses().size() != replies.size()) {
                    throw new IllegalStateException(result.getResponses().size() + " of " + replies.size()
                            + " replies from key " + start);
                }
            }
        }

        @Override
        public void delete(String command, String key) {
            switch (command) {
                case "del":
                    bucket(key).delete();
                    break;
                case "unlink":
                    bucket(key).unlink();
                    break;
                case "getdel":
                    bucket(key).getAndDelete();
                    break;
                default:
                    throw new IllegalArgumentException(command);
            }
        }

        @Override
        public void rename(String from, String to) {
            bucket(from).rename(to);
        }

        @Override
        public ConditionalKeys.Tally conditional(String foreign, int count, String prefix) {
            throw new UnsupportedOperationException("conditional writes are Jedis's and Lettuce's");
        }

        @Override
        public void close() {
            // The client outlives each writer: it is shut down once, at the end.
        }
    }
}
