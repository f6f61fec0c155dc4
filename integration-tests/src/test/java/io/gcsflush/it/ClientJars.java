package io.gcsflush.it;

import io.gcsflush.it.ClientVersions.ClientVersion;
import io.gcsflush.it.ClientVersions.Family;
import io.gcsflush.it.apps.ClientVersionApp;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Each client version's jar and its runtime dependencies, fetched once into a folder of its own,
 * {@code target/clients/<artifact>-<version>/}, and taken from there on every later run.
 *
 * <p>How: for the versions not fetched yet, one POM per version (that client as its only dependency) and one
 * aggregator POM listing them are written under {@code target/clients/}, and one Maven run,
 * {@code mvn -B -f target/clients/pom.xml maven-dependency-plugin:copy-dependencies}, copies each version's runtime
 * classpath into its folder. A folder counts as fetched once its {@value #MARKER} lists its jars; that file is
 * written last, so an interrupted fetch is simply done again.
 *
 * <p>Why a Maven child process rather than Maven Resolver in the test JVM (maven-resolver-supplier): it is Maven's
 * own dependency resolution, the one that built the test classpath (nearest wins, exclusions, optional dependencies,
 * relocations), with the same Maven, settings.xml (mirrors, proxies, credentials), local repository and offline flag
 * as the build that runs the tests, which failsafe hands over as {@code gcsflush.it.maven.*}; a machine that can
 * build the project can fetch the clients, with nothing configured twice. Resolver in-process would put a dozen
 * libraries (resolver, transport, Maven's model builder) on the test classpath and read none of settings.xml unless
 * taught to. Resolving in the POM instead would write the versions there as well: this way
 * {@code client-versions.properties} stays the one place. The cost is one Maven start (a few seconds) on a cold
 * run, and none once the folders exist.
 */
final class ClientJars {
    static final String MARKER = "classpath.txt";
    private static final Logger LOG = LoggerFactory.getLogger(ClientJars.class);
    /** First line of {@value #MARKER}; changing how folders are made changes it, and so fetches them again. */
    private static final String FORMAT = "# client jars, format 1: ";
    /** The version the parent POM pins, so that it is in the local repository already. */
    private static final String DEPENDENCY_PLUGIN_VERSION = "3.8.1";
    private static final Duration FETCH_TIMEOUT = Duration.ofMinutes(10);

    private static Path applicationClasses;

    private ClientJars() {
    }

    /** {@code target/clients/}. */
    static Path root() {
        return TestDirs.underTarget("clients");
    }

    /** The folder of a version's jars. */
    static Path folder(ClientVersion version) {
        return root().resolve(version.folderName());
    }

    /**
     * Fetches every listed version (supported or not) that is not fetched yet, in one Maven run, and says what it
     * did: {@code fetched 3 of 11 client versions in 6.2 s} or {@code all 11 client versions were fetched already}.
     */
    static synchronized String fetchAll() {
        Set<ClientVersion> wanted = listed();
        long missing = wanted.stream().filter(v -> cached(ArtifactSet.of(v)) == null).count();
        if (missing == 0) {
            return "all " + wanted.size() + " client versions were fetched already, in " + root();
        }
        long start = System.nanoTime();
        fetchSets(sets(wanted));
        return String.format(Locale.ROOT, "fetched %d of %d client versions into %s in %.1f s", missing,
                wanted.size(), root(), (System.nanoTime() - start) / 1e9);
    }

    /**
     * The jars of a version (the client and its runtime dependencies), fetching it first if needed, together with
     * every other listed version not fetched yet: one Maven run for all of them.
     */
    static synchronized List<Path> jars(ClientVersion version) {
        ArtifactSet set = ArtifactSet.of(version);
        if (cached(set) == null) {
            Set<ClientVersion> wanted = new LinkedHashSet<>();
            wanted.add(version);
            wanted.addAll(listed());
            fetchSets(sets(wanted));
        }
        return jars(set);
    }

    private static List<ArtifactSet> sets(Collection<ClientVersion> versions) {
        return versions.stream().map(ArtifactSet::of).collect(Collectors.toList());
    }

    /**
     * The classpath of a child JVM running {@code version}: the test applications ({@link #applicationClasses()})
     * and that version's jars, nothing else.
     */
    static String classpath(ClientVersion version) {
        return classpath(applicationClasses(), jars(version));
    }

    /** A child's classpath: its classes, then its jars. */
    static String classpath(Path classes, List<Path> jars) {
        List<String> entries = new ArrayList<>();
        entries.add(classes.toString());
        jars.forEach(jar -> entries.add(jar.toString()));
        return String.join(File.pathSeparator, entries);
    }

    /**
     * {@code target/clients/apps/}: a copy of the test applications' classes ({@code io.gcsflush.it.apps}) alone,
     * made once per test JVM, so that the child's classpath holds no test class and no directory that could hold a
     * jar.
     */
    static synchronized Path applicationClasses() {
        if (applicationClasses != null) {
            return applicationClasses;
        }
        Path source;
        try {
            source = Paths.get(ClientVersionApp.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
        String pkg = ClientVersionApp.class.getPackageName().replace('.', '/');
        Path from = source.resolve(pkg);
        Path dir = root().resolve("apps");
        try {
            deleteRecursively(dir);
            Path to = Files.createDirectories(dir.resolve(pkg));
            try (Stream<Path> classes = Files.list(from)) {
                for (Path c : (Iterable<Path>) classes.filter(p -> p.toString().endsWith(".class"))::iterator) {
                    Files.copy(c, to.resolve(c.getFileName().toString()), StandardCopyOption.REPLACE_EXISTING);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot copy the test applications from " + from + " to " + dir, e);
        }
        applicationClasses = dir;
        return dir;
    }

    /** Every version client-versions.properties lists, supported or not. */
    private static Set<ClientVersion> listed() {
        Set<ClientVersion> all = new LinkedHashSet<>(ClientVersions.all());
        for (Family f : Family.values()) {
            all.addAll(ClientVersions.unsupported(f));
        }
        return all;
    }

    private static void runMaven(Path root) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(mavenExecutable());
        command.add("-B");
        command.add("-ntp");
        command.add("-Dstyle.color=never");
        if (System.getProperty("gcsflush.it.maven.offline", "").equals("offline=true")) {
            command.add("-o");
        }
        String repo = System.getProperty("gcsflush.it.maven.repo.local");
        if (repo != null && !repo.isBlank() && !repo.contains("${")) {
            command.add("-Dmaven.repo.local=" + repo);
        }
        command.add("-f");
        command.add(root.resolve("pom.xml").toString());
        command.add("org.apache.maven.plugins:maven-dependency-plugin:" + DEPENDENCY_PLUGIN_VERSION
                + ":copy-dependencies");
        Path log = root.resolve("fetch.log");
        ProcessBuilder builder = new ProcessBuilder(command)
                .directory(root.toFile())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .redirectInput(ProcessBuilder.Redirect.PIPE);
        Map<String, String> env = builder.environment();
        // The outer Maven's variables would point the child at the enclosing project's .mvn/ and command line.
        env.remove("MAVEN_PROJECTBASEDIR");
        env.remove("MAVEN_BASEDIR");
        env.remove("MAVEN_CMD_LINE_ARGS");
        env.put("JAVA_HOME", System.getProperty("java.home"));
        LOG.info("fetching artifacts: {} (log {})", String.join(" ", command), log);
        Process process = builder.start();
        process.getOutputStream().close();
        ProcessReaper.register(process);
        try {
            if (!process.waitFor(FETCH_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                ProcessReaper.killTree(process);
                throw new IllegalStateException("fetching the artifacts took more than "
                        + FETCH_TIMEOUT.toMinutes() + " min: " + command + "; its output (" + log + "):\n" + tail(log));
            }
            if (process.exitValue() != 0) {
                throw new IllegalStateException("fetching the artifacts failed (exit " + process.exitValue()
                        + ", Maven Central unreachable?): " + String.join(" ", command) + "; its output (" + log
                        + "):\n" + tail(log));
            }
        } catch (InterruptedException e) {
            ProcessReaper.killTree(process);
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted fetching the artifacts", e);
        } finally {
            ProcessReaper.unregister(process);
        }
    }

    /**
     * The Maven that runs this build ({@code gcsflush.it.maven.home}, which failsafe sets from {@code maven.home}),
     * else {@code mvn} on the PATH.
     */
    private static String mavenExecutable() {
        boolean windows = System.getProperty("os.name", "").toLowerCase(Locale.ROOT).contains("win");
        String name = windows ? "mvn.cmd" : "mvn";
        String home = System.getProperty("gcsflush.it.maven.home");
        if (home != null && !home.isBlank() && !home.contains("${")) {
            Path mvn = Paths.get(home, "bin", name);
            if (Files.isExecutable(mvn)) {
                return mvn.toString();
            }
        }
        String path = System.getenv("PATH");
        if (path != null) {
            for (String dir : path.split(File.pathSeparator)) {
                if (!dir.isEmpty() && Files.isExecutable(Paths.get(dir, name))) {
                    return Paths.get(dir, name).toString();
                }
            }
        }
        throw new IllegalStateException("no Maven to fetch the artifacts with: run the tests with `mvn verify`"
                + " (failsafe passes -Dgcsflush.it.maven.home), or put mvn on the PATH");
    }

    /**
     * Artifacts with their runtime dependencies, fetched into {@code target/clients/<folderName>/}: a client version
     * of the matrix ({@code client}, checked to bring no other client version), or an application's own.
     * {@code bom} ({@code group:artifact:version}, or null) is imported as the POM's dependency management, as an
     * application built on it would: the artifacts ({@code group:artifact[:version]}, the version may be left to the
     * BOM) and everything they bring get the versions it manages.
     */
    record ArtifactSet(String folderName, String bom, List<String> artifacts, ClientVersion client) {
        ArtifactSet {
            artifacts = List.copyOf(artifacts);
        }

        ArtifactSet(String folderName, String bom, List<String> artifacts) {
            this(folderName, bom, artifacts, null);
        }

        /** A client version of the matrix: its one artifact, and no version of another client beside it. */
        static ArtifactSet of(ClientVersion version) {
            return new ArtifactSet(version.folderName(), null, List.of(version.coordinates()), version);
        }

        /** What {@value #MARKER} records: a change of BOM or artifacts fetches the folder again. */
        String id() {
            return (bom == null ? "" : "bom " + bom + " ") + String.join(" ", artifacts);
        }
    }

    /** The folder of a set's jars. */
    static Path folder(ArtifactSet set) {
        return root().resolve(set.folderName());
    }

    /** The jars of a set, fetching it first if needed. */
    static synchronized List<Path> jars(ArtifactSet set) {
        fetchSets(List.of(set));
        List<Path> jars = cached(set);
        if (jars == null) {
            throw new IllegalStateException("fetching " + set.id() + " left no " + MARKER + " in " + folder(set)
                    + "; see " + root().resolve("fetch.log"));
        }
        return jars;
    }

    /** Fetches the sets not fetched yet, all in one Maven run (none if every one is fetched already). */
    static synchronized void fetchSets(Collection<ArtifactSet> sets) {
        if (sets.stream().allMatch(s -> cached(s) != null)) {
            return;
        }
        Path root = root();
        try (FileChannel lockFile = FileChannel.open(root.resolve(".lock"), StandardOpenOption.CREATE,
                StandardOpenOption.WRITE)) {
            lockFile.lock(); // released when the channel closes
            List<ArtifactSet> missing = sets.stream().filter(s -> cached(s) == null).collect(Collectors.toList());
            if (missing.isEmpty()) {
                return; // another JVM fetched them while this one waited for the lock
            }
            long start = System.nanoTime();
            StringBuilder modules = new StringBuilder();
            for (ArtifactSet s : missing) {
                Path folder = folder(s);
                deleteRecursively(folder); // whatever an interrupted fetch left
                Files.createDirectories(folder);
                Files.writeString(folder.resolve("pom.xml"), setPom(s), StandardCharsets.UTF_8);
                modules.append("    <module>").append(s.folderName()).append("</module>\n");
            }
            Files.writeString(root.resolve("pom.xml"), String.join("\n",
                    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>",
                    "<!-- Generated by ClientJars: the artifact sets fetched in one Maven run. -->",
                    "<project xmlns=\"http://maven.apache.org/POM/4.0.0\">",
                    "  <modelVersion>4.0.0</modelVersion>",
                    "  <groupId>io.gcsflush.it.clients</groupId>",
                    "  <artifactId>clients</artifactId>",
                    "  <version>0</version>",
                    "  <packaging>pom</packaging>",
                    "  <modules>",
                    modules + "  </modules>",
                    "</project>",
                    ""), StandardCharsets.UTF_8);
            Files.createDirectories(root.resolve(".mvn"));
            runMaven(root);
            for (ArtifactSet s : missing) {
                writeMarker(s);
            }
            LOG.info("fetched {} artifact sets into {} in {} ms: {}", missing.size(), root,
                    (System.nanoTime() - start) / 1_000_000,
                    missing.stream().map(ArtifactSet::id).collect(Collectors.joining("; ")));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot fetch the artifact sets into " + root, e);
        }
    }

    /** The jars listed by the set's {@value #MARKER}, or null if it is missing, stale, or a jar is gone. */
    private static List<Path> cached(ArtifactSet set) {
        Path folder = folder(set);
        Path marker = folder.resolve(MARKER);
        if (!Files.isRegularFile(marker)) {
            return null;
        }
        try {
            List<String> lines = Files.readAllLines(marker, StandardCharsets.UTF_8);
            if (lines.isEmpty() || !lines.get(0).equals(FORMAT + set.id())) {
                return null;
            }
            List<Path> jars = lines.subList(1, lines.size()).stream()
                    .filter(l -> !l.isBlank())
                    .map(folder::resolve)
                    .collect(Collectors.toList());
            return !jars.isEmpty() && jars.stream().allMatch(Files::isRegularFile) ? jars : null;
        } catch (IOException e) {
            return null;
        }
    }

    /** Checks that Maven copied a jar of each artifact of the set, and lists what it copied. */
    private static void writeMarker(ArtifactSet set) throws IOException {
        Path folder = folder(set);
        List<String> jars;
        try (Stream<Path> files = Files.list(folder)) {
            jars = files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".jar")).sorted()
                    .collect(Collectors.toList());
        }
        for (String artifact : set.artifacts()) {
            String artifactId = artifact.split(":")[1];
            if (jars.stream().noneMatch(n -> n.matches(Pattern.quote(artifactId) + "-\\d.*\\.jar"))) {
                throw new IllegalStateException("Maven copied no " + artifactId + "-*.jar into " + folder + ": "
                        + jars);
            }
        }
        if (set.client() != null) {
            checkNoOtherClientVersion(set.client(), folder, jars);
        }
        Path tmp = folder.resolve(MARKER + ".tmp");
        List<String> lines = new ArrayList<>();
        lines.add(FORMAT + set.id());
        lines.addAll(jars);
        Files.write(tmp, lines, StandardCharsets.UTF_8);
        Files.move(tmp, folder.resolve(MARKER), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /** Exactly one jar of the version's client, of that version, and none of another client. */
    private static void checkNoOtherClientVersion(ClientVersion v, Path folder, List<String> jars) {
        String own = v.family().artifactId + "-" + v.version() + ".jar";
        for (Family other : Family.values()) {
            List<String> clientJars = jars.stream().filter(n -> n.matches(Pattern.quote(other.artifactId) + "-\\d.*"))
                    .collect(Collectors.toList());
            List<String> expected = other == v.family() ? List.of(own) : List.of();
            if (!clientJars.equals(expected)) {
                throw new IllegalStateException(folder + " holds " + clientJars + " of " + other.displayName
                        + ", expected " + expected + ": a client version would leak into another's classpath");
            }
        }
    }

    private static String setPom(ArtifactSet set) {
        StringBuilder pom = new StringBuilder(String.join("\n",
                "<?xml version=\"1.0\" encoding=\"UTF-8\"?>",
                "<!-- Generated by ClientJars: " + set.id() + ", with their runtime dependencies, copied into this"
                        + " folder. -->",
                "<project xmlns=\"http://maven.apache.org/POM/4.0.0\">",
                "  <modelVersion>4.0.0</modelVersion>",
                "  <groupId>io.gcsflush.it.clients</groupId>",
                "  <artifactId>" + set.folderName() + "</artifactId>",
                "  <version>0</version>",
                "  <packaging>pom</packaging>",
                ""));
        if (set.bom() != null) {
            String[] bom = set.bom().split(":");
            pom.append(String.join("\n",
                    "  <dependencyManagement>",
                    "    <dependencies>",
                    "      <dependency>",
                    "        <groupId>" + bom[0] + "</groupId>",
                    "        <artifactId>" + bom[1] + "</artifactId>",
                    "        <version>" + bom[2] + "</version>",
                    "        <type>pom</type>",
                    "        <scope>import</scope>",
                    "      </dependency>",
                    "    </dependencies>",
                    "  </dependencyManagement>",
                    ""));
        }
        pom.append("  <dependencies>\n");
        for (String artifact : set.artifacts()) {
            String[] gav = artifact.split(":");
            pom.append("    <dependency>\n")
                    .append("      <groupId>").append(gav[0]).append("</groupId>\n")
                    .append("      <artifactId>").append(gav[1]).append("</artifactId>\n");
            if (gav.length > 2) {
                pom.append("      <version>").append(gav[2]).append("</version>\n");
            }
            pom.append("    </dependency>\n");
        }
        pom.append(String.join("\n",
                "  </dependencies>",
                "  <build>",
                "    <plugins>",
                "      <plugin>",
                "        <groupId>org.apache.maven.plugins</groupId>",
                "        <artifactId>maven-dependency-plugin</artifactId>",
                "        <version>" + DEPENDENCY_PLUGIN_VERSION + "</version>",
                "        <configuration>",
                "          <outputDirectory>${project.basedir}</outputDirectory>",
                "          <includeScope>runtime</includeScope>",
                "        </configuration>",
                "      </plugin>",
                "    </plugins>",
                "  </build>",
                "</project>",
                ""));
        return pom.toString();
    }

    private static String tail(Path file) {
        try {
            List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        } catch (IOException | UncheckedIOException e) {
            return "(no output: " + e + ")";
        }
    }

    private static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) paths.sorted(Comparator.reverseOrder())::iterator) {
                Files.delete(p);
            }
        }
    }
}
