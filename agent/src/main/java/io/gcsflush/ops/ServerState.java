package io.gcsflush.ops;

import java.util.Locale;

/** What a server is to the flusher, as the MBeans and {@code gcs-flush status} show it. */
public enum ServerState {
    /** Reachable, a master, flushed as the policy says. */
    OK,
    /** The agent cannot reach it (retried with a growing delay). */
    UNREACHABLE,
    /** It refuses the agent's removals (retried with a growing delay). */
    REFUSED,
    /** Flushing is paused (JMX, {@code gcs-flush pause}): the order is kept up to date, nothing is removed. */
    PAUSED,
    /** A replica: its keys are its master's, and never removed here. */
    REPLICA,
    /** A sentinel: it holds no data. */
    SENTINEL,
    /** Memory the order does not hold is over the threshold by itself; nothing is removed ({@code uncovered=pause}). */
    UNCOVERED;

    /** {@code ok}, {@code unreachable}...: as shown. */
    public String lowerName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
