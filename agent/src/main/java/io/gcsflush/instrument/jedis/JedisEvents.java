package io.gcsflush.instrument.jedis;

import io.gcsflush.bootstrap.Bridge;
import io.gcsflush.command.CommandSpec;
import io.gcsflush.command.Effect;
import io.gcsflush.command.Outcome;
import io.gcsflush.track.ArgsView;
import io.gcsflush.instrument.LossFilters;
import io.gcsflush.track.ClientEvents;
import io.gcsflush.track.EventBuffer;
import io.gcsflush.track.Recorder;
import io.gcsflush.track.Session;
import io.gcsflush.track.Sessions;
import java.net.Socket;
import java.util.List;

/**
 * Follows Jedis connections, one session per socket. Jedis writes a command and later reads its reply on the
 * application thread, so the agent sees two streams per connection, in wire order: commands sent ({@link Bridge#SENT}) and replies read
 * ({@link Bridge#RECEIVED}). Replies are matched to commands first in, first out, which is how Redis answers; MULTI
 * commands are applied at EXEC with the reply EXEC gives each of them.
 *
 * <p>When the matching cannot be trusted (events were dropped, SUBSCRIBE or MONITOR took the connection, a reply came
 * with no command) the session is "unpaired": each command is applied as sent, with an unknown reply, which counts
 * plain writes and never conditional ones.
 */
public final class JedisEvents implements ClientEvents {
    /** The place of a command the agent ignores in a MULTI, so that EXEC's replies match the others. */
    private static final Session.Queued IGNORED = new Session.Queued(null, null);
    private final JedisReader reader = new JedisReader();
    private final JedisLateState late = new JedisLateState();
    private final Sessions sessions;
    private final Recorder recorder;
    private final boolean attachedLate;
    private final ArgsView view = new ArgsView();
    private final Outcome outcome = new Outcome();

    public JedisEvents(Sessions sessions, Recorder recorder, boolean attachedLate) {
        this.sessions = sessions;
        this.recorder = recorder;
        this.attachedLate = attachedLate;
    }

    @Override
    public void handle(int event, Object socket, Object payload) {
        if (event == Bridge.BOUND) {
            bound(socket, payload);
            return;
        }
        if (!(socket instanceof Socket)) return;
        if (event == Bridge.SENT) sent(session((Socket) socket), payload);
        else if (event == Bridge.RECEIVED) received(session((Socket) socket), payload);
    }

    private void sent(Session s, Object args) {
        CommandSpec spec = reader.classify(args);
        if (s.unpaired()) {
            if (spec != null) apply(s, spec, args, outcome.unknown());
            return;
        }
        if (spec == null) {
            s.await(null);
        } else if (spec.effect() == Effect.UNPAIRED) {
            apply(s, spec, args, outcome.unknown()); // replies stop matching commands from here on
        } else {
            s.await(new Session.Queued(spec, args));
        }
    }

    private void received(Session s, Object reply) {
        if (s.unpaired()) return;
        if (reply instanceof Throwable && !reader.isDataError((Throwable) reply)) {
            // The connection broke: whatever is pending may or may not have run.
            for (Session.Queued q; (q = s.nextAwaited()) != null; ) apply(s, q, outcome.unknown());
            s.clearAwaited();
            return;
        }
        if (!s.hasAwaited()) {
            s.unpair(); // a reply no command asked for: a push, or a command the agent did not see
            return;
        }
        Session.Queued q = s.nextAwaited();
        if (q == null) {
            // A command that changes nothing tracked; queued in a MULTI, it still has its place among EXEC's replies.
            if (s.transactionOpen() && !reader.outcome(reply, outcome).isError()) s.queue(IGNORED);
            return;
        }
        apply(s, q, reader.outcome(reply, outcome));
        if (q.spec().effect() == Effect.EXEC) exec(s, reply);
    }

    private void apply(Session s, Session.Queued q, Outcome out) {
        if (q.spec().effect() == Effect.EXEC) {
            // Recorded after the queued commands, by exec(); unknown outcome: apply them as sent.
            if (out.isUnknown()) exec(s, null);
            return;
        }
        apply(s, q.spec(), q.command(), out);
    }

    private void apply(Session s, CommandSpec spec, Object args, Outcome out) {
        if (spec.effect() == Effect.EXEC) {
            exec(s, null);
            return;
        }
        reader.decode(args, view);
        recorder.record(s, spec, view, out, args);
    }

    /** EXEC's reply: null (aborted by WATCH), an error (EXECABORT), or one reply per queued command. */
    private void exec(Session s, Object reply) {
        List<Session.Queued> queued = s.endTransaction();
        if (queued == null) return;
        boolean unknown = reply == null && s.unpaired();
        List<Object> replies = reader.elements(reply);
        if (!unknown && replies == null) return; // aborted, or refused
        for (int i = 0; i < queued.size(); i++) {
            Session.Queued q = queued.get(i);
            if (q == IGNORED) continue;
            Outcome out = unknown || i >= replies.size() ? outcome.unknown() : reader.outcome(replies.get(i), outcome);
            apply(s, q.spec(), q.command(), out);
        }
    }

    /**
     * A command of a {@code Jedis} starts on {@code connection} (woven only after a late start): outside a pipeline or
     * a transaction, so no reply is pending on it. A connection opened before the agent came takes the database the
     * {@code Jedis} says, and its replies are matched to its commands from here on. Once its database is known, the
     * connection's own SELECTs say the rest.
     */
    private void bound(Object connection, Object jedis) {
        Socket socket = connection == null ? null : late.socketOf(connection);
        if (socket == null) return;
        Session s = sessions.get(socket);
        if (s != null && s.db() != Session.UNKNOWN_DB) return;
        int db = late.databaseOf(jedis);
        if (db == Session.UNKNOWN_DB) return;
        if (s == null) s = sessions.open(socket, JedisReader.addressOf(socket), db);
        s.database(db);
        s.pairAgain();
    }

    /**
     * The session of a socket. A socket first seen is a new server-side connection, in database 0 with no reply
     * pending; unless the agent started after the application, when it may be an old one whose state is unknown.
     */
    private Session session(Socket socket) {
        Session s = sessions.get(socket);
        if (s == null) {
            s = sessions.open(socket, JedisReader.addressOf(socket), attachedLate ? Session.UNKNOWN_DB : 0);
            if (attachedLate) s.unpair();
        }
        return s;
    }

    /**
     * What losing a Jedis event means, judged on the application thread that lost it: replies no longer match
     * commands; and a lost SELECT, RESET, MULTI, EXEC or DISCARD leaves the database or the transaction unknown.
     */
    public static EventBuffer.LossFilter lossFilter() {
        JedisReader reader = new JedisReader();
        return new EventBuffer.LossFilter() {
            @Override
            public int consequences(int event, Object payload) {
                if (event == Bridge.BOUND) return 0; // only a hint: the next one gives it again
                return UNPAIR | (event == Bridge.SENT ? LossFilters.ofCommand(reader.commandName(payload)) : 0);
            }
        };
    }

    @Override
    public void lost(Object socket, int consequences) {
        // Even a connection not seen yet: its first events may be the ones lost.
        if (socket instanceof Socket) session((Socket) socket).lost(consequences);
    }

    @Override
    public int sessions() {
        return sessions.size();
    }
}
