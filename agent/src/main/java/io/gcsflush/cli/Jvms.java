package io.gcsflush.cli;

import java.util.List;

/** The local JVMs, as the attach mechanism shows them; an interface so that the command line's errors can be tested. */
interface Jvms {
    /** The JVMs of this user that the attach mechanism can reach. */
    List<Jvm> list() throws CliException;

    /** Attaches to a JVM, or says in one line why it cannot. */
    Target attach(long pid) throws CliException;

    /** A local JVM: its process id, what it runs (its main class or jar, and arguments), and the agent's version. */
    final class Jvm {
        /** {@link #agent} when the JVM's performance data could not be read: only attaching tells. */
        static final String UNKNOWN = new String("?");

        final long pid;
        final String name;
        /** The version of the agent it runs, null if none, {@link #UNKNOWN} if not known without attaching. */
        final String agent;

        Jvm(long pid, String name, String agent) {
            this.pid = pid;
            this.name = name;
            this.agent = agent;
        }
    }

    /** A JVM attached to. */
    interface Target extends AutoCloseable {
        long pid();

        /** The agent's version if the JVM runs it, else null. */
        String agentVersion() throws CliException;

        /** The address of the JVM's local JMX connector, which this starts if it is not running. */
        String localConnectorAddress() throws CliException;

        /** Loads the agent jar into the JVM, with its argument. */
        void loadAgent(String jar, String argument) throws CliException;

        @Override
        void close();
    }
}
