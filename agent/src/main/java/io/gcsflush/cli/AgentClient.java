package io.gcsflush.cli;

import io.gcsflush.jmx.Mbeans;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import javax.management.Attribute;
import javax.management.AttributeList;
import javax.management.JMException;
import javax.management.MBeanException;
import javax.management.MBeanServerConnection;
import javax.management.ObjectName;
import javax.management.RuntimeMBeanException;
import javax.management.RuntimeOperationsException;

/** The agent's MBeans in one JVM, over a JMX connection: what the commands read and invoke. */
final class AgentClient {
    static final String[] AGENT_ATTRIBUTES = {"Version", "Attached", "StartTime", "Settings", "Paused",
        "EventsDropped", "Threshold"};
    static final String[] SERVER_ATTRIBUTES = {"Address", "State", "Problem", "UsedMemory", "Threshold",
        "KeysTracked", "KeysInOrder", "BytesTracked", "Flushes", "KeysRemoved", "LastFlushTime",
        "LastFlushDurationMillis", "LastFlushKeysRemoved"};

    private final MBeanServerConnection connection;
    private final long pid;
    private final ObjectName agent;

    AgentClient(MBeanServerConnection connection, long pid) {
        this.connection = connection;
        this.pid = pid;
        this.agent = name(Mbeans.AGENT);
    }

    /** Waits (a few seconds at most) for the agent's MBean: a connector just started made the MBean server too. */
    void awaitAgent(long timeoutMillis) throws CliException, IOException {
        long deadline = System.nanoTime() + timeoutMillis * 1_000_000;
        while (!connection.isRegistered(agent)) {
            if (System.nanoTime() - deadline > 0) throw new CliException(Errors.noMbeans(pid));
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new CliException("interrupted");
            }
        }
    }

    Map<String, Object> agent() throws CliException {
        return attributes(agent, AGENT_ATTRIBUTES);
    }

    /** Each server's attributes, in the order of their names. */
    List<Map<String, Object>> servers() throws CliException {
        List<Map<String, Object>> servers = new ArrayList<>();
        for (ObjectName name : serverNames()) servers.add(attributes(name, SERVER_ATTRIBUTES));
        return servers;
    }

    /** The MBean of the server {@code host:port} names (as the application named it). */
    ObjectName server(String address) throws CliException {
        for (ObjectName name : serverNames()) {
            if (address.equals(attributes(name, new String[] {"Address"}).get("Address"))) return name;
        }
        throw new CliException("JVM " + pid + " follows no server " + Command.shown(address) + " (status lists those "
                + "it follows)");
    }

    Object invoke(ObjectName name, String operation, Object... arguments) throws CliException {
        String[] signature = new String[arguments.length];
        for (int i = 0; i < arguments.length; i++) signature[i] = arguments[i].getClass().getName();
        try {
            return connection.invoke(name, operation, arguments, signature);
        } catch (JMException | IOException | RuntimeException e) {
            throw failed(operation, e);
        }
    }

    void setAttribute(ObjectName name, String attribute, Object value) throws CliException {
        try {
            connection.setAttribute(name, new Attribute(attribute, value));
        } catch (JMException | IOException | RuntimeException e) {
            throw failed(attribute, e);
        }
    }

    ObjectName agentName() {
        return agent;
    }

    private Set<ObjectName> serverNames() throws CliException {
        try {
            return new TreeSet<>(connection.queryNames(name(Mbeans.DOMAIN + ":type=Server,*"), null));
        } catch (IOException e) {
            throw new CliException("lost the JMX connection to JVM " + pid + ": " + e.getMessage());
        }
    }

    private Map<String, Object> attributes(ObjectName name, String[] attributes) throws CliException {
        try {
            Map<String, Object> values = new HashMap<>();
            AttributeList list = connection.getAttributes(name, attributes);
            for (Attribute a : list.asList()) values.put(a.getName(), a.getValue());
            return values;
        } catch (JMException | IOException | RuntimeException e) {
            throw failed("reading " + name, e);
        }
    }

    /** The agent's own refusal (a bad setting) as it said it; anything else as what went wrong. */
    private CliException failed(String what, Exception e) {
        Throwable cause = e;
        while ((cause instanceof MBeanException || cause instanceof RuntimeMBeanException
                || cause instanceof RuntimeOperationsException) && cause.getCause() != null) {
            cause = cause.getCause();
        }
        if (cause instanceof IllegalArgumentException) return new CliException("refused: " + cause.getMessage());
        if (cause instanceof IOException) {
            return new CliException("lost the JMX connection to JVM " + pid + ": " + cause.getMessage());
        }
        return new CliException(what + " failed in JVM " + pid + ": " + cause);
    }

    private static ObjectName name(String text) {
        try {
            return new ObjectName(text);
        } catch (JMException e) {
            throw new IllegalArgumentException(e);
        }
    }
}
