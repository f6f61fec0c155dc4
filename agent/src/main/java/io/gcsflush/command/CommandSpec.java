package io.gcsflush.command;

/** One row of the {@link CommandTable}. */
public final class CommandSpec {
    /** When a command took effect, judged from its reply. An error reply never takes effect. */
    public enum When {
        /** Unless the reply is an error. */
        OK,
        /** Only if the reply is 1 or true. */
        ONE,
        /** Only if the reply is a positive number. */
        POSITIVE,
        /** Only if the reply is not nil. */
        NON_NIL,
        /** Decided by the command's options; see {@link CommandInterpreter}. */
        OPTIONS;

        static When parse(String text) {
            switch (text) {
                case "ok": return OK;
                case "=1": return ONE;
                case ">0": return POSITIVE;
                case "non-nil": return NON_NIL;
                case "options": return OPTIONS;
                default: throw new IllegalArgumentException("unknown condition " + text);
            }
        }
    }

    private final String name;
    private final Effect effect;
    private final KeySpec keys;
    private final When when;

    CommandSpec(String name, Effect effect, KeySpec keys, When when) {
        this.name = name;
        this.effect = effect;
        this.keys = keys;
        this.when = when;
    }

    public String name() { return name; }
    public Effect effect() { return effect; }
    public KeySpec keys() { return keys; }
    public When when() { return when; }

    /** Whether the reply is needed to know what the command did (beyond it not being an error). */
    public boolean conditional() {
        return when != When.OK;
    }

    @Override
    public String toString() {
        return name + " " + effect + " " + keys + " " + when;
    }
}
