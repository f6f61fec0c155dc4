package io.gcsflush.jmx;

import io.gcsflush.Log;
import io.gcsflush.ops.Control;
import io.gcsflush.ops.ServerStats;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import javax.management.MBeanAttributeInfo;
import javax.management.MBeanInfo;
import javax.management.MBeanOperationInfo;
import javax.management.MBeanServer;
import javax.management.MBeanServerFactory;
import javax.management.MalformedObjectNameException;
import javax.management.ObjectName;
import javax.management.StandardMBean;

/**
 * The agent's MBeans under {@code io.gcsflush}: {@code type=Agent}, and {@code type=Server,name=<host>_<port>} for
 * each server the application writes to, as the flusher meets them.
 *
 * <p><b>When.</b> Only once the platform MBean server exists, made by someone else: the application or its framework
 * ({@code ManagementFactory.getPlatformMBeanServer()}), the JVM's own management agent
 * ({@code -Dcom.sun.management.jmxremote...}, {@code jcmd ManagementAgent.start}, an attach's
 * {@code startLocalManagementAgent}), or another agent such as Prometheus's JMX exporter. The agent never makes it:
 * made before the application has set {@code javax.management.builder.initial} (WildFly, WebLogic) or its
 * {@code java.util.logging} manager, it would be the wrong one for good. So a thread of its own, {@code gcs-flush-jmx},
 * looks four times a second whether it exists ({@code MBeanServerFactory.findMBeanServer}, which makes nothing: the
 * platform server is the one holding {@code java.lang:type=Runtime}), registers within a quarter of a second of its
 * making, then sleeps until a new server is to be registered. Nothing reads the MBeans before that server exists.
 *
 * <p>They are unregistered when the JVM exits ({@link #close()}, from the agent's shutdown hook).
 */
public final class Mbeans {
    public static final String DOMAIN = "io.gcsflush";
    public static final String AGENT = DOMAIN + ":type=Agent";
    static final long LOOK_MILLIS = 250;
    private static final ObjectName RUNTIME = name("java.lang:type=Runtime");

    private final Control control;
    private final AgentBean agent;
    private final BlockingQueue<ServerStats> toRegister = new LinkedBlockingQueue<>();
    private final List<ObjectName> registered = new ArrayList<>();
    private volatile boolean closed;
    private MBeanServer server;
    private Thread thread;

    private Mbeans(Control control, String version, boolean attached) {
        this.control = control;
        this.agent = new AgentBean(control, version, attached);
    }

    /** Starts waiting for the platform MBean server, on a daemon thread; returns at once. */
    public static Mbeans start(Control control, String version, boolean attached) {
        Mbeans mbeans = new Mbeans(control, version, attached);
        control.onServer(mbeans.toRegister::add);
        Thread t = new Thread(mbeans::run, "gcs-flush-jmx");
        t.setDaemon(true);
        mbeans.thread = t;
        t.start();
        return mbeans;
    }

    private void run() {
        try {
            MBeanServer platform = awaitPlatformServer();
            if (platform == null) return;
            register(platform);
            while (!closed) registerServer(toRegister.take());
        } catch (InterruptedException e) {
            // closed
        } catch (RuntimeException | LinkageError e) {
            Log.warn("could not publish the agent's MBeans (the agent goes on without them): {}", e.toString());
        }
    }

    /** The platform MBean server once someone else has made it; null if closed first. */
    private MBeanServer awaitPlatformServer() throws InterruptedException {
        while (!closed) {
            for (MBeanServer candidate : MBeanServerFactory.findMBeanServer(null)) {
                // Registered last while it is made: once there, getPlatformMBeanServer() returns it as it is.
                if (candidate.isRegistered(RUNTIME)) return ManagementFactory.getPlatformMBeanServer();
            }
            TimeUnit.MILLISECONDS.sleep(LOOK_MILLIS);
        }
        return null;
    }

    private synchronized void register(MBeanServer platform) {
        if (closed) return;
        server = platform;
        add(new Described(agent, AgentMXBean.class, AGENT_DESCRIPTIONS), name(AGENT));
        for (ServerStats stats : control.servers()) toRegister.add(stats);
        Log.debug("MBeans registered under {}", DOMAIN);
    }

    private synchronized void registerServer(ServerStats stats) {
        if (closed || server == null) return;
        ObjectName name = serverName(stats);
        if (server.isRegistered(name)) return;
        add(new Described(new ServerBean(control, stats), ServerMXBean.class, SERVER_DESCRIPTIONS), name);
    }

    private void add(Object mbean, ObjectName name) {
        try {
            server.registerMBean(mbean, name);
            registered.add(name);
        } catch (Exception e) {
            // An MBean of that name from another copy of the agent (another class loader), or a refusing server.
            Log.warn("could not register the MBean {}: {}", name, e.toString());
        }
    }

    /** Unregisters the MBeans; the JVM is exiting. */
    public synchronized void close() {
        closed = true;
        if (thread != null) thread.interrupt();
        if (server == null) return;
        for (ObjectName name : registered) {
            try {
                server.unregisterMBean(name);
            } catch (Exception e) {
                // Gone already.
            }
        }
        registered.clear();
    }

    /** {@code io.gcsflush:type=Server,name=127.0.0.1_6379}; the name quoted where the host needs it (IPv6). */
    public static ObjectName serverName(ServerStats stats) {
        return name(DOMAIN + ":type=Server,name=" + serverKey(stats.address().host(), stats.address().port()));
    }

    /** The {@code name} key of a server's MBean: {@code host_port}, quoted if the host has characters it may not. */
    static String serverKey(String host, int port) {
        String key = host + "_" + port;
        for (char c : key.toCharArray()) {
            if (c == ':' || c == ',' || c == '=' || c == '"' || c == '*' || c == '?' || c == '\n') {
                return ObjectName.quote(key);
            }
        }
        return key;
    }

    private static ObjectName name(String text) {
        try {
            return new ObjectName(text);
        } catch (MalformedObjectNameException e) {
            throw new IllegalArgumentException(e);
        }
    }

    /** An MXBean with descriptions, for consoles such as JConsole and VisualVM. */
    private static final class Described extends StandardMBean {
        private final Map<String, String> descriptions;

        <T> Described(T implementation, Class<T> type, Map<String, String> descriptions) {
            super(implementation, type, true);
            this.descriptions = descriptions;
        }

        @Override
        protected String getDescription(MBeanInfo info) {
            return descriptions.getOrDefault("", info.getDescription());
        }

        @Override
        protected String getDescription(MBeanAttributeInfo info) {
            return descriptions.getOrDefault(info.getName(), info.getDescription());
        }

        @Override
        protected String getDescription(MBeanOperationInfo info) {
            return descriptions.getOrDefault(info.getName(), info.getDescription());
        }
    }

    private static final Map<String, String> AGENT_DESCRIPTIONS = Map.ofEntries(
            Map.entry("", "gcs-flush: keeps each Redis server's used_memory under the threshold by removing the "
                    + "application's oldest keys"),
            Map.entry("Version", "The agent's version"),
            Map.entry("Attached", "Whether the agent was attached to the running JVM rather than started with it"),
            Map.entry("StartTime", "When the agent started (epoch ms)"),
            Map.entry("Threshold", "Flush a server once its used_memory is at least this (bytes); writable"),
            Map.entry("PeriodMillis", "The least time between two flushes of a server (ms); writable"),
            Map.entry("Batch", "Keys one flush removes, policy=ray; writable"),
            Map.entry("Policy", "ray or adaptive; writable"),
            Map.entry("LowWaterPercent", "policy=adaptive: a flush brings the server under this share of the "
                    + "threshold (%); writable"),
            Map.entry("MaxBatch", "policy=adaptive: the most keys one flush removes; writable"),
            Map.entry("DryRun", "Whether flushes only say what they would remove (set at start)"),
            Map.entry("Order", "journal (in Redis, shared by every instance) or local (this JVM's); set at start"),
            Map.entry("Settings", "The settings flushing goes by"),
            Map.entry("Paused", "Whether flushing is paused (the order is kept, nothing removed)"),
            Map.entry("Servers", "The Redis servers the application writes to"),
            Map.entry("KeysTracked", "Keys of the application's the agent tracks, on all servers"),
            Map.entry("KeysInOrder", "Keys in the order of writes (the journals), on all servers"),
            Map.entry("BytesTracked", "Bytes the tracked keys were written with, on all servers"),
            Map.entry("Flushes", "Flushes so far, all servers"),
            Map.entry("KeysRemoved", "Keys removed so far, all servers"),
            Map.entry("LastFlushTime", "When the last flush ended (epoch ms; 0: none yet)"),
            Map.entry("EventsDropped", "Commands of the application the agent skipped (its buffer was full)"),
            Map.entry("flushNow", "Flush every server now, whatever its memory, the period or a pause"),
            Map.entry("pause", "Remove nothing until resume (the order of writes is still kept)"),
            Map.entry("resume", "Flush as the settings say again"),
            Map.entry("set", "Change a setting, its value as in the agent argument: set(threshold, 1g)"));

    private static final Map<String, String> SERVER_DESCRIPTIONS = Map.ofEntries(
            Map.entry("", "A Redis server the application writes to"),
            Map.entry("Address", "host:port, as the application named it"),
            Map.entry("State", "ok, unreachable, refused, paused, replica, sentinel or uncovered"),
            Map.entry("Problem", "Why it is unreachable, as last seen"),
            Map.entry("UsedMemory", "used_memory as last read (bytes; -1 before the first read)"),
            Map.entry("UsedMemoryTime", "When UsedMemory was read (epoch ms)"),
            Map.entry("Threshold", "The threshold in force (bytes)"),
            Map.entry("KeysTracked", "Keys of the application's the agent tracks there"),
            Map.entry("KeysInOrder", "Keys in the order of writes there (the journal, shared by every instance)"),
            Map.entry("BytesTracked", "Bytes the tracked keys were written with"),
            Map.entry("Flushes", "Flushes of this server so far"),
            Map.entry("KeysRemoved", "Keys removed from this server so far"),
            Map.entry("LastFlushTime", "When the last flush ended (epoch ms; 0: none yet)"),
            Map.entry("LastFlushDurationMillis", "How long the last flush took (ms)"),
            Map.entry("LastFlushKeysRemoved", "Keys the last flush removed"),
            Map.entry("flushNow", "Flush this server now, whatever its memory, the period or a pause"));
}
