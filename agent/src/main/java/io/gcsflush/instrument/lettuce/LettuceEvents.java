package io.gcsflush.instrument.lettuce;

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
import java.util.List;

/**
 * Follows Lettuce connections. A Lettuce command carries its arguments and, once its reply is decoded, its output;
 * the agent sees each command as its reply completes it on the connection's event loop ({@link Bridge#COMPLETED}), in
 * the order the server answered, so no matching is needed. A reply that does not complete the command
 * ({@link Bridge#REPLIED}) is the QUEUED of a MULTI (its real reply comes with EXEC) or a cluster redirect.
 */
public final class LettuceEvents implements ClientEvents {
    private final LettuceReader reader = new LettuceReader();
    private final LettuceLateState late = new LettuceLateState();
    private final Sessions sessions;
    private final Recorder recorder;
    private final boolean attachedLate;
    private final ArgsView view = new ArgsView();
    private final Outcome outcome = new Outcome();

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
            // late start leaves the database in doubt (a lost SELECT is reported through lost()).
            // After a late start, the connection may be older than the agent: its database as Lettuce knows it.
            s = sessions.open(channel, reader.addressOf(channel), attachedLate ? late.databaseOf(channel) : 0);
        }
        return s;
    }

    /**
     * What losing a Lettuce event means, judged on the event loop that lost it: a lost SELECT or RESET leaves the
     * database unknown, a lost MULTI, EXEC or DISCARD the transaction. (Lettuce's replies carry their commands, so no
     * loss makes later replies unmatched.)
     */
    public static EventBuffer.LossFilter lossFilter() {
        LettuceReader reader = new LettuceReader();
        return new EventBuffer.LossFilter() {
            @Override
            public int consequences(int event, Object command) {
                return LossFilters.ofCommand(reader.commandName(command));
            }
        };
    }

    @Override
    public void lost(Object channel, int consequences) {
        // Even a connection not seen yet: its first events may be the ones lost.
        if (channel != null) session(channel).lost(consequences & ~EventBuffer.LossFilter.UNPAIR);
    }

    @Override
    public int sessions() {
        return sessions.size();
    }
}
