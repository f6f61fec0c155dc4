package io.gcsflush.it;

import io.gcsflush.it.ClientVersions.ClientVersion;
import io.gcsflush.it.ClientVersions.Family;
import java.io.File;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;

/**
 * The applications built at test time against a client that must stay off the test classpath, and the classpaths they
 * run on: the Redisson writer ({@code src/redisson-app/java}) against each Redisson version of the matrix, the Vert.x
 * writer ({@code src/vertx-app/java}) against Vert.x.
 *
 * <p><b>Why not on the test classpath.</b> Redisson (and Vert.x) bring their own netty, Reactor, Byte Buddy and SLF4J,
 * in versions other than those of the test classpath's Lettuce, IsolationApp and logging: as a test dependency they
 * would replace them (Maven keeps one version of each) for every test and every child. So, as for the Spring
 * application ({@link SpringApps}): {@link ClientJars} fetches each version's jars into a folder of their own, and
 * this class compiles the application's sources with the JDK's compiler against those jars and the shared test
 * applications ({@link ClientJars#applicationClasses()}: {@code WriterArgs}, {@code WriterLoop}), into
 * {@code target/client-apps/<folder>/classes/}, once per version per test JVM. The child's classpath is those classes,
 * the shared test applications and the version's jars, nothing else.
 */
final class ClientApps {
    static final String REDISSON_MAIN = "io.gcsflush.it.redisson.RedissonWriterApp";
    static final String VERTX_MAIN = "io.gcsflush.it.vertx.VertxWriterApp";
    /** The Vert.x release of {@link UnsupportedClientIT}; its BOM chooses the rest (Vert.x's own netty). */
    static final String VERTX_VERSION = "5.0.7";
    static final ClientJars.ArtifactSet VERTX = new ClientJars.ArtifactSet("vertx-redis-client-" + VERTX_VERSION,
            "io.vertx:vertx-stack-depchain:" + VERTX_VERSION, List.of("io.vertx:vertx-redis-client"));

    private static final Map<String, Path> COMPILED = new HashMap<>();

    private ClientApps() {
    }

    /** The classpath of a child running the Redisson writer on {@code version}. */
    static String redisson(ClientVersion version) {
        if (version.family() != Family.REDISSON) {
            throw new IllegalArgumentException(version + " is not Redisson");
        }
        List<Path> jars = ClientJars.jars(version);
        return classpath(compile("redisson-app", version.folderName(), jars), jars);
    }

    /** The classpath of a child running the Vert.x writer. */
    static String vertx() {
        List<Path> jars = ClientJars.jars(VERTX);
        return classpath(compile("vertx-app", VERTX.folderName(), jars), jars);
    }

    private static String classpath(Path classes, List<Path> jars) {
        List<String> entries = new ArrayList<>();
        entries.add(classes.toString());
        entries.add(ClientJars.applicationClasses().toString());
        jars.forEach(jar -> entries.add(jar.toString()));
        return String.join(File.pathSeparator, entries);
    }

    /** {@code target/client-apps/<folder>/classes/}: {@code src/<app>/java} compiled against {@code jars}. */
    private static synchronized Path compile(String app, String folder, List<Path> jars) {
        String id = app + "/" + folder;
        Path made = COMPILED.get(id);
        if (made != null) {
            return made;
        }
        Path sources = sourceDir(app);
        Path out = TestDirs.underTarget("client-apps").resolve(folder).resolve("classes");
        JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
        if (compiler == null) {
            throw new IllegalStateException("no Java compiler in " + System.getProperty("java.home")
                    + ": the tests must run on a JDK, not a JRE, to build " + app);
        }
        try {
            deleteRecursively(out);
            Files.createDirectories(out);
            List<Path> files;
            try (Stream<Path> walk = Files.walk(sources)) {
                files = walk.filter(p -> p.toString().endsWith(".java")).sorted().collect(Collectors.toList());
            }
            List<String> classpath = new ArrayList<>();
            classpath.add(ClientJars.applicationClasses().toString());
            jars.forEach(j -> classpath.add(j.toString()));
            StringWriter messages = new StringWriter();
            try (StandardJavaFileManager fileManager = compiler.getStandardFileManager(null, Locale.ROOT,
                    StandardCharsets.UTF_8)) {
                Iterable<? extends JavaFileObject> units = fileManager.getJavaFileObjectsFromPaths(files);
                List<String> options = List.of("--release", "17", "-proc:none", "-encoding", "UTF-8",
                        "-classpath", String.join(File.pathSeparator, classpath), "-d", out.toString());
                boolean ok = compiler.getTask(messages, fileManager, null, options, null, units).call();
                Files.writeString(out.resolveSibling("javac.log"), messages.toString(), StandardCharsets.UTF_8);
                if (!ok) {
                    throw new IllegalStateException("cannot compile " + sources + " against " + folder + ":\n"
                            + messages);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot build " + app + " into " + out, e);
        }
        COMPILED.put(id, out);
        return out;
    }

    /** {@code src/<app>/java} of this module (the parent of {@code target/}). */
    private static Path sourceDir(String app) {
        Path dir = Optional.ofNullable(TestDirs.target().getParent()).orElseThrow()
                .resolve("src").resolve(app).resolve("java");
        if (!Files.isDirectory(dir)) {
            throw new IllegalStateException("the sources of " + app + " are not in " + dir
                    + ": run the integration tests from the integration-tests module (mvn verify)");
        }
        return dir;
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
