package io.gcsflush;

import io.gcsflush.bootstrap.Bridge;
import io.gcsflush.config.AgentConfig;
import io.gcsflush.flush.Flusher;
import io.gcsflush.instrument.ClientInstrumentation;
import io.gcsflush.instrument.Instrumenter;
import io.gcsflush.instrument.jedis.JedisEvents;
import io.gcsflush.instrument.jedis.JedisInstrumentations;
import io.gcsflush.instrument.lettuce.LettuceCompletion;
import io.gcsflush.instrument.lettuce.LettuceEvents;
import io.gcsflush.instrument.lettuce.LettuceInstrumentations;
import io.gcsflush.instrument.redisson.RedissonEvents;
import io.gcsflush.instrument.redisson.RedissonInstrumentations;
import io.gcsflush.jmx.Mbeans;
import io.gcsflush.order.DryRunAction;
import io.gcsflush.order.JournalOrder;
import io.gcsflush.order.KeyAction;
import io.gcsflush.order.LocalOrder;
import io.gcsflush.order.UnlinkAction;
import io.gcsflush.order.WriteOrder;
import io.gcsflush.ops.Control;
import io.gcsflush.ops.Settings;
import io.gcsflush.redis.RedisAccess;
import io.gcsflush.track.DebugDump;
import io.gcsflush.track.EventBuffer;
import io.gcsflush.track.EventProcessor;
import io.gcsflush.track.KeyFilter;
import io.gcsflush.track.Recorder;
import io.gcsflush.track.Sessions;
import io.gcsflush.track.Tracker;
import java.lang.instrument.Instrumentation;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** The running agent: the event buffer behind the bridge, the client instrumentations, and the agent's threads. */
final class AgentRuntime {
    private AgentRuntime() {}

    /**
     * On the application's start-up path, only what must exist before the first client class loads: the buffer
     * behind the bridge and the transformer. The rest (the logging library, the tracker, the two threads) is set up
     * on a thread of its own, while the application starts; events wait in the buffer meanwhile.
     */
    static void start(AgentConfig config, Instrumentation instrumentation, boolean attachedLate, String bridge) {
        if (Bridge.installed()) {
            Log.warn("gcs-flush is attached twice; only the first copy runs");
            return;
        }
        EventBuffer buffer = new EventBuffer(config.bufferCapacity());
        buffer.resolve(Bridge.LETTUCE | Bridge.REPLIED, new LettuceCompletion());
        buffer.lossFilter(Bridge.JEDIS, JedisEvents.lossFilter());
        buffer.lossFilter(Bridge.LETTUCE, LettuceEvents.lossFilter());
        buffer.lossFilter(Bridge.REDISSON, RedissonEvents.lossFilter());
        Bridge.install(buffer);
        List<ClientInstrumentation> clients = List.of(
                attachedLate ? JedisInstrumentations.jedis4To8Late() : JedisInstrumentations.jedis4To8(),
                attachedLate ? JedisInstrumentations.jedis3Late() : JedisInstrumentations.jedis3(),
                LettuceInstrumentations.lettuce5To7(), RedissonInstrumentations.redisson3_32To4(),
                RedissonInstrumentations.redisson3_17To3_31());
        Instrumenter.install(instrumentation, clients, attachedLate);
        io.gcsflush.jmx.Presence.publish(instrumentation, Agent.version());
        daemon("gcs-flush-start", new Runnable() {
            @Override
            public void run() {
                startThreads(config, buffer, attachedLate);
                Log.debug("bridge {}", bridge);
            }
        }).start();
    }

    private static void startThreads(AgentConfig config, EventBuffer buffer, boolean attachedLate) {
        try {
            Instrumenter.warmUp();
            Tracker tracker = new Tracker(config.maxKeys());
            KeyFilter filter = KeyFilter.of(config.include(), config.exclude());
            Recorder recorder = new Recorder(filter);
            EventProcessor processor = new EventProcessor(buffer, tracker, recorder);
            processor.register(Bridge.JEDIS, new JedisEvents(new Sessions(tracker), recorder, attachedLate));
            processor.register(Bridge.LETTUCE, new LettuceEvents(new Sessions(tracker), recorder, attachedLate));
            processor.register(Bridge.REDISSON, new RedissonEvents(new Sessions(tracker), recorder, attachedLate));
            buffer.helper(processor); // from now on a full buffer is drained by its producers rather than dropped
            Settings settings = Settings.of(config);
            Control control = new Control(settings, buffer::dropped);
            RedisAccess access = new RedisAccess(config.redisUser(), config.redisPassword(), config.redisTls(),
                    config.truststore(), config.truststorePassword(), config.keystore(), config.keystorePassword(),
                    config.verifyHostname());
            KeyAction action = config.dryRun() ? new DryRunAction() : new UnlinkAction();
            WriteOrder order = config.journal()
                    ? new JournalOrder(tracker, config.journalKey(), action, config.adopt(), filter, config.maxKeys())
                    : new LocalOrder(tracker, action);
            Flusher flusher = new Flusher(tracker, control, order, access, config.flushUncovered());
            daemon("gcs-flush-events", processor).start();
            daemon("gcs-flush-flusher", flusher).start();
            Mbeans mbeans = Mbeans.start(control, Agent.version(), attachedLate);
            String dump = System.getProperty(DebugDump.PROPERTY, "");
            if (!dump.isEmpty()) {
                daemon("gcs-flush-debug-dump", new DebugDump(Path.of(dump), tracker, processor, buffer, recorder))
                        .start();
            }
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                // A normal exit: what the application wrote last enters the order (a second at most).
                processor.awaitApplied(TimeUnit.MILLISECONDS.toNanos(500));
                flusher.finish(TimeUnit.MILLISECONDS.toNanos(1000));
                mbeans.close();
            }, "gcs-flush-exit"));
            Log.info("gcs-flush {} started: {}; {}; removes {} ({})", Agent.version(), settings.policy().describe(),
                    order.describe(), filter, config.describe());
        } catch (Throwable t) {
            Bridge.install(null);
            System.err.println("[gcs-flush] ERROR the agent could not start (" + t + "); the application runs "
                    + "without it");
        }
    }

    private static Thread daemon(String name, Runnable task) {
        Thread thread = new Thread(task, name);
        thread.setDaemon(true);
        return thread;
    }
}
