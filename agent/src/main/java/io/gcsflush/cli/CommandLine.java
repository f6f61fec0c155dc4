package io.gcsflush.cli;

import io.gcsflush.config.AgentConfig;
import io.gcsflush.config.ConfigException;
import io.gcsflush.config.Sizes;
import java.io.IOException;
import java.io.PrintStream;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;
import javax.management.MBeanServerConnection;
import javax.management.ObjectName;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXServiceURL;

/**
 * {@code java -jar gcs-flush.jar COMMAND ...}: the agent's command line (see {@link Command#USAGE}). It reaches a JVM
 * with the attach API and the agent in it through its MBeans, over the JVM's local JMX connector; it opens nothing of
 * its own there. Each failure is one line on standard error, and the exit code says which kind: 1 for a command that
 * could not be carried out, 2 for a command line that is wrong.
 */
public final class CommandLine {
    /** How long to wait for the agent's MBeans in a JVM whose MBean server the connector has just made. */
    static final long MBEANS_WAIT_MILLIS = 3_000;

    private final Supplier<Jvms> jvms;
    private final PrintStream out;
    private final PrintStream err;
    private final String agentJar;

    CommandLine(Supplier<Jvms> jvms, PrintStream out, PrintStream err, String agentJar) {
        this.jvms = jvms;
        this.out = out;
        this.err = err;
        this.agentJar = agentJar;
    }

    /** Called by {@code io.gcsflush.bootstrap.CommandLineLauncher}, in the agent's class loader; returns the exit code. */
    public static int run(String[] args, String agentJar) {
        return new CommandLine(CommandLine::attachApi, System.out, System.err, agentJar).execute(args);
    }

    /** The attach API, or null where this Java has none (a JRE, a jlink image without jdk.attach). */
    private static Jvms attachApi() {
        return ModuleLayer.boot().findModule("jdk.attach").isPresent() ? new AttachJvms() : null;
    }

    int execute(String... args) {
        try {
            Command command = Command.parse(args);
            switch (command.name) {
                case HELP: out.println(Command.USAGE); break;
                case LIST: list(); break;
                case STATUS: status(command.pid); break;
                case SET: set(command.pid, command.rest); break;
                case FLUSH: flush(command.pid, command.rest.isEmpty() ? null : command.rest.get(0)); break;
                case PAUSE: operation(command.pid, "pause"); break;
                case RESUME: operation(command.pid, "resume"); break;
                case ATTACH: attach(command.pid, command.rest.isEmpty() ? "" : command.rest.get(0)); break;
                default: throw new IllegalStateException(command.name.toString());
            }
            return 0;
        } catch (CliException e) {
            err.println("gcs-flush: " + e.getMessage()
                    + (e.exitCode() == CliException.USAGE ? " (java -jar gcs-flush.jar help)" : ""));
            return e.exitCode();
        }
    }

    private Jvms jvms() throws CliException {
        Jvms j = jvms.get();
        if (j == null) throw new CliException(Errors.noAttachModule(System.getProperty("java.home")));
        return j;
    }

    private void list() throws CliException {
        List<String[]> rows = new ArrayList<>();
        for (Jvms.Jvm jvm : jvms().list()) {
            String version = jvm.agent;
            if (version == Jvms.Jvm.UNKNOWN) {
                // Its performance data cannot be read here: ask it.
                try (Jvms.Target target = jvms().attach(jvm.pid)) {
                    version = target.agentVersion();
                } catch (CliException e) {
                    continue; // gone since listed, or not ours to attach to
                }
            }
            if (version != null) rows.add(new String[] {Long.toString(jvm.pid), version, jvm.name});
        }
        if (rows.isEmpty()) {
            out.println("no JVM of this user runs the gcs-flush agent");
            return;
        }
        rows.add(0, new String[] {"PID", "AGENT", "APPLICATION"});
        int pidWidth = 0;
        int versionWidth = 0;
        for (String[] row : rows) {
            pidWidth = Math.max(pidWidth, row[0].length());
            versionWidth = Math.max(versionWidth, row[1].length());
        }
        for (String[] row : rows) {
            out.println(String.format(Locale.ROOT, "%-" + pidWidth + "s  %-" + versionWidth + "s  %s", row[0], row[1],
                    row[2]).trim());
        }
    }

    private void status(long pid) throws CliException {
        withAgent(pid, client -> {
            Map<String, Object> agent = client.agent();
            List<Map<String, Object>> servers = client.servers();
            out.println(Status.header(pid, agent));
            out.print(Status.table(servers, System.currentTimeMillis()));
            return null;
        });
    }

    private void set(long pid, List<String> pairs) throws CliException {
        String settings = withAgent(pid, client -> {
            Object now = null;
            for (String pair : pairs) {
                String[] kv = Command.setting(pair);
                now = client.invoke(client.agentName(), "set", kv[0], kv[1]);
            }
            return String.valueOf(now);
        });
        out.println("JVM " + pid + " flushes by: " + settings);
    }

    private void flush(long pid, String server) throws CliException {
        Object result = withAgent(pid, client -> server == null ? client.invoke(client.agentName(), "flushNow")
                : client.invoke(client.server(server), "flushNow"));
        if (result instanceof String[]) {
            for (String line : (String[]) result) out.println(line);
        } else {
            out.println(result);
        }
    }

    private void operation(long pid, String name) throws CliException {
        Object result = withAgent(pid, c -> c.invoke(c.agentName(), name));
        out.println("JVM " + pid + ": " + result);
    }

    private void attach(long pid, String argument) throws CliException {
        try {
            AgentConfig.parseArgument(argument);
        } catch (ConfigException e) {
            throw CliException.usage(e.getMessage());
        }
        if (agentJar == null) throw new CliException("cannot tell where gcs-flush.jar is: run it as java -jar");
        try (Jvms.Target target = jvms().attach(pid)) {
            String running = target.agentVersion();
            if (running != null) {
                throw new CliException("JVM " + pid + " already runs gcs-flush " + running + "; change its settings "
                        + "with: java -jar gcs-flush.jar set " + pid + " SETTING=VALUE");
            }
            target.loadAgent(agentJar, argument);
            String started = target.agentVersion();
            if (started == null) {
                // A setting the JVM's own -Dgcsflush.* or GCSFLUSH_* made bad, or enabled=false: said there.
                throw new CliException("the agent did not start in JVM " + pid + "; its standard error says why");
            }
            out.println("gcs-flush " + started + " started in JVM " + pid + (argument.isEmpty() ? ""
                    : " with " + argument) + "; connections opened before are followed from their next command"
                    + "; its log says which servers it follows");
        }
    }

    /** What to do with the agent's MBeans in a JVM. */
    private interface AgentAction<T> {
        T run(AgentClient client) throws CliException;
    }

    private <T> T withAgent(long pid, AgentAction<T> action) throws CliException {
        String address;
        try (Jvms.Target target = jvms().attach(pid)) {
            if (target.agentVersion() == null) throw new CliException(Errors.noAgent(pid));
            address = target.localConnectorAddress();
        }
        try (JMXConnector connector = JMXConnectorFactory.connect(new JMXServiceURL(address))) {
            MBeanServerConnection connection = connector.getMBeanServerConnection();
            AgentClient client = new AgentClient(connection, pid);
            client.awaitAgent(MBEANS_WAIT_MILLIS);
            return action.run(client);
        } catch (IOException e) {
            throw new CliException("cannot reach the local JMX connector of JVM " + pid + " (" + address + "): "
                    + e.getMessage());
        }
    }

    /** What {@code status} prints. */
    static final class Status {
        private Status() {}

        static String header(long pid, Map<String, Object> agent) {
            StringBuilder b = new StringBuilder();
            b.append("JVM ").append(pid).append(": gcs-flush ").append(agent.get("Version"))
                    .append(Boolean.TRUE.equals(agent.get("Attached")) ? ", attached " : ", started ")
                    .append(Instant.ofEpochMilli((Long) agent.get("StartTime")).truncatedTo(ChronoUnit.SECONDS))
                    .append("; ").append(agent.get("Settings"));
            if (Boolean.TRUE.equals(agent.get("Paused"))) b.append("; PAUSED (resume PID to flush again)");
            long dropped = (Long) agent.get("EventsDropped");
            if (dropped > 0) b.append("; ").append(dropped).append(" events dropped");
            return b.toString();
        }

        static String table(List<Map<String, Object>> servers, long nowMillis) {
            if (servers.isEmpty()) {
                return "no server yet: the application has not written to Redis since the agent started"
                        + System.lineSeparator();
            }
            String[] headings = {"SERVER", "STATE", "USED_MEMORY", "THRESHOLD", "USED", "KEYS_TRACKED", "IN_ORDER",
                "FLUSHES", "REMOVED", "LAST_FLUSH"};
            List<String[]> rows = new ArrayList<>();
            rows.add(headings);
            for (Map<String, Object> s : servers) {
                long used = (Long) s.get("UsedMemory");
                long threshold = (Long) s.get("Threshold");
                String state = (String) s.get("State");
                String problem = (String) s.get("Problem");
                rows.add(new String[] {
                    (String) s.get("Address"),
                    problem == null || problem.isEmpty() ? state : state + " (" + problem + ")",
                    used < 0 ? "-" : Sizes.format(used),
                    Sizes.format(threshold),
                    used < 0 ? "-" : Math.round(100.0 * used / threshold) + "%",
                    String.valueOf(s.get("KeysTracked")),
                    String.valueOf(s.get("KeysInOrder")),
                    String.valueOf(s.get("Flushes")),
                    String.valueOf(s.get("KeysRemoved")),
                    lastFlush((Long) s.get("LastFlushTime"), (Long) s.get("LastFlushKeysRemoved"),
                            (Long) s.get("LastFlushDurationMillis"), nowMillis)});
            }
            int[] widths = new int[headings.length];
            for (String[] row : rows) for (int i = 0; i < row.length; i++) widths[i] = Math.max(widths[i], row[i].length());
            StringBuilder b = new StringBuilder();
            for (String[] row : rows) {
                for (int i = 0; i < row.length; i++) {
                    b.append(row[i]);
                    if (i < row.length - 1) b.append(" ".repeat(widths[i] - row[i].length() + 2));
                }
                b.append(System.lineSeparator());
            }
            return b.toString();
        }

        static String lastFlush(long at, long removed, long millis, long nowMillis) {
            if (at <= 0) return "never";
            long ago = Math.max(0, nowMillis - at) / 1000;
            String when = ago < 120 ? ago + " s ago" : ago < 7200 ? ago / 60 + " min ago" : ago / 3600 + " h ago";
            return when + " (" + removed + " keys, " + millis + " ms)";
        }
    }
}
