package io.gcsflush.instrument;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The instrumentation of one client family over one range of versions, in the manner of OpenTelemetry's modules: the
 * classes it changes and the hooks woven into each, and the marker classes that tell its version range apart.
 */
public final class ClientInstrumentation {
    private final String name;
    private final String family;
    private final Map<String, List<Hook>> hooks;
    private final Set<String> markers;
    private final Set<String> excluded;

    /**
     * @param name for people: "Jedis 4.x-8.x"
     * @param family the client family, for the "not supported" message: "Jedis"
     * @param hooks for each class it changes (internal name, a/b/C), the hooks woven into it
     * @param markers resources (a/b/C.class) that must all be visible to a class loader for this range to apply
     * @param excluded resources whose presence means another version range, that this one does not cover
     */
    public ClientInstrumentation(String name, String family, Map<String, List<Hook>> hooks, Set<String> markers,
            Set<String> excluded) {
        this.name = name;
        this.family = family;
        this.hooks = hooks;
        this.markers = markers;
        this.excluded = excluded;
    }

    public String name() { return name; }
    public String family() { return family; }
    public Map<String, List<Hook>> hooks() { return hooks; }
    public Set<String> markers() { return markers; }
    public Set<String> excluded() { return excluded; }
}
