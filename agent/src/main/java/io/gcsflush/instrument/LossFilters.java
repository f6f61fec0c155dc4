package io.gcsflush.instrument;

import io.gcsflush.track.EventBuffer.LossFilter;
import java.util.Locale;

/** What the loss of a command means, by its name: the part common to every client family. */
public final class LossFilters {
    private LossFilters() {}

    /** Consequences of losing a command with this name, beyond its own key. */
    public static int ofCommand(String name) {
        switch (name.toUpperCase(Locale.ROOT)) {
            case "SELECT":
            case "RESET":
                return LossFilter.FORGET_DATABASE | LossFilter.END_TRANSACTION;
            case "MULTI":
            case "EXEC":
            case "DISCARD":
                return LossFilter.END_TRANSACTION;
            default:
                return 0;
        }
    }
}
