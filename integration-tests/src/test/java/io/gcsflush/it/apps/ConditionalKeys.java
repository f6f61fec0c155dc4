package io.gcsflush.it.apps;

/**
 * The keys of the conditional-write scenario. The test writes, for each index i, four keys of its own named after a
 * foreign prefix F; the application then tries writes that the server refuses because those keys exist, and makes
 * two keys of its own (prefix P):
 *
 * <ul>
 *   <li>{@code F:str:i} (string): {@code SET NX}, {@code SETNX}, and {@code MSETNX} together with a new key
 *       {@code P:msetnx:i}, which is therefore never created either;
 *   <li>{@code F:hash:i} (hash with field {@value #HASH_FIELD}): {@code HSETNX} on that field;
 *   <li>{@code F:target:i} (string): {@code RENAMENX P:renamed:i F:target:i}, after the application SET
 *       {@code P:renamed:i}, which therefore stays the application's;
 *   <li>{@code F:discarded:i} (string): {@code MULTI}, {@code SET}, {@code DISCARD};
 *   <li>{@code P:nx:i}: a {@code SET NX} that succeeds, since the key is new.
 * </ul>
 */
public final class ConditionalKeys {
    public static final String HASH_FIELD = "f";
    /** Refused writes per index: SET NX, SETNX, MSETNX, HSETNX, RENAMENX, SET inside a discarded MULTI. */
    public static final int REFUSED_PER_INDEX = 6;
    /** Keys the application creates per index: P:renamed:i and P:nx:i. */
    public static final int OWN_PER_INDEX = 2;

    private ConditionalKeys() {
    }

    public static String string(String foreign, int i) {
        return foreign + ":str:" + i;
    }

    public static String hash(String foreign, int i) {
        return foreign + ":hash:" + i;
    }

    public static String renameTarget(String foreign, int i) {
        return foreign + ":target:" + i;
    }

    public static String discarded(String foreign, int i) {
        return foreign + ":discarded:" + i;
    }

    public static String ownRenamed(String prefix, int i) {
        return prefix + ":renamed:" + i;
    }

    public static String ownNx(String prefix, int i) {
        return prefix + ":nx:" + i;
    }

    public static String ownMsetnx(String prefix, int i) {
        return prefix + ":msetnx:" + i;
    }

    /** What the conditional writes did, as the client reported it; printed as one line. */
    public static final class Tally {
        private int refusedAttempts;
        private int refusedTookEffect;
        private int ownCreated;

        /** A write on the test's keys that the server should refuse; {@code tookEffect} as the reply says. */
        public void refused(boolean tookEffect) {
            refusedAttempts++;
            if (tookEffect) {
                refusedTookEffect++;
            }
        }

        /** A key of the application's own, created. */
        public void own() {
            ownCreated++;
        }

        @Override
        public String toString() {
            return "conditional: " + refusedAttempts + " writes on existing keys, " + refusedTookEffect
                    + " took effect; " + ownCreated + " keys of its own";
        }
    }
}
