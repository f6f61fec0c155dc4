package io.gcsflush.instrument;

import java.util.Map;
import java.util.Set;
import java.util.WeakHashMap;

/**
 * Matches the class loaders that see a client version range: all its marker classes, none of the excluded ones.
 * Looks for class files as resources, so that matching loads no class. Remembers each loader's answer.
 */
public final class LoaderMatcher {
    private final Set<String> markers;
    private final Set<String> excluded;
    private final Map<ClassLoader, Boolean> answers = new WeakHashMap<>();

    public LoaderMatcher(Set<String> markers, Set<String> excluded) {
        this.markers = markers;
        this.excluded = excluded;
    }

    public synchronized boolean matches(ClassLoader loader) {
        if (loader == null) return false; // clients never live on the bootstrap class path
        Boolean answer = answers.get(loader);
        if (answer == null) answers.put(loader, answer = check(loader));
        return answer;
    }

    private boolean check(ClassLoader loader) {
        for (String m : markers) if (loader.getResource(m) == null) return false;
        for (String e : excluded) if (loader.getResource(e) != null) return false;
        return true;
    }
}
