package io.gcsflush.bootstrap;

/**
 * The one class that instrumented client code calls. It lives on the bootstrap class path, so that advice inlined
 * into a client class in any class loader can see it, and it depends on nothing but the JDK.
 *
 * <p>Each method is a single hand-off to the agent's {@link Sink}: no lock, no I/O, no exception. Until the agent has
 * started (or if it never does) the hand-off is a null check.
 */
public final class Bridge {
    /** A command was written on a connection: {@code source} is the connection, {@code payload} the command. */
    public static final int SENT = 1;
    /** One reply was read on a connection: {@code payload} is the reply, or the Throwable that reading it raised. */
    public static final int RECEIVED = 2;
    /** A connection's socket was connected: {@code payload} is the connection's socket or channel. */
    public static final int CONNECTED = 3;
    /** A command object completed with its reply (clients whose commands carry their outputs): {@code source} is
     *  the connection, {@code payload} the command. */
    public static final int COMPLETED = 4;
    /** A command object got a reply that did not complete it (QUEUED in a MULTI, a cluster redirect). */
    public static final int REPLIED = 5;
    /** A client object is about to use a connection, and says which: {@code source} is the connection, {@code payload}
     *  the client object that knows its state (woven only into a JVM the agent was attached to late). */
    public static final int BOUND = 6;
    /** Mask of the event in a kind; the rest names the client family. */
    public static final int EVENT_MASK = 0x0F;
    /** Client families, or-ed into the kind. */
    public static final int JEDIS = 0x10;
    public static final int LETTUCE = 0x20;
    public static final int REDISSON = 0x30;

    private static volatile Sink sink;

    private Bridge() {}

    /** Hands one event to the agent. Never throws, never blocks. */
    public static void record(int kind, Object source, Object payload) {
        Sink s = sink;
        if (s != null) {
            try {
                s.record(kind, source, payload);
            } catch (Throwable ignored) {
                // The application must never see the agent's failures.
            }
        }
    }

    /** Whether an agent already receives the events (it was attached twice). */
    public static boolean installed() {
        return sink != null;
    }

    /** Called once by the agent when it is ready to receive events. */
    public static void install(Sink s) {
        sink = s;
    }

    /** What the agent implements to receive events. Implementations must return quickly and never block. */
    public interface Sink {
        void record(int kind, Object source, Object payload);
    }
}
