package io.gcsflush.it.apps;

import io.gcsflush.it.apps.FuzzCommand.Err;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Pipeline;
import redis.clients.jedis.Protocol;
import redis.clients.jedis.Response;
import redis.clients.jedis.Transaction;
import redis.clients.jedis.commands.ProtocolCommand;
import redis.clients.jedis.exceptions.JedisDataException;

/** The fuzz application's connections through Jedis: {@code sendCommand} on Jedis, Pipeline and Transaction. */
final class FuzzJedis implements FuzzClient {
    private final Jedis[] connections = new Jedis[CONNECTIONS + 1];

    FuzzJedis(String host, int port) {
        for (int i = 0; i < connections.length; i++) connections[i] = new Jedis(host, port, 30_000);
    }

    @Override
    public Object call(int connection, FuzzCommand c) {
        try {
            return FuzzClient.normalize(connections[connection].sendCommand(command(c), c.args));
        } catch (JedisDataException e) {
            return new Err(e.getMessage());
        }
    }

    @Override
    public List<Object> pipeline(int connection, List<FuzzCommand> commands) {
        Pipeline p = connections[connection].pipelined();
        List<Response<Object>> responses = new ArrayList<>();
        for (FuzzCommand c : commands) responses.add(p.sendCommand(command(c), c.args));
        p.sync();
        List<Object> replies = new ArrayList<>();
        for (Response<Object> r : responses) replies.add(get(r));
        return replies;
    }

    @Override
    public Object transaction(int connection, byte[] watch, List<FuzzCommand> commands, Runnable beforeExec,
                              boolean discard) {
        Jedis jedis = connections[connection];
        if (watch != null) jedis.watch(watch);
        Transaction t = jedis.multi();
        List<Response<Object>> responses = new ArrayList<>();
        for (FuzzCommand c : commands) responses.add(t.sendCommand(command(c), c.args));
        beforeExec.run();
        if (discard) {
            t.discard();
            return null;
        }
        List<Object> results;
        try {
            results = t.exec();
        } catch (JedisDataException e) {
            return new Err(e.getMessage());
        }
        if (results == null) return null;
        List<Object> replies = new ArrayList<>();
        for (Object r : results) replies.add(FuzzClient.normalize(r));
        return replies;
    }

    private static Object get(Response<Object> r) {
        try {
            return FuzzClient.normalize(r.get());
        } catch (JedisDataException e) {
            return new Err(e.getMessage());
        }
    }

    private static ProtocolCommand command(FuzzCommand c) {
        try {
            return Protocol.Command.valueOf(c.name);
        } catch (IllegalArgumentException e) {
            byte[] raw = c.name.getBytes(StandardCharsets.US_ASCII);
            return () -> raw;
        }
    }

    @Override
    public void close() {
        for (Jedis j : connections) j.close();
    }
}
