package io.gcsflush.cli;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/** A command line, parsed: {@code status 4242}, {@code set 4242 threshold=1g period=5s}, {@code attach 4242 ...}. */
final class Command {
    /** The commands, with what each takes after its name. */
    enum Name {
        HELP(false), LIST(false), STATUS(true), SET(true), FLUSH(true), PAUSE(true), RESUME(true), ATTACH(true);

        final boolean takesPid;

        Name(boolean takesPid) {
            this.takesPid = takesPid;
        }

        String lowerName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    final Name name;
    final long pid;
    /** What follows the PID: settings ({@code set}, {@code attach}) or a server ({@code flush}). */
    final List<String> rest;

    private Command(Name name, long pid, List<String> rest) {
        this.name = name;
        this.pid = pid;
        this.rest = rest;
    }

    static Command parse(String... args) throws CliException {
        if (args.length == 0) return new Command(Name.HELP, -1, List.of());
        String word = args[0];
        if (word.equals("-h") || word.equals("--help") || word.equals("-help")) word = "help";
        Name name = null;
        for (Name n : Name.values()) if (n.lowerName().equals(word.toLowerCase(Locale.ROOT))) name = n;
        if (name == null) throw CliException.usage("unknown command '" + shown(word) + "'");
        if (!name.takesPid) {
            if (args.length > 1) throw CliException.usage(name.lowerName() + " takes no arguments");
            return new Command(name, -1, List.of());
        }
        if (args.length < 2) throw CliException.usage(name.lowerName() + " needs the process id of a JVM");
        long pid = pid(args[1]);
        List<String> rest = new ArrayList<>(Arrays.asList(args).subList(2, args.length));
        switch (name) {
            case SET:
                if (rest.isEmpty()) throw CliException.usage("set needs at least one SETTING=VALUE, such as threshold=1g");
                for (String pair : rest) setting(pair);
                break;
            case FLUSH:
                if (rest.size() > 1) throw CliException.usage("flush takes at most one server, HOST:PORT");
                break;
            case ATTACH:
                // One agent argument, as after -javaagent:gcs-flush.jar=; several words are joined with commas.
                if (rest.size() > 1) rest = List.of(String.join(",", rest));
                break;
            default:
                if (!rest.isEmpty()) {
                    throw CliException.usage(name.lowerName() + " takes only a process id, not '" + shown(rest.get(0))
                            + "'");
                }
        }
        return new Command(name, pid, List.copyOf(rest));
    }

    /** A process id: a whole number above zero. */
    static long pid(String text) throws CliException {
        try {
            long pid = Long.parseLong(text.trim());
            if (pid > 0) return pid;
        } catch (NumberFormatException e) {
            // said below
        }
        throw CliException.usage("not a process id: '" + shown(text) + "' (list shows those of the JVMs that run the "
                + "agent)");
    }

    /** {@code threshold=1g} as its two halves. */
    static String[] setting(String pair) throws CliException {
        int eq = pair.indexOf('=');
        if (eq <= 0) throw CliException.usage("expected SETTING=VALUE, such as threshold=1g, not '" + shown(pair) + "'");
        return new String[] {pair.substring(0, eq).trim(), pair.substring(eq + 1).trim()};
    }

    /** Text from the command line as it may be echoed: no control characters, at most 64 characters. */
    static String shown(String text) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < text.length() && i < 64; i++) {
            char c = text.charAt(i);
            b.append(c < 0x20 || c == 0x7f ? '?' : c);
        }
        return text.length() > 64 ? b + "..." : b.toString();
    }

    static final String USAGE = String.join(System.lineSeparator(),
            "gcs-flush: keeps the memory of the Redis servers a Java application writes to under a threshold, by "
                    + "removing its oldest keys.",
            "",
            "As an agent:  java -javaagent:gcs-flush.jar=threshold=2g -jar app.jar",
            "",
            "Commands:     java -jar gcs-flush.jar COMMAND [ARGUMENTS]",
            "  list                        the local JVMs (of this user) that run the agent",
            "  status PID                  each server: used_memory and the threshold, keys tracked, last flush, state",
            "  set PID SETTING=VALUE...    change settings while it runs: threshold, period, batch, policy, "
                    + "low-water, max-batch",
            "  flush PID [HOST:PORT]       flush now (every server, or that one), whatever the memory, the period or a "
                    + "pause",
            "  pause PID                   remove nothing until resume (the order of writes is still kept)",
            "  resume PID                  flush as the settings say again",
            "  attach PID [SETTINGS]       start the agent in a running JVM; SETTINGS as after -javaagent:gcs-flush.jar=",
            "  help                        this text",
            "",
            "Examples:",
            "  java -jar gcs-flush.jar status 4242",
            "  java -jar gcs-flush.jar set 4242 threshold=1g period=5s",
            "  java -jar gcs-flush.jar attach 4242 threshold=2g,adopt=task:*",
            "",
            "Run it as the user that runs the JVM, with a JDK (it needs the module jdk.attach). It reaches the agent "
                    + "through its MBeans (io.gcsflush) over the JVM's local JMX connector, which it starts if need "
                    + "be, as jcmd ManagementAgent.start_local does.");
}
