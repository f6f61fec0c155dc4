package io.gcsflush.track;

import io.gcsflush.command.CommandSpec;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * One application connection as the agent follows it: the server it talks to, its current database, the commands
 * whose replies are still to come, and the commands queued in a MULTI. Used by the event thread only.
 */
public final class Session {
    /** The database is not known: the agent lost events of this connection, or joined it late. */
    public static final int UNKNOWN_DB = -1;
    /** An awaited reply that changes nothing the agent tracks. */
    private static final Object SKIP = new Object();

    ServerEntry server;
    int db;
    private boolean unpaired;
    private final ArrayDeque<Object> awaited = new ArrayDeque<>();
    /** Commands queued since MULTI, or null outside a transaction. */
    List<Queued> transaction;

    Session(ServerEntry server, int db) {
        this.server = server;
        this.db = db;
    }

    public ServerEntry server() {
        return server;
    }

    public int db() {
        return db;
    }

    /** Whether replies are no longer matched to commands: every command then counts with an unknown reply. */
    public boolean unpaired() {
        return unpaired;
    }

    /** Stops matching replies to commands, for good. */
    public void unpair() {
        unpaired = true;
        awaited.clear();
    }

    /** Events of this connection were lost; {@code consequences} are {@link EventBuffer.LossFilter} flags. */
    public void lost(int consequences) {
        if ((consequences & EventBuffer.LossFilter.UNPAIR) != 0) unpair();
        if ((consequences & EventBuffer.LossFilter.FORGET_DATABASE) != 0) forgetDatabase();
        if ((consequences & EventBuffer.LossFilter.END_TRANSACTION) != 0) transaction = null;
    }

    /** The connection's database, as the client itself knows it (a connection the agent met after a late start). */
    public void database(int value) {
        db = value;
    }

    /**
     * No reply is pending on the connection (the client is about to send a command, outside a pipeline or a
     * transaction): replies match commands again from here on.
     */
    public void pairAgain() {
        unpaired = false;
        awaited.clear();
    }

    /** The connection's database can no longer be known: nothing more is tracked on it. */
    public void forgetDatabase() {
        db = UNKNOWN_DB;
    }

    /** A command was sent whose reply is awaited; null for one that changes nothing tracked. */
    public void await(Queued command) {
        awaited.add(command == null ? SKIP : command);
    }

    public boolean hasAwaited() {
        return !awaited.isEmpty();
    }

    /** Takes the oldest awaited command; null if it was one that changes nothing tracked (or none is awaited). */
    public Queued nextAwaited() {
        Object next = awaited.poll();
        return next == SKIP ? null : (Queued) next;
    }

    public void clearAwaited() {
        awaited.clear();
    }

    /** Whether a MULTI is open on this connection. */
    public boolean transactionOpen() {
        return transaction != null;
    }

    /** Queues a command in the open transaction. */
    public void queue(Queued command) {
        transaction.add(command);
    }

    boolean inTransaction() {
        return transaction != null;
    }

    void beginTransaction() {
        transaction = new ArrayList<>();
    }

    /** Ends the transaction and returns its queued commands, or null if none was open. */
    public List<Queued> endTransaction() {
        List<Queued> queued = transaction;
        transaction = null;
        return queued;
    }

    /** A command with its spec and the client's command object. */
    public static final class Queued {
        private final CommandSpec spec;
        private final Object command;

        public Queued(CommandSpec spec, Object command) {
            this.spec = spec;
            this.command = command;
        }

        public CommandSpec spec() {
            return spec;
        }

        public Object command() {
            return command;
        }
    }
}
