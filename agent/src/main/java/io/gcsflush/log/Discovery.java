package io.gcsflush.log;

/** Finds out, when asked, whether the application's logging is ready to take the agent's lines. */
interface Discovery {
    /**
     * Looks again; called from the relay's thread only, until it gives a final answer.
     *
     * @param holdOver whether the relay has held its lines as long as it will: answer with what is known now
     */
    Answer poll(boolean holdOver);

    /** Called once a final answer is taken: stop watching the application. */
    void settled();

    /** Not known yet, the application's logging, or none. */
    final class Answer {
        static final Answer PENDING = new Answer(null, null);

        /** The application's logging, or null. */
        final LineSink sink;
        /** Why there is none, or null. */
        final String none;

        private Answer(LineSink sink, String none) {
            this.sink = sink;
            this.none = none;
        }

        static Answer ready(LineSink sink) {
            return new Answer(sink, null);
        }

        static Answer none(String reason) {
            return new Answer(null, reason);
        }

        boolean isFinal() {
            return sink != null || none != null;
        }
    }
}
