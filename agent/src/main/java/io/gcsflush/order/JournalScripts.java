package io.gcsflush.order;

import io.gcsflush.redis.RespConnection;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;

/**
 * The journal's Lua scripts ({@code io/gcsflush/order/*.lua}: {@code journal.lua}, the common part, then each
 * operation's), run with EVALSHA and loaded into a server's script cache the first time it does not know one.
 */
final class JournalScripts {
    static final Script APPEND = new Script("append");
    static final Script PREPEND = new Script("prepend");
    static final Script FLUSH = new Script("flush");
    static final Script HEAD = new Script("head");
    static final Script REMOVE = new Script("remove");
    static final Script ADOPT = new Script("adopt");

    private JournalScripts() {}

    /** One script: its source and SHA-1, as Redis names it. */
    static final class Script {
        private final String name;
        private final byte[] source;
        private final byte[] sha;

        private Script(String name) {
            this.name = name;
            this.source = (read("journal") + "\n" + read(name)).getBytes(StandardCharsets.UTF_8);
            this.sha = hex(sha1(source));
        }

        /**
         * Runs the script on the connection's current database with two keys (the journal, its state) and the
         * arguments; a script the server does not know is loaded, and run again.
         *
         * @return the reply: a List, or a {@link RespConnection.RedisError}
         */
        Object run(RespConnection connection, byte[] journal, byte[] state, List<byte[]> args) throws IOException {
            Object reply = call(connection, journal, state, args);
            if (reply instanceof RespConnection.RedisError
                    && ((RespConnection.RedisError) reply).message().startsWith("NOSCRIPT")) {
                Object loaded = connection.call(bytes("SCRIPT"), bytes("LOAD"), source);
                if (loaded instanceof RespConnection.RedisError) return loaded;
                reply = call(connection, journal, state, args);
            }
            return reply;
        }

        private Object call(RespConnection connection, byte[] journal, byte[] state, List<byte[]> args)
                throws IOException {
            List<byte[]> command = new ArrayList<>(args.size() + 3);
            command.add(sha);
            command.add(bytes("2"));
            command.add(journal);
            command.add(state);
            command.addAll(args);
            connection.write(bytes("EVALSHA"), command, 0, command.size());
            connection.flush();
            return connection.read();
        }

        @Override
        public String toString() {
            return name + ".lua";
        }
    }

    private static String read(String name) {
        String path = "io/gcsflush/order/" + name + ".lua";
        try (InputStream in = JournalScripts.class.getClassLoader().getResourceAsStream(path)) {
            if (in == null) throw new IllegalStateException(path + " is missing from the agent");
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static byte[] sha1(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-1").digest(data);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e); // every JDK has SHA-1
        }
    }

    private static byte[] hex(byte[] digest) {
        byte[] out = new byte[digest.length * 2];
        for (int i = 0; i < digest.length; i++) {
            out[2 * i] = (byte) Character.forDigit((digest[i] >> 4) & 15, 16);
            out[2 * i + 1] = (byte) Character.forDigit(digest[i] & 15, 16);
        }
        return out;
    }

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
