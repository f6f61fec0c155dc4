package io.gcsflush.track;

import io.gcsflush.command.Args;
import io.gcsflush.command.CommandInterpreter;
import io.gcsflush.command.CommandSpec;
import io.gcsflush.command.CommandView;
import io.gcsflush.command.Effect;
import io.gcsflush.command.KeyOps;
import io.gcsflush.command.Outcome;
import io.gcsflush.redis.Credentials;

/**
 * Applies each command of a session, with its outcome, in the order the server executed them: the connection-level
 * effects (SELECT, MULTI/EXEC, AUTH) here, the effects on keys through {@link CommandInterpreter}. Event thread only,
 * under the tracker's lock.
 */
public final class Recorder {
    private final SessionOps ops = new SessionOps();
    private final KeyFilter filter;
    private long commandsApplied;

    public Recorder() {
        this(KeyFilter.ALL);
    }

    /** @param filter the keys that may enter the order; others are not tracked at all */
    public Recorder(KeyFilter filter) {
        this.filter = filter;
    }


    /**
     * Records one command that the server executed (or queued, inside MULTI).
     *
     * @param command the client's command object, kept if the command is queued in a transaction
     */
    public void record(Session s, CommandSpec spec, CommandView cmd, Outcome out, Object command) {
        Effect effect = spec.effect();
        if (s.inTransaction() && effect != Effect.EXEC && effect != Effect.DISCARD && effect != Effect.RESET
                && effect != Effect.MULTI) {
            // Queued: it takes effect at EXEC, with the reply EXEC gives it. An error now means it was refused.
            if (!out.isError()) s.transaction.add(new Session.Queued(spec, command));
            return;
        }
        commandsApplied++;
        if (s.server != null && !out.isError() && !out.isUnknown()) s.server.replied(ops.now);
        switch (effect) {
            case MULTI:
                if (!out.isError()) s.beginTransaction();
                return;
            case DISCARD:
            case EXEC: // the client reader applies the queued commands, then ends the transaction here
                s.transaction = null;
                return;
            case RESET:
                if (!out.isError()) {
                    s.db = 0;
                    s.transaction = null;
                }
                return;
            case SELECT: {
                if (out.isError() || cmd.argCount() < 1) return;
                long db = Args.parseLong(cmd.arg(0));
                s.db = db >= 0 && db <= Integer.MAX_VALUE ? (int) db : Session.UNKNOWN_DB;
                return;
            }
            case AUTH:
                if (!out.isError() && !out.isUnknown()) rememberCredentials(s, spec, cmd);
                return;
            case UNPAIRED:
                s.unpair();
                return;
            default:
                if (s.server == null) return;
                ops.bind(s);
                CommandInterpreter.apply(spec, cmd, out, ops);
        }
    }

    /** AUTH [user] password, HELLO protover [AUTH user password]: the agent's own connection will need the same. */
    private void rememberCredentials(Session s, CommandSpec spec, CommandView cmd) {
        if (s.server == null) return;
        Credentials credentials = null;
        if (spec.name().equals("AUTH")) {
            if (cmd.argCount() == 1) credentials = new Credentials(null, cmd.arg(0));
            else if (cmd.argCount() == 2) credentials = new Credentials(cmd.arg(0), cmd.arg(1));
        } else {
            for (int i = 1; i + 2 < cmd.argCount(); i++) {
                if (Args.is(cmd.arg(i), "AUTH")) {
                    credentials = new Credentials(cmd.arg(i + 1), cmd.arg(i + 2));
                    break;
                }
            }
        }
        if (credentials != null && !credentials.equals(s.server.credentials())) s.server.credentials(credentials);
    }

    public long commandsApplied() {
        return commandsApplied;
    }

    void now(long epochMillis) {
        ops.now = epochMillis;
    }

    /** The tracked keys of one session's server and current database, as the interpreter sees them. */
    private final class SessionOps implements KeyOps {
        Session s;
        long now;

        void bind(Session session) {
            this.s = session;
        }

        private KeyLog keys() {
            return s.server.keys();
        }

        @Override
        public void write(byte[] key, long bytes, boolean replace) {
            if (filter.accepts(s.db, key)) keys().write(s.db, key, bytes, replace);
        }

        @Override public boolean isTracked(byte[] key) { return keys().contains(s.db, key); }
        @Override public void delete(byte[] key) { keys().remove(s.db, key); }

        @Override
        public void rename(byte[] from, byte[] to) {
            if (filter.accepts(s.db, to)) keys().rename(s.db, from, to);
            else keys().remove(s.db, from); // its new name is one the order may not hold
        }

        @Override
        public void move(byte[] key, int toDb) {
            if (filter.accepts(toDb, key)) keys().move(s.db, key, toDb);
            else keys().remove(s.db, key);
        }

        @Override
        public void copy(byte[] from, int toDb, byte[] to) {
            if (filter.accepts(toDb, to)) keys().copy(s.db, from, toDb, to);
        }

        @Override
        public void expireAt(byte[] key, long epochMillis) {
            keys().expireAt(s.db, key, (epochMillis + 999) / 1000);
        }

        @Override public void persist(byte[] key) { keys().persist(s.db, key); }
        @Override public void flushDb() { keys().flushDb(s.db); }
        @Override public void flushAll() { keys().clear(); }
        @Override public void swapDb(int a, int b) { keys().swapDb(a, b); }
        @Override public int db() { return s.db; }
        @Override public long now() { return now; }
    }
}
