package io.gcsflush.jmx;

import io.gcsflush.ops.Control;
import io.gcsflush.ops.ServerStats;

/** {@link ServerMXBean}: reads what the flusher publishes of one server. Called on JMX's threads. */
final class ServerBean implements ServerMXBean {
    private final Control control;
    private final ServerStats stats;

    ServerBean(Control control, ServerStats stats) {
        this.control = control;
        this.stats = stats;
    }

    @Override public String getAddress() { return stats.address().toString(); }
    @Override public String getState() { return stats.state().lowerName(); }

    @Override
    public String getProblem() {
        String problem = stats.problem();
        return problem == null ? "" : problem;
    }

    @Override public long getUsedMemory() { return stats.usedMemory(); }
    @Override public long getUsedMemoryTime() { return stats.usedMemoryAt(); }
    @Override public long getThreshold() { return control.settings().thresholdBytes(); }
    @Override public long getKeysTracked() { return stats.keysTracked(); }
    @Override public long getKeysInOrder() { return stats.keysInOrder(); }
    @Override public long getBytesTracked() { return stats.bytesTracked(); }
    @Override public long getFlushes() { return stats.flushes(); }
    @Override public long getKeysRemoved() { return stats.keysRemoved(); }
    @Override public long getLastFlushTime() { return stats.lastFlushAt(); }
    @Override public long getLastFlushDurationMillis() { return stats.lastFlushMillis(); }
    @Override public long getLastFlushKeysRemoved() { return stats.lastFlushRemoved(); }

    @Override
    public String flushNow() {
        return String.join("; ", AgentBean.await(control.requestFlush(stats.address())));
    }
}
