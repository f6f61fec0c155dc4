package io.gcsflush.it;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * JDKs other than the test JVM's for child JVMs ({@link ChildJvm.Builder#java(Path)}), found by feature release:
 * <ol>
 *   <li>{@code -Dgcsflush.jdk<N>} or {@code $GCSFLUSH_JDK<N>} (e.g. {@code GCSFLUSH_JDK25}): a java home or its
 *       {@code bin/java}; given but not a JDK {@code N}, the test fails rather than silently skipping;</li>
 *   <li>the test JVM itself, if it is JDK {@code N};</li>
 *   <li>a directory named after release {@code N} under {@code /usr/lib/jvm} (Debian, Ubuntu),
 *       {@code /usr/lib64/jvm}, {@code /opt/java}, {@code /opt} or {@code /Library/Java/JavaVirtualMachines}.</li>
 * </ol>
 * Each candidate is checked with {@code java -version}.
 */
final class Jdks {
    private static final Pattern VERSION = Pattern.compile("version \"(\\d+)(?:[.\\-+][^\"]*)?\"");
    private static final List<String> ROOTS = List.of("/usr/lib/jvm", "/usr/lib64/jvm", "/opt/java", "/opt",
            "/Library/Java/JavaVirtualMachines");
    private static final Map<Integer, Found> CACHE = new ConcurrentHashMap<>();

    /** A java executable of release {@code feature}, or why there is none. */
    record Found(Path java, String version, String reason) {
        boolean present() {
            return java != null;
        }
    }

    private Jdks() {
    }

    static Found find(int feature) {
        return CACHE.computeIfAbsent(feature, Jdks::lookUp);
    }

    private static Found lookUp(int feature) {
        String property = "gcsflush.jdk" + feature;
        String variable = "GCSFLUSH_JDK" + feature;
        String given = System.getProperty(property);
        String origin = "-D" + property;
        if (given == null || given.isBlank()) {
            given = System.getenv(variable);
            origin = "$" + variable;
        }
        if (given != null && !given.isBlank()) {
            Path path = Paths.get(given);
            Path java = Files.isDirectory(path) ? path.resolve("bin").resolve(executable()) : path;
            String version = versionOf(java);
            if (version == null || major(version) != feature) {
                throw new IllegalStateException(origin + "=" + given + " is not a JDK " + feature + " (" + java
                        + " -version says " + version + ")");
            }
            return new Found(java, version, origin);
        }
        if (Runtime.version().feature() == feature) {
            return new Found(ChildJvm.javaBinary(), Runtime.version().toString(), "the test JVM");
        }
        Pattern named = Pattern.compile("(^|[^0-9])" + feature + "([^0-9]|$)");
        List<String> tried = new ArrayList<>();
        for (String root : ROOTS) {
            Path dir = Paths.get(root);
            if (!Files.isDirectory(dir)) {
                continue;
            }
            List<Path> candidates;
            try (Stream<Path> children = Files.list(dir)) {
                candidates = children.filter(p -> named.matcher(p.getFileName().toString()).find()).sorted()
                        .collect(Collectors.toList());
            } catch (IOException e) {
                continue;
            }
            for (Path home : candidates) {
                for (Path java : List.of(home.resolve("bin").resolve(executable()),
                        home.resolve("Contents/Home/bin").resolve(executable()))) {
                    if (!Files.isExecutable(java)) {
                        continue;
                    }
                    tried.add(java.toString());
                    String version = versionOf(java);
                    if (version != null && major(version) == feature) {
                        return new Found(java, version, home.toString());
                    }
                }
            }
        }
        return new Found(null, null, "no JDK " + feature + " on this machine: set " + variable + " (or -D" + property
                + ") to a JDK " + feature + " home, or install one under /usr/lib/jvm; looked in " + ROOTS
                + (tried.isEmpty() ? "" : ", tried " + tried));
    }

    /** {@code java -version}'s version string ({@code 25.0.3}), or null if it does not run. */
    static String versionOf(Path java) {
        if (!Files.isExecutable(java)) {
            return null;
        }
        try {
            Process process = new ProcessBuilder(java.toString(), "-version").redirectErrorStream(true).start();
            byte[] out;
            try (InputStream in = process.getInputStream()) {
                out = in.readAllBytes();
            }
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                return null;
            }
            Matcher m = Pattern.compile("version \"([^\"]+)\"").matcher(new String(out, StandardCharsets.UTF_8));
            return process.exitValue() == 0 && m.find() ? m.group(1) : null;
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    /** The feature release of a version string: 25 for {@code 25.0.3}, 8 for {@code 1.8.0_402}. */
    static int major(String version) {
        Matcher m = VERSION.matcher("version \"" + version + "\"");
        if (!m.find()) {
            return -1;
        }
        int first = Integer.parseInt(m.group(1));
        if (first == 1 && version.startsWith("1.")) {
            String[] parts = version.split("\\.");
            return parts.length > 1 ? Integer.parseInt(parts[1].replaceAll("\\D.*", "")) : -1;
        }
        return first;
    }

    private static String executable() {
        return System.getProperty("os.name", "").toLowerCase().contains("win") ? "java.exe" : "java";
    }
}
