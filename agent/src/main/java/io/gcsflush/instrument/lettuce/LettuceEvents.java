package io.gcsflush.instrument.lettuce;

import io.gcsflush.bootstrap.Bridge;
import io.gcsflush.command.CommandSpec;
import io.gcsflush.command.Effect;
import io.gcsflush.command.Outcome;
import io.gcsflush.track.ArgsView;
import io.gcsflush.track.ClientEvents;
import io.gcsflush.track.Recorder;
import io.gcsflush.track.Session;
import io.gcsflush.track.Sessions;
import java.util.List;

/**
 * Follows Lettuce connections. A Lettuce command carries its arguments and, once its reply is decoded, its output;
 * the agent sees each command as its reply completes it on the connection's event loop ({@link Bridge#COMPLETED}), in
 * the order the server answered, so no matching is needed. A reply that does not complete the command
 * ({@link Bridge#REPLIED}) is the QUEUED of a MULTI (its real reply comes with EXEC) or a cluster redirect.
 */
public final class LettuceEvents implements ClientEvents {
    private final LettuceReader reader = new LettuceReader();
    private final Sessions sessions;
    private final Recorder recorder;
    private final boolean attachedLate;
    private final ArgsView view = new ArgsView();
    private final Outcome outcome = new Outcome();
    private boolean anyLoss;

    public LettuceEvents(Sessions sessions, Recorder recorder, boolean attachedLate) {
        this.sessions = sessions;
        this.recorder = recorder;
        this.attachedLate = attachedLate;
    }

    @Override
    public void handle(int event, Object channel, Object command) {
        if (channel == null) return;
        Session s = session(channel);
        Object inner = reader.unwrap(command);
        CommandSpec spec = reader.classify(inner);
        if (spec == null) return;
        if (event == Bridge.REPLIED) {
            // Only a command queued in a MULTI matters; EXEC will complete it with its real reply.
            if (s.transactionOpen() && !reader.outcome(inner, outcome).isError()) s.queue(new Session.Queued(spec, inner));
            return;
        }
        if (spec.effect() == Effect.EXEC) {
            exec(s, inner);
            return;
        }
        reader.decode(inner, view);
        recorder.record(s, spec, view, reader.outcome(inner, outcome), inner);
    }

    /** EXEC completed: each queued command's output now holds its own reply, unless the transaction was aborted. */
    private void exec(Session s, Object execCommand) {
        List<Session.Queued> queued = s.endTransaction();
        if (queued == null) return;
        Outcome execOutcome = reader.outcome(execCommand, outcome);
        if (execOutcome.isError() || execOutcome.isNil()) return;
        for (Session.Queued q : queued) {
            reader.decode(q.command(), view);
            recorder.record(s, q.spec(), view, reader.outcome(q.command(), outcome), q.command());
        }
    }

    private Session session(Object channel) {
        Session s = sessions.get(channel);
        if (s == null) {
            // Every channel starts in database 0, and Lettuce's own SELECT completes here like any command; only a
            // late start or a lost event leaves the database in doubt.
            s = sessions.open(channel, reader.addressOf(channel), attachedLate || anyLoss ? Session.UNKNOWN_DB : 0);
        }
        return s;
    }

    @Override
    public void lost(int event, Object channel, Object command) {
        anyLoss = true;
        Session s = channel == null ? null : sessions.get(channel);
        if (s == null) return;
        CommandSpec spec = reader.classify(reader.unwrap(command));
        Effect effect = spec == null ? null : spec.effect();
        if (effect == Effect.SELECT || effect == Effect.RESET || effect == Effect.EXEC || effect == Effect.MULTI
                || effect == Effect.DISCARD) {
            s.forgetDatabase();
            s.endTransaction();
        }
    }

    @Override
    public void lostAll() {
        anyLoss = true;
        for (Session s : sessions.all()) s.forgetDatabase();
    }

    @Override
    public int sessions() {
        return sessions.size();
    }
}
