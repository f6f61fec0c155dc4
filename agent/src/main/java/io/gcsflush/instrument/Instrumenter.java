package io.gcsflush.instrument;

import io.gcsflush.Log;
import java.lang.instrument.ClassFileTransformer;
import java.lang.instrument.Instrumentation;
import java.security.ProtectionDomain;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Installs the client instrumentations. A class load costs the application a hash lookup or two of the class name:
 * only the few classes some instrumentation targets go on to be woven, and only in a class loader that holds a client
 * version the instrumentation covers; the few that reveal a client it does not follow ({@link UnsupportedClients}) are
 * noted once. Anything that goes wrong leaves the class as it was.
 */
public final class Instrumenter implements ClassFileTransformer {

    private final Map<String, List<ClientInstrumentation>> byTarget = new HashMap<>();
    private final Map<ClientInstrumentation, LoaderMatcher> loaders = new HashMap<>();
    /** Clients the agent does not follow, by a class each always loads. */
    private final Map<String, UnsupportedClients.Client> unsupported = new HashMap<>();
    private final Set<String> said = ConcurrentHashMap.newKeySet();

    Instrumenter(List<ClientInstrumentation> instrumentations, List<UnsupportedClients.Client> notFollowed) {
        for (UnsupportedClients.Client c : notFollowed) unsupported.put(c.trigger, c);
        for (ClientInstrumentation i : instrumentations) {
            loaders.put(i, new LoaderMatcher(i.markers(), i.excluded()));
            for (String target : i.hooks().keySet()) {
                List<ClientInstrumentation> list = byTarget.get(target);
                if (list == null) byTarget.put(target, list = new ArrayList<>());
                list.add(i);
            }
        }
    }

    /** Registers the transformer; when attached to a running JVM, also weaves the client classes already loaded. */
    public static void install(Instrumentation instrumentation, List<ClientInstrumentation> instrumentations,
            boolean attachedLate) {
        Instrumenter instrumenter = new Instrumenter(instrumentations, UnsupportedClients.all());
        instrumentation.addTransformer(instrumenter, true);
        if (attachedLate) instrumenter.retransformLoaded(instrumentation);
    }

    @Override
    public byte[] transform(ClassLoader loader, String className, Class<?> redefined, ProtectionDomain domain,
            byte[] bytes) {
        if (className == null) return null;
        List<ClientInstrumentation> candidates = byTarget.get(className);
        if (candidates == null) {
            UnsupportedClients.Client client = unsupported.get(className);
            if (client != null) notFollowed(loader, client);
            return null;
        }
        try {
            return weave(loader, className, bytes, candidates);
        } catch (Throwable t) {
            Log.warn("could not instrument {} (its commands are not tracked): {}", className.replace('/', '.'), t.toString());
            return null;
        }
    }

    /** The woven class, or null to leave it alone. */
    byte[] weave(ClassLoader loader, String className, byte[] bytes, List<ClientInstrumentation> candidates) {
        String family = candidates.get(0).family();
        for (ClientInstrumentation i : candidates) {
            if (loader == null || !loaders.get(i).matches(loader)) continue;
            List<String> problems = new ArrayList<>();
            byte[] woven = Weaver.weave(bytes, i.hooks().get(className), problems);
            if (woven != null) {
                Log.debug("instrumented {} for {}", className.replace('/', '.'), i.name());
                return woven;
            }
            sayOnce(loader, family, "{} {} does not have the methods the agent expects ({}); its commands are not "
                    + "tracked", family, ClientVersions.describe(loader, family), String.join(", ", problems));
            return null;
        }
        sayOnce(loader, family, "{} {} is not a version this agent supports; its commands are not tracked", family,
                ClientVersions.describe(loader, family));
        return null;
    }

    /**
     * Loads the weaving code ahead of need, off the application's threads, so that the first client class the
     * application loads is woven without waiting for it.
     */
    public static void warmUp() {
        try (java.io.InputStream in = Instrumenter.class.getResourceAsStream("Hook.class")) {
            if (in != null) Weaver.weave(in.readAllBytes(), java.util.Collections.emptyList(), new ArrayList<>());
        } catch (java.io.IOException | RuntimeException e) {
            // Only a head start; weaving will load what it needs when it runs.
        }
    }

    /** Says once per class loader that a client the agent does not follow is in use. */
    private void notFollowed(ClassLoader loader, UnsupportedClients.Client client) {
        try {
            sayOnce(loader, client.name, "{} {} is not a client this agent supports; its commands are not tracked",
                    client.name, ClientVersions.read(loader, client.pomProperties));
        } catch (Throwable t) {
            // Only a notice: never in the way of the class being loaded.
        }
    }

    private void sayOnce(ClassLoader loader, String family, String message, Object... args) {
        if (said.add(family + "@" + System.identityHashCode(loader))) Log.info(message, args);
    }

    private void retransformLoaded(Instrumentation instrumentation) {
        List<Class<?>> targets = new ArrayList<>();
        for (Class<?> c : instrumentation.getAllLoadedClasses()) {
            String name = c.getName().replace('.', '/');
            if (byTarget.containsKey(name) && instrumentation.isModifiableClass(c)) targets.add(c);
            UnsupportedClients.Client client = unsupported.get(name);
            if (client != null) notFollowed(c.getClassLoader(), client);
        }
        if (targets.isEmpty()) return;
        try {
            instrumentation.retransformClasses(targets.toArray(new Class<?>[0]));
            Log.info("instrumented {} client classes already loaded; connections opened before the agent started are "
                    + "followed from their next command, in the database their client says", targets.size());
        } catch (Throwable t) {
            Log.warn("could not instrument the clients already loaded: {}", t.toString());
        }
    }
}
