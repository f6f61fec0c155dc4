package io.gcsflush.order;

/** What one flush of a server did. */
public final class Removal {
    private final int taken;
    private final long removed;
    private final long before;
    private final long left;
    private final String refusal;
    private final boolean refusedAll;
    private final long early;

    private Removal(int taken, long removed, long before, long left, String refusal, boolean refusedAll, long early) {
        this.taken = taken;
        this.removed = removed;
        this.before = before;
        this.left = left;
        this.refusal = refusal;
        this.refusedAll = refusedAll;
        this.early = early;
    }

    /**
     * @param taken keys taken from the order: the oldest, removed or (dry run) that would be
     * @param removed of those, the keys that existed and were removed (dry run: that exist)
     * @param before keys in the order before
     * @param left keys in the order after
     * @param refusal the first error the server replied, or null
     * @param refusedAll whether the server refused every removal (nothing happened)
     */
    public static Removal done(int taken, long removed, long before, long left, String refusal, boolean refusedAll) {
        return new Removal(taken, removed, before, left, refusal, refusedAll, -1);
    }

    /** Another instance flushed the server {@code sinceNanos} ago, less than the period: nothing was done. */
    public static Removal early(long sinceNanos) {
        return new Removal(0, 0, 0, 0, null, false, Math.max(0, sinceNanos));
    }

    public int taken() {
        return taken;
    }

    public long removed() {
        return removed;
    }

    public long before() {
        return before;
    }

    public long left() {
        return left;
    }

    public String refusal() {
        return refusal;
    }

    public boolean refusedAll() {
        return refusedAll;
    }

    /** Whether another instance flushed the server less than the period ago. */
    public boolean early() {
        return early >= 0;
    }

    /** How long ago another instance flushed the server, if {@link #early()}. */
    public long sinceNanos() {
        return early;
    }
}
