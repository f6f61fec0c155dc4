package io.gcsflush.instrument.redisson;

import io.gcsflush.bootstrap.Bridge;
import io.gcsflush.command.CommandSpec;
import io.gcsflush.command.Outcome;
import io.gcsflush.instrument.LossFilters;
import io.gcsflush.instrument.NettyChannels;
import io.gcsflush.track.ArgsView;
import io.gcsflush.track.ClientEvents;
import io.gcsflush.track.EventBuffer;
import io.gcsflush.track.Recorder;
import io.gcsflush.track.Session;
import io.gcsflush.track.Sessions;
import java.util.List;

/**
 * Follows Redisson connections. Each event ({@link Bridge#COMPLETED}) is a netty channel and what its decoder just
 * finished: one command ({@code CommandData}) or a batch ({@code CommandsData}), whose promises now hold the server's
 * replies. Events come in the order the server answered, and a batch's commands are in the order they were sent, so
 * the commands are applied as they come, each with its own reply.
 *
 * <p>Transactions: an RBatch in {@code IN_MEMORY_ATOMIC} mode (and an RTransaction's commit) is one batch
 * {@code MULTI, commands..., EXEC}, whose commands Redisson completes with their parts of the EXEC's reply; in the
 * {@code REDIS_*_ATOMIC} modes the MULTI stays open over several sends, whose commands' promises hold {@code QUEUED},
 * and only the EXEC's reply tells what each did. Either way the commands are queued at MULTI and applied at EXEC (see
 * {@link #exec}), and a transaction the server refused or aborted applies nothing.
 */
public final class RedissonEvents implements ClientEvents {
    private final RedissonReader reader = new RedissonReader();
    private final RedissonLateState late = new RedissonLateState();
    private final Sessions sessions;
    private final Recorder recorder;
    private final boolean attachedLate;
    private final ArgsView view = new ArgsView();
    private final Outcome outcome = new Outcome();

    public RedissonEvents(Sessions sessions, Recorder recorder, boolean attachedLate) {
        this.sessions = sessions;
        this.recorder = recorder;
        this.attachedLate = attachedLate;
    }

    @Override
    public void handle(int event, Object channel, Object decoded) {
        // No command: a push message on a connection without one waiting (the decoder reads it all the same).
        if (event != Bridge.COMPLETED || channel == null || decoded == null) return;
        Session s = session(channel);
        if (!reader.isBatch(decoded)) {
            command(s, decoded, null);
            return;
        }
        for (Object command : reader.commands(decoded)) command(s, command, decoded);
    }

    /** One command, alone ({@code batch} null) or in a batch. */
    private void command(Session s, Object command, Object batch) {
        CommandSpec spec = reader.classify(command);
        if (spec == null) return;
        switch (spec.effect()) {
            case EXEC:
                exec(s, command, batch);
                return;
            case UNPAIRED:
                // CLIENT REPLY OFF/ON around a batch whose results are skipped: every command still gets its own
                // promise, so nothing here relies on matching replies.
                return;
            default:
        }
        CommandSpec applied = reader.decode(command, spec, view);
        if (applied != null) recorder.record(s, applied, view, reader.outcome(command, outcome), command);
    }

    /**
     * EXEC: the commands queued since MULTI take effect, each with its own reply. In a batch sent whole, Redisson has
     * completed each command's promise with its part of the EXEC's reply; in a MULTI kept open over several sends,
     * their promises hold QUEUED and their replies are the EXEC's, in order.
     */
    private void exec(Session s, Object exec, Object batch) {
        List<Session.Queued> queued = s.endTransaction();
        if (queued == null) return;
        Outcome execOutcome = reader.outcome(exec, outcome);
        if (execOutcome.isNil()) return; // aborted by WATCH
        if (execOutcome.isError() && reader.execAborted(exec)) return;
        boolean repliesInExec = batch != null && reader.isQueued(batch);
        List<?> replies = repliesInExec ? reader.execResults(exec) : null;
        if (replies != null && replies.size() != queued.size()) replies = null; // cannot tell which is whose
        for (int i = 0; i < queued.size(); i++) {
            Session.Queued q = queued.get(i);
            CommandSpec applied = reader.decode(q.command(), q.spec(), view);
            if (applied == null) continue;
            Outcome out;
            if (!repliesInExec) out = reader.outcome(q.command(), outcome);
            else if (replies != null) out = reader.outcomeOf(replies.get(i), q.command(), outcome);
            else out = outcome.unknown();
            recorder.record(s, applied, view, out, q.command());
        }
    }

    private Session session(Object channel) {
        Session s = sessions.get(channel);
        if (s == null) {
            // A channel starts in database 0, and Redisson selects its configured database with a command of the
            // channel's own, which comes here like any other; only a late start leaves the database in doubt.
            // After a late start, the connection may be older than the agent: its database is the configuration's.
            s = sessions.open(channel, NettyChannels.addressOf(channel),
                    attachedLate ? late.databaseOf(channel) : 0);
        }
        return s;
    }

    /**
     * What losing a Redisson event means, judged on the event loop that lost it: a lost SELECT or RESET leaves the
     * database unknown, a lost MULTI, EXEC or DISCARD the transaction, whether alone or in a batch.
     */
    public static EventBuffer.LossFilter lossFilter() {
        RedissonReader reader = new RedissonReader();
        return new EventBuffer.LossFilter() {
            @Override
            public int consequences(int event, Object decoded) {
                if (decoded == null) return 0;
                if (!reader.isBatch(decoded)) return LossFilters.ofCommand(reader.name(decoded));
                int consequences = 0;
                for (Object command : reader.commands(decoded)) {
                    consequences |= LossFilters.ofCommand(reader.name(command));
                }
                return consequences;
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
