package io.gcsflush.instrument;

/**
 * One hand-off woven into a client method: when the method returns (and, if asked, when it throws), call
 * {@code Bridge.record(kind, source, payload)}. The woven code only loads values and calls the bridge, which never
 * throws, so it cannot change what the method does.
 */
public final class Hook {
    /** Where a value comes from. */
    public static final class Value {
        enum Kind { THIS, ARGUMENT, ARGUMENTS, FIELD, RETURNED, NONE }

        final Kind kind;
        final int index;
        final int second;
        final String field;

        private Value(Kind kind, int index, int second, String field) {
            this.kind = kind;
            this.index = index;
            this.second = second;
            this.field = field;
        }

        public static Value self() { return new Value(Kind.THIS, -1, -1, null); }
        /** The method's argument, 0-based. */
        public static Value argument(int index) { return new Value(Kind.ARGUMENT, index, -1, null); }
        /** Two of the method's arguments, in a new {@code Object[2]}: for a command passed as name and arguments. */
        public static Value arguments(int first, int second) { return new Value(Kind.ARGUMENTS, first, second, null); }
        /** An instance field of the class being woven. */
        public static Value field(String name) { return new Value(Kind.FIELD, -1, -1, name); }
        /** The value the method returns (the throwable, when it throws). */
        public static Value returned() { return new Value(Kind.RETURNED, -1, -1, null); }

        @Override
        public String toString() {
            switch (kind) {
                case FIELD: return "field " + field;
                case ARGUMENT: return "argument " + index;
                case ARGUMENTS: return "arguments " + index + " and " + second;
                default: return kind.toString();
            }
        }
    }

    final String method;
    final String descriptor;
    final int kind;
    final Value source;
    final Value payload;
    final boolean onThrow;

    private Hook(String method, String descriptor, int kind, Value source, Value payload, boolean onThrow) {
        this.method = method;
        this.descriptor = descriptor;
        this.kind = kind;
        this.source = source;
        this.payload = payload;
        this.onThrow = onThrow;
    }

    /** On every normal return of {@code method} (exact JVM descriptor), record {@code kind}. */
    public static Hook onReturn(String method, String descriptor, int kind, Value source, Value payload) {
        return new Hook(method, descriptor, kind, source, payload, false);
    }

    /** On every return and every throw: the payload is the returned value or the throwable. */
    public static Hook onReturnOrThrow(String method, String descriptor, int kind, Value source) {
        return new Hook(method, descriptor, kind, source, Value.returned(), true);
    }

    @Override
    public String toString() {
        return method + descriptor;
    }
}
