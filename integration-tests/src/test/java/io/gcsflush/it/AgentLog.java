package io.gcsflush.it;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The agent's lines in a child JVM's output, parsed. They come in one of three formats: the agent's own on stderr
 * ({@code 2026-11-27T09:40:08.678Z INFO gcs-flush - message}); through the application's SLF4J under the logger
 * {@code io.gcsflush}, as slf4j-simple prints it on the test classpath ({@code [gcs-flush-log] INFO io.gcsflush -
 * message}) or as Spring Boot's console does ({@code ... INFO 4242 --- [gcs-flush-log] io.gcsflush     : message}).
 * Match them with {@link #line(String)}, never with one format's text.
 */
final class AgentLog {
    /** {@code ... INFO gcs-flush - flushed localhost:6399: used_memory 1.1 MiB -> 1.0 MiB; removed 10 of the 10 ...}. */
    static final Pattern FLUSHED = Pattern.compile(line("INFO") + "flushed (\\S+): used_memory (.+?) -> (.+?); "
            + "(removed|would remove \\(dry run\\)) (\\d+) of the (\\d+) oldest keys \\((\\d+) tracked before, (\\d+) "
            + "left\\); (\\d+) ms$");
    static final String STARTED = line("INFO") + "gcs-flush \\S+ started: ";
    static final String TRACKING = line("INFO") + "tracking the keys this application writes to ";
    static final String CANNOT_FLUSH = line("WARN") + "cannot flush ";
    static final String REACHABLE_AGAIN = line("INFO") + "\\S+ is reachable again; flushing resumes";
    /** The errors the agent prints before its log is set up, or when it cannot start. */
    static final String ERROR = "^\\[gcs-flush\\] ERROR ";
    /** Any line of the agent's: its log in any format, or its early errors. */
    static final String ANY = " gcs-flush - | io\\.gcsflush(?: - |\\s+: )|^\\[gcs-flush\\]";

    /**
     * A regular expression that ends where the agent's message starts, in a line it logs at {@code level} (a level
     * name, or an alternation such as {@code (?:WARN|ERROR)}), whichever of its formats the line is in.
     */
    static String line(String level) {
        return "\\b" + level + "\\b.*?\\b(?:gcs-flush|io\\.gcsflush)\\s+[-:] ";
    }

    /** The messages of the agent's lines at {@code level}, in order. */
    static List<String> messages(ChildJvm app, String level) {
        Pattern pattern = Pattern.compile(line(level) + "(.*)$");
        return app.output().stream()
                .map(pattern::matcher)
                .filter(Matcher::find)
                .map(m -> m.group(1))
                .collect(Collectors.toList());
    }

    /** One {@code flushed} line. */
    record Flush(String server, boolean dryRun, int acted, int picked, long trackedBefore, long left) {
        static Flush parse(Matcher m) {
            return new Flush(m.group(1), !m.group(4).equals("removed"), Integer.parseInt(m.group(5)),
                    Integer.parseInt(m.group(6)), Long.parseLong(m.group(7)), Long.parseLong(m.group(8)));
        }
    }

    private AgentLog() {
    }

    static List<Flush> flushes(ChildJvm app) {
        return app.output().stream()
                .map(FLUSHED::matcher)
                .filter(Matcher::find)
                .map(Flush::parse)
                .collect(Collectors.toList());
    }

    /** Keys the agent says it removed, over all its flushes (dry-run flushes remove none). */
    static long removed(ChildJvm app) {
        return flushes(app).stream().filter(f -> !f.dryRun()).mapToLong(Flush::acted).sum();
    }

    /** Keys the agent picked for removal, over all its flushes: how many it tracked and let go. */
    static long picked(ChildJvm app) {
        return flushes(app).stream().mapToLong(Flush::picked).sum();
    }

    /** The child's lines, stdout and stderr, in which the regular expression is found. */
    static List<String> lines(ChildJvm app, String regex) {
        Pattern pattern = Pattern.compile(regex);
        return app.output().stream().filter(line -> pattern.matcher(line).find()).collect(Collectors.toList());
    }
}
