package io.gcsflush;

import io.gcsflush.bootstrap.Bridge;
import io.gcsflush.config.AgentConfig;
import io.gcsflush.flush.DryRunAction;
import io.gcsflush.flush.Flusher;
import io.gcsflush.flush.UnlinkAction;
import io.gcsflush.instrument.Instrumenter;
import io.gcsflush.instrument.jedis.JedisEvents;
import io.gcsflush.instrument.jedis.JedisInstrumentation;
import io.gcsflush.instrument.lettuce.LettuceEvents;
import io.gcsflush.instrument.lettuce.LettuceInstrumentation;
import io.gcsflush.policy.SimpleFlushPolicy;
import io.gcsflush.track.EventBuffer;
import io.gcsflush.track.EventProcessor;
import io.gcsflush.track.Recorder;
import io.gcsflush.track.Sessions;
import io.gcsflush.track.Tracker;
import java.lang.instrument.Instrumentation;
import java.util.List;
import org.slf4j.Logger;

/** The running agent: its two threads, the event buffer behind the bridge, and the client instrumentations. */
final class AgentRuntime {
    private AgentRuntime() {}

    static void start(AgentConfig config, Instrumentation instrumentation, boolean attachedLate, Logger log) {
        if (Bridge.installed()) {
            log.warn("gcs-flush is attached twice; only the first copy runs");
            return;
        }

        Tracker tracker = new Tracker(config.maxKeys());
        Recorder recorder = new Recorder(tracker);
        EventBuffer buffer = new EventBuffer(config.bufferCapacity());
        EventProcessor processor = new EventProcessor(buffer, tracker, recorder);
        processor.register(Bridge.JEDIS, new JedisEvents(new Sessions(tracker), recorder, attachedLate));
        LettuceEvents lettuce = new LettuceEvents(new Sessions(tracker), recorder, attachedLate);
        processor.register(Bridge.LETTUCE, lettuce);
        buffer.resolve(Bridge.LETTUCE | Bridge.REPLIED, lettuce.resolver());
        SimpleFlushPolicy policy = new SimpleFlushPolicy(config.thresholdBytes(), config.periodNanos(), config.batch());
        Flusher flusher = new Flusher(tracker, policy, config.dryRun() ? new DryRunAction() : new UnlinkAction());

        daemon("gcs-flush-events", processor).start();
        daemon("gcs-flush-flusher", flusher).start();
        Bridge.install(buffer);
        Instrumenter.install(instrumentation, List.of(new JedisInstrumentation(), new LettuceInstrumentation()),
                attachedLate);
        log.info("gcs-flush {} started: {} ({})", Agent.version(), policy.describe(), config.describe());
    }

    private static Thread daemon(String name, Runnable task) {
        Thread thread = new Thread(task, name);
        thread.setDaemon(true);
        return thread;
    }
}
