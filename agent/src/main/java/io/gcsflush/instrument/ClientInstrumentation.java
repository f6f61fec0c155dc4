package io.gcsflush.instrument;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The instrumentation of one client family over one range of versions, in the manner of OpenTelemetry's modules: the
 * classes it changes and the hooks woven into each, and the marker classes that tell its version range apart.
 */
public interface ClientInstrumentation {
    /** For people: "Jedis 4.x-8.x". */
    String name();

    /** The client family, for the "not supported" message: "Jedis". */
    String family();

    /** For each class it changes (internal name, a/b/C), the hooks woven into it. */
    Map<String, List<Hook>> hooks();

    /** Resources (a/b/C.class) that must all be visible to a class loader for this version range to apply. */
    Set<String> markers();

    /** Resources whose presence means another version range that this one does not cover. */
    Set<String> excluded();
}
