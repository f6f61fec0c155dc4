package io.gcsflush.command;

/**
 * What the server answered to one command, as far as the agent needs it. Reused: a client's reply reader fills it
 * in for each command.
 */
public final class Outcome {
    public enum Kind {
        /** The reply is not known (it was never seen, or could not be matched to the command). */
        UNKNOWN,
        /** An error reply: the command did nothing. */
        ERROR,
        /** A nil reply. */
        NIL,
        /** An integer reply (a boolean counts as 1 or 0). */
        INTEGER,
        /** Any other reply: a status, a bulk string, an array. */
        VALUE
    }

    private Kind kind = Kind.UNKNOWN;
    private long integer;
    private long length;

    public Outcome unknown() { return set(Kind.UNKNOWN, 0, 0); }
    public Outcome error() { return set(Kind.ERROR, 0, 0); }
    public Outcome nil() { return set(Kind.NIL, 0, 0); }
    public Outcome integer(long value) { return set(Kind.INTEGER, value, 0); }
    /** A value; {@code length} is its size in bytes where it is a string, else 0. */
    public Outcome value(long length) { return set(Kind.VALUE, 0, length); }

    private Outcome set(Kind kind, long integer, long length) {
        this.kind = kind;
        this.integer = integer;
        this.length = length;
        return this;
    }

    public Kind kind() { return kind; }
    public long integer() { return integer; }
    public long length() { return length; }
    public boolean isError() { return kind == Kind.ERROR; }
    public boolean isNil() { return kind == Kind.NIL; }
    public boolean isUnknown() { return kind == Kind.UNKNOWN; }

    @Override
    public String toString() {
        return kind == Kind.INTEGER ? "INTEGER " + integer : kind.toString();
    }
}
