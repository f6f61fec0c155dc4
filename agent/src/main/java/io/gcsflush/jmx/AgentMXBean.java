package io.gcsflush.jmx;

/**
 * The agent as a whole, {@code io.gcsflush:type=Agent}: its settings (those that may change while it runs are
 * writable; each change is logged in one line and reaches the flusher at its next round), totals over the servers it
 * follows, and the operations an operator needs: flush now, pause, resume.
 */
public interface AgentMXBean {
    String getVersion();

    /** Whether the agent was attached to the running JVM (dynamic attach) rather than started with it. */
    boolean isAttached();

    /** When the agent started, epoch milliseconds. */
    long getStartTime();

    /** Flush a server once its {@code used_memory} is at least this many bytes. */
    long getThreshold();

    void setThreshold(long bytes);

    /** The least time between two flushes of a server (Ray's policy); a tenth of it between looks. */
    long getPeriodMillis();

    void setPeriodMillis(long millis);

    /** Keys one flush removes ({@code policy=ray}). */
    int getBatch();

    void setBatch(int keys);

    /** {@code ray} or {@code adaptive}. */
    String getPolicy();

    void setPolicy(String policy);

    /** {@code policy=adaptive}: the share of the threshold a flush brings a server back under, in percent. */
    double getLowWaterPercent();

    void setLowWaterPercent(double percent);

    /** {@code policy=adaptive}: the most keys one flush removes. */
    int getMaxBatch();

    void setMaxBatch(int keys);

    /** Whether flushes only say what they would remove. Set at start. */
    boolean isDryRun();

    /** {@code journal} (in Redis, shared) or {@code local} (this JVM's). Set at start. */
    String getOrder();

    /** The settings flushing goes by, in one line. */
    String getSettings();

    /** Whether flushing is paused: the order is kept up to date, nothing is removed. */
    boolean isPaused();

    /** Servers the application writes to, {@code host:port}. */
    String[] getServers();

    long getKeysTracked();

    long getKeysInOrder();

    long getBytesTracked();

    long getFlushes();

    long getKeysRemoved();

    /** When the last flush of any server ended, epoch milliseconds; 0 before the first. */
    long getLastFlushTime();

    /** The application's commands the agent skipped because its buffer was full. */
    long getEventsDropped();

    /** Flushes every server now, whatever its memory, the period or a pause; returns what each flush did. */
    String[] flushNow();

    /** Stops removing keys until {@link #resume()}; the order of writes is still kept up to date. */
    String pause();

    String resume();

    /**
     * Changes a setting, its value written as in the agent argument: {@code set("threshold", "1g")},
     * {@code set("period", "500ms")}. Returns the settings now.
     */
    String set(String setting, String value);
}
