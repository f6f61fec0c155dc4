package io.gcsflush.it;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;

/**
 * The Spring Boot application of {@link SpringDataRedisIT} ({@code src/spring-app/java}), built at test time against
 * Spring Boot jars of its own, and the classpaths it runs on.
 *
 * <p><b>Why compiled here, and not by Maven.</b> The application needs Spring Boot to compile and to run, but Spring
 * must not be on the test classpath: {@code spring-boot-starter-data-redis} brings its own Lettuce (and, for the
 * Jedis variant, its own Jedis), in the versions Boot manages, which would clash with the test classpath's Jedis
 * 5.2.0 and Lettuce 6.8.2 that the harness and every other test's child use; a {@code test} (or {@code provided})
 * dependency is on failsafe's classpath for every IT. The alternatives were a Maven module of its own
 * ({@code integration-tests/spring-app}, which the root POM would have to list, and whose jars would have to reach
 * the tests some other way) or a profile. Instead, as for the client version matrix: {@link ClientJars} fetches
 * Boot's artifacts with their runtime dependencies, versions as Boot's BOM manages them, into folders of their own
 * under {@code target/clients/} (one Maven run, once; nothing on later runs), and this class compiles the
 * application's few sources with the JDK's compiler ({@code javax.tools}, which the JDK that runs Maven has) against
 * those same jars, into {@code target/spring-app/}. The child's classpath is that folder and the jars, nothing of the
 * test classpath; a fresh CI machine needs nothing but Maven Central, as for the rest of the build.
 *
 * <p>Two sets: the Lettuce application's ({@code spring-boot-starter-data-redis} alone: Boot's default driver) and the
 * Jedis application's (the starter and {@code redis.clients:jedis}, the version Boot manages, so that
 * {@code spring.data.redis.client-type=jedis} works). The application also runs as a Boot executable jar
 * ({@link #executableJar(Driver)}), where Boot's {@code LaunchedClassLoader} loads the drivers from jars nested in
 * the application's jar.
 */
final class SpringApps {
    /** The Spring Boot release the application is built on: the one place it is written. */
    static final String BOOT_VERSION = "3.5.7";
    static final String MAIN_CLASS = "io.gcsflush.it.spring.SpringRedisWriterApp";
    /** What {@code java -jar} runs for a Boot executable jar (its {@code Main-Class}); it then runs the application. */
    static final String JAR_LAUNCHER = "org.springframework.boot.loader.launch.JarLauncher";

    private static final String BOM = "org.springframework.boot:spring-boot-dependencies:" + BOOT_VERSION;
    private static final String STARTER = "org.springframework.boot:spring-boot-starter-data-redis";
    private static final ClientJars.ArtifactSet LOADER = new ClientJars.ArtifactSet(
            "spring-boot-loader-" + BOOT_VERSION, BOM, List.of("org.springframework.boot:spring-boot-loader"));

    /** A driver Spring Data Redis can use, with the jars of the application that uses it. */
    enum Driver {
        LETTUCE("Lettuce", "lettuce-core", "org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory",
                "io.lettuce.core.", List.of(STARTER)),
        JEDIS("Jedis", "jedis", "org.springframework.data.redis.connection.jedis.JedisConnectionFactory",
                "redis.clients.jedis.", List.of(STARTER, "redis.clients:jedis"));

        final String displayName;
        /** The driver's artifact: its jar is {@code <artifactId>-<version>.jar}. */
        final String artifactId;
        /** The connection factory Boot must auto-configure for it. */
        final String factoryClass;
        /** The package of the native connection the factory hands out. */
        final String nativePackage;
        final ClientJars.ArtifactSet jars;

        Driver(String displayName, String artifactId, String factoryClass, String nativePackage,
               List<String> artifacts) {
            this.displayName = displayName;
            this.artifactId = artifactId;
            this.factoryClass = factoryClass;
            this.nativePackage = nativePackage;
            this.jars = new ClientJars.ArtifactSet(
                    "spring-boot-" + BOOT_VERSION + "-" + name().toLowerCase(Locale.ROOT), BOM, artifacts);
        }

        /** The driver's jar in the application's set: the version Boot manages. */
        Path driverJar() {
            List<Path> jars = SpringApps.jars(this).stream()
                    .filter(p -> p.getFileName().toString().matches(artifactId + "-\\d.*\\.jar"))
                    .collect(Collectors.toList());
            if (jars.size() != 1) {
                throw new IllegalStateException("expected one " + artifactId + " jar in " + ClientJars.folder(this.jars)
                        + ", found " + jars);
            }
            return jars.get(0);
        }
    }

    private static Path classes;
    private static final Map<Driver, Path> EXECUTABLE_JARS = new EnumMap<>(Driver.class);

    private SpringApps() {
    }

    /** The jars of a driver's application, fetching every set first (one Maven run) if any is missing. */
    static synchronized List<Path> jars(Driver driver) {
        fetchAll();
        return ClientJars.jars(driver.jars);
    }

    /** The classpath of a child running the application on {@code driver}: its classes and its jars only. */
    static String classpath(Driver driver) {
        return ClientJars.classpath(classes(), jars(driver));
    }

    /**
     * {@code target/spring-app/classes/}: the application compiled against the Lettuce set (it uses Spring's API
     * only, which both sets share), once per test JVM, from scratch.
     */
    static synchronized Path classes() {
        if (classes != null) {
            return classes;
        }
        Path sources = sourceDir();
        Path out = TestDirs.underTarget("spring-app").resolve("classes");
        JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
        if (compiler == null) {
            throw new IllegalStateException("no Java compiler in " + System.getProperty("java.home")
                    + ": the tests must run on a JDK, not a JRE, to build the Spring application");
        }
        try {
            deleteRecursively(out);
            Files.createDirectories(out);
            List<Path> files;
            try (Stream<Path> walk = Files.walk(sources)) {
                files = walk.filter(p -> p.toString().endsWith(".java")).sorted().collect(Collectors.toList());
            }
            String classpath = jars(Driver.LETTUCE).stream().map(Path::toString)
                    .collect(Collectors.joining(File.pathSeparator));
            StringWriter messages = new StringWriter();
            try (StandardJavaFileManager fileManager = compiler.getStandardFileManager(null, Locale.ROOT,
                    StandardCharsets.UTF_8)) {
                Iterable<? extends JavaFileObject> units = fileManager.getJavaFileObjectsFromPaths(files);
                // -parameters as Boot's parent POM sets it; -proc:none: no annotation processor is wanted.
                List<String> options = List.of("--release", "17", "-parameters", "-proc:none", "-Xlint:all",
                        "-encoding", "UTF-8", "-classpath", classpath, "-d", out.toString());
                boolean ok = compiler.getTask(messages, fileManager, null, options, null, units).call();
                Files.writeString(out.resolveSibling("javac.log"), messages.toString(), StandardCharsets.UTF_8);
                if (!ok) {
                    throw new IllegalStateException("cannot compile the Spring application " + sources + ":\n"
                            + messages);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot build the Spring application into " + out, e);
        }
        classes = out;
        return out;
    }

    /**
     * {@code target/spring-app/<driver>-app.jar}: the application as a Spring Boot executable jar, laid out as Boot's
     * Maven plugin lays it out: Boot's launcher classes at the root, the application under {@code BOOT-INF/classes/},
     * its jars stored (not compressed, as Boot requires of nested jars) under {@code BOOT-INF/lib/}, and a manifest
     * naming {@value #JAR_LAUNCHER} and the application. Run as {@code java -cp app.jar JarLauncher}, which is what
     * {@code java -jar app.jar} runs.
     */
    static synchronized Path executableJar(Driver driver) {
        Path made = EXECUTABLE_JARS.get(driver);
        if (made != null) {
            return made;
        }
        Path jar = TestDirs.underTarget("spring-app").resolve(driver.name().toLowerCase(Locale.ROOT) + "-app.jar");
        Path classesDir = classes();
        Manifest manifest = new Manifest();
        Attributes main = manifest.getMainAttributes();
        main.put(Attributes.Name.MANIFEST_VERSION, "1.0");
        main.put(Attributes.Name.MAIN_CLASS, JAR_LAUNCHER);
        main.putValue("Start-Class", MAIN_CLASS);
        main.putValue("Spring-Boot-Version", BOOT_VERSION);
        main.putValue("Spring-Boot-Classes", "BOOT-INF/classes/");
        main.putValue("Spring-Boot-Lib", "BOOT-INF/lib/");
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar), manifest)) {
            // Boot finds BOOT-INF/classes/ and the application's packages by their directory entries: write them.
            Set<String> directories = new HashSet<>();
            for (Path loaderJar : ClientJars.jars(LOADER)) {
                try (JarFile loader = new JarFile(loaderJar.toFile())) {
                    for (JarEntry e : (Iterable<JarEntry>) loader.stream()::iterator) {
                        if (!e.isDirectory() && e.getName().startsWith("org/springframework/boot/loader/")) {
                            try (InputStream in = loader.getInputStream(e)) {
                                putParents(out, e.getName(), directories);
                                out.putNextEntry(new JarEntry(e.getName()));
                                in.transferTo(out);
                            }
                        }
                    }
                }
            }
            try (Stream<Path> walk = Files.walk(classesDir)) {
                for (Path c : (Iterable<Path>) walk.filter(Files::isRegularFile).sorted()::iterator) {
                    String name = "BOOT-INF/classes/"
                            + classesDir.relativize(c).toString().replace(File.separatorChar, '/');
                    putParents(out, name, directories);
                    out.putNextEntry(new JarEntry(name));
                    Files.copy(c, out);
                }
            }
            for (Path lib : jars(driver)) {
                byte[] bytes = Files.readAllBytes(lib);
                CRC32 crc = new CRC32();
                crc.update(bytes);
                JarEntry entry = new JarEntry("BOOT-INF/lib/" + lib.getFileName());
                putParents(out, entry.getName(), directories);
                entry.setMethod(ZipEntry.STORED);
                entry.setSize(bytes.length);
                entry.setCompressedSize(bytes.length);
                entry.setCrc(crc.getValue());
                out.putNextEntry(entry);
                out.write(bytes);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the executable jar " + jar, e);
        }
        EXECUTABLE_JARS.put(driver, jar);
        return jar;
    }

    /** Writes the directory entries of {@code name}'s parents ({@code a/}, {@code a/b/}) that are not written yet. */
    private static void putParents(JarOutputStream out, String name, Set<String> written) throws IOException {
        for (int slash = name.indexOf('/'); slash >= 0; slash = name.indexOf('/', slash + 1)) {
            String directory = name.substring(0, slash + 1);
            if (written.add(directory)) {
                out.putNextEntry(new JarEntry(directory));
                out.closeEntry();
            }
        }
    }

    /** Every set (both applications' and Boot's launcher) that is not fetched yet, in one Maven run. */
    private static void fetchAll() {
        List<ClientJars.ArtifactSet> sets = new ArrayList<>();
        for (Driver d : Driver.values()) {
            sets.add(d.jars);
        }
        sets.add(LOADER);
        ClientJars.fetchSets(sets);
    }

    /** {@code src/spring-app/java} of this module (the parent of {@code target/}). */
    private static Path sourceDir() {
        Path dir = Optional.ofNullable(TestDirs.target().getParent()).orElseThrow()
                .resolve("src").resolve("spring-app").resolve("java");
        if (!Files.isDirectory(dir)) {
            throw new IllegalStateException("the Spring application's sources are not in " + dir
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
