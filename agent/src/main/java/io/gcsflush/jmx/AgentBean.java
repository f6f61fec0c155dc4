package io.gcsflush.jmx;

import io.gcsflush.config.AgentConfig;
import io.gcsflush.ops.Control;
import io.gcsflush.ops.FlushRequest;
import io.gcsflush.ops.ServerStats;
import io.gcsflush.ops.Settings;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** {@link AgentMXBean}: reads what {@link Control} publishes; changes go through it. Called on JMX's threads. */
final class AgentBean implements AgentMXBean {
    static final String BY = "through JMX";
    /** How long an operation waits for the flusher to carry out a flush asked for. */
    static final long FLUSH_WAIT_SECONDS = 30;

    private final Control control;
    private final String version;
    private final boolean attached;
    private final long startTime = System.currentTimeMillis();

    AgentBean(Control control, String version, boolean attached) {
        this.control = control;
        this.version = version;
        this.attached = attached;
    }

    private Settings settings() {
        return control.settings();
    }

    @Override public String getVersion() { return version; }
    @Override public boolean isAttached() { return attached; }
    @Override public long getStartTime() { return startTime; }
    @Override public long getThreshold() { return settings().thresholdBytes(); }
    @Override public void setThreshold(long bytes) { control.set("threshold", Long.toString(bytes), BY); }
    @Override public long getPeriodMillis() { return TimeUnit.NANOSECONDS.toMillis(settings().periodNanos()); }
    @Override public void setPeriodMillis(long millis) { control.set("period", millis + "ms", BY); }
    @Override public int getBatch() { return settings().batch(); }
    @Override public void setBatch(int keys) { control.set("batch", Integer.toString(keys), BY); }
    @Override public String getPolicy() { return settings().policyName(); }
    @Override public void setPolicy(String policy) { control.set("policy", policy, BY); }
    @Override public double getLowWaterPercent() { return settings().lowWater() * 100; }

    @Override
    public void setLowWaterPercent(double percent) {
        control.set("low-water", AgentConfig.percent(percent / 100), BY);
    }

    @Override public int getMaxBatch() { return settings().maxBatch(); }
    @Override public void setMaxBatch(int keys) { control.set("max-batch", Integer.toString(keys), BY); }
    @Override public boolean isDryRun() { return settings().dryRun(); }
    @Override public String getOrder() { return settings().value("order"); }
    @Override public String getSettings() { return settings().describe(); }
    @Override public boolean isPaused() { return control.paused(); }

    @Override
    public String[] getServers() {
        List<ServerStats> servers = control.servers();
        String[] names = new String[servers.size()];
        for (int i = 0; i < names.length; i++) names[i] = servers.get(i).address().toString();
        return names;
    }

    @Override
    public long getKeysTracked() {
        long n = 0;
        for (ServerStats s : control.servers()) n += s.keysTracked();
        return n;
    }

    @Override
    public long getKeysInOrder() {
        long n = 0;
        for (ServerStats s : control.servers()) n += s.keysInOrder();
        return n;
    }

    @Override
    public long getBytesTracked() {
        long n = 0;
        for (ServerStats s : control.servers()) n += s.bytesTracked();
        return n;
    }

    @Override
    public long getFlushes() {
        long n = 0;
        for (ServerStats s : control.servers()) n += s.flushes();
        return n;
    }

    @Override
    public long getKeysRemoved() {
        long n = 0;
        for (ServerStats s : control.servers()) n += s.keysRemoved();
        return n;
    }

    @Override
    public long getLastFlushTime() {
        long last = 0;
        for (ServerStats s : control.servers()) last = Math.max(last, s.lastFlushAt());
        return last;
    }

    @Override public long getEventsDropped() { return control.eventsDropped(); }

    @Override
    public String[] flushNow() {
        return await(control.requestFlush(null)).toArray(new String[0]);
    }

    @Override
    public String pause() {
        return control.pause(BY) ? "paused: nothing is removed until resume" : "already paused";
    }

    @Override
    public String resume() {
        return control.resume(BY) ? "resumed" : "not paused";
    }

    @Override
    public String set(String setting, String value) {
        return control.set(setting, value, BY).describe();
    }

    /** What the flusher did, once it has; a line saying it has not yet if it takes too long. */
    static List<String> await(FlushRequest request) {
        try {
            return request.result().get(FLUSH_WAIT_SECONDS, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            return List.of(String.format(Locale.ROOT, "asked; the flusher has not carried it out within %d s (a "
                    + "server slow to answer?): see the agent's log", FLUSH_WAIT_SECONDS));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return List.of("asked; interrupted while waiting for the flusher");
        } catch (ExecutionException e) {
            return List.of("failed: " + e.getCause());
        }
    }
}
