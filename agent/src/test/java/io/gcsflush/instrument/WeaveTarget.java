package io.gcsflush.instrument;

/** A stand-in for a client class, to be woven by {@link WeaverTest}. */
public class WeaveTarget {
    private final Object socket = "the-socket";

    public void send(Object args) {
        if (args == null) throw new IllegalArgumentException("no args");
    }

    public Object read(boolean fail) {
        if (fail) throw new IllegalStateException("boom");
        try {
            return "reply";
        } finally {
            socket.hashCode();
        }
    }

    public void command(Object name, byte[]... args) {
        // Jedis 3's sendCommand(ProtocolCommand, byte[]...)
    }

    public long wide(long a, double b, Object c, int d) {
        if (d < 0) throw new IllegalArgumentException("negative");
        return a + (long) b + d;
    }
}
