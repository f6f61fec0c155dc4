package io.gcsflush.instrument.jedis;

import io.gcsflush.command.CommandSpec;
import io.gcsflush.command.CommandTable;
import io.gcsflush.command.Outcome;
import io.gcsflush.instrument.Reflect;
import io.gcsflush.redis.ServerAddress;
import io.gcsflush.track.ArgsView;
import io.gcsflush.track.EventBuffer;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodType;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import javax.net.ssl.SSLSocket;

/**
 * Reads Jedis objects on the agent's thread: a command as Jedis 4.x-8.x hands it over (a {@code CommandArguments}:
 * the command and its raw arguments, element 0 being the command itself) or as Jedis 3.x does (an array of the
 * {@code ProtocolCommand} and its {@code byte[][]} arguments), a raw reply from
 * {@code Connection.readProtocolWithCheckingBroken()}, and a connection's socket.
 */
final class JedisReader {
    private static final Object IRRELEVANT = new Object();
    private static final Object BY_SUBCOMMAND = new Object();

    private final ClassValue<Access> access = new ClassValue<Access>() {
        @Override
        protected Access computeValue(Class<?> type) {
            return new Access(type);
        }
    };
    /** For Jedis 3.x's ProtocolCommand, keyed by the command's class. */
    private final ClassValue<Access> protocolCommands = new ClassValue<Access>() {
        @Override
        protected Access computeValue(Class<?> type) {
            return new Access(null, type.getClassLoader(), "redis.clients.jedis.commands.ProtocolCommand");
        }
    };
    private final ClassValue<Boolean> dataErrors = new ClassValue<Boolean>() {
        @Override
        protected Boolean computeValue(Class<?> type) {
            for (Class<?> c = type; c != null; c = c.getSuperclass()) {
                if (c.getName().equals("redis.clients.jedis.exceptions.JedisDataException")) return true;
            }
            return false;
        }
    };
    /** Specs of the built-in commands (enum constants), so that most commands are classified by one lookup. */
    private final Map<Object, Object> specs = new IdentityHashMap<>();

    /** The command's spec, or null if it changes nothing the agent tracks. */
    CommandSpec classify(Object commandArguments) {
        if (commandArguments instanceof Object[]) return classify3((Object[]) commandArguments);
        Access a = access.get(commandArguments.getClass());
        Object command = a.command(commandArguments);
        Object cached = command instanceof Enum ? specs.get(command) : null;
        if (cached == null) {
            String name = new String(a.raw(command), StandardCharsets.US_ASCII);
            cached = CommandTable.hasSubcommands(name) ? BY_SUBCOMMAND : CommandTable.lookup(name, null);
            if (cached == null) cached = IRRELEVANT;
            if (command instanceof Enum) specs.put(command, cached);
        }
        if (cached == IRRELEVANT) return null;
        if (cached == BY_SUBCOMMAND) {
            Iterator<?> it = ((Iterable<?>) commandArguments).iterator();
            it.next();
            if (!it.hasNext()) return null;
            return CommandTable.lookup(new String(a.raw(command), StandardCharsets.US_ASCII), a.raw(it.next()));
        }
        return (CommandSpec) cached;
    }

    /** Jedis 3.x: {@code {ProtocolCommand, byte[][]}}. */
    private CommandSpec classify3(Object[] command) {
        Object cached = command[0] instanceof Enum ? specs.get(command[0]) : null;
        String name = null;
        if (cached == null) {
            name = new String(raw3(command[0]), StandardCharsets.US_ASCII);
            cached = CommandTable.hasSubcommands(name) ? BY_SUBCOMMAND : CommandTable.lookup(name, null);
            if (cached == null) cached = IRRELEVANT;
            if (command[0] instanceof Enum) specs.put(command[0], cached);
        }
        if (cached == IRRELEVANT) return null;
        if (cached == BY_SUBCOMMAND) {
            byte[][] args = (byte[][]) command[1];
            if (args.length == 0) return null;
            if (name == null) name = new String(raw3(command[0]), StandardCharsets.US_ASCII);
            return CommandTable.lookup(name, args[0]);
        }
        return (CommandSpec) cached;
    }

    private byte[] raw3(Object protocolCommand) {
        return protocolCommands.get(protocolCommand.getClass()).raw(protocolCommand);
    }

    /** The command's name; thread-safe (for the loss filter, on application threads). */
    String commandName(Object payload) {
        Object command = payload instanceof Object[] ? ((Object[]) payload)[0] : access.get(payload.getClass()).command(payload);
        byte[] raw = payload instanceof Object[] ? raw3(command) : access.get(payload.getClass()).raw(command);
        return new String(raw, StandardCharsets.US_ASCII);
    }

    /** Fills the view with the command's arguments (after its name). */
    void decode(Object commandArguments, ArgsView view) {
        view.clear();
        if (commandArguments instanceof Object[]) {
            for (byte[] arg : (byte[][]) ((Object[]) commandArguments)[1]) view.add(arg);
            return;
        }
        Access a = access.get(commandArguments.getClass());
        Iterator<?> it = ((Iterable<?>) commandArguments).iterator();
        if (it.hasNext()) it.next(); // the command itself
        while (it.hasNext()) view.add(a.raw(it.next()));
    }

    /** What a raw reply (or the Throwable that reading it raised) says about the command. */
    Outcome outcome(Object reply, Outcome out) {
        if (reply == EventBuffer.PLAIN_REPLY) return out.value(0);
        if (reply == null) return out.nil();
        if (reply instanceof Throwable) return isDataError((Throwable) reply) ? out.error() : out.unknown();
        if (reply instanceof Long) return out.integer((Long) reply);
        if (reply instanceof Boolean) return out.integer((Boolean) reply ? 1 : 0);
        if (reply instanceof byte[]) return out.value(((byte[]) reply).length);
        return out.value(0);
    }

    /** An error reply from the server, as opposed to a broken connection. */
    boolean isDataError(Throwable t) {
        return dataErrors.get(t.getClass());
    }

    /** The elements of an EXEC reply, or null if it is not a list. */
    @SuppressWarnings("unchecked")
    List<Object> elements(Object reply) {
        return reply instanceof List ? (List<Object>) reply : null;
    }

    /** The server a connected socket reaches; null if it is not connected. */
    static ServerAddress addressOf(Socket socket) {
        if (socket == null) return null;
        SocketAddress remote = socket.getRemoteSocketAddress();
        if (!(remote instanceof InetSocketAddress)) return null;
        InetSocketAddress inet = (InetSocketAddress) remote;
        if (inet.getAddress() == null) return null;
        return new ServerAddress(inet.getHostString(), inet.getAddress(), inet.getPort(), socket instanceof SSLSocket);
    }

    /** Method handles for one CommandArguments class and the Rawable interface of its Jedis. */
    private static final class Access {
        private final MethodHandle getCommand;
        private final MethodHandle getRaw;

        Access(Class<?> type) {
            this(Reflect.method(type, "getCommand"), type.getClassLoader(), "redis.clients.jedis.args.Rawable");
        }

        Access(MethodHandle getCommand, ClassLoader loader, String rawInterface) {
            this.getCommand = getCommand;
            Class<?> rawable = Reflect.find(rawInterface, loader);
            if (rawable == null) throw new IllegalStateException("no " + rawInterface + " in " + loader);
            getRaw = Reflect.method(rawable, "getRaw", MethodType.methodType(byte[].class, Object.class));
        }

        Object command(Object commandArguments) {
            try {
                return (Object) getCommand.invokeExact(commandArguments);
            } catch (Throwable t) {
                throw Reflect.rethrow(t);
            }
        }

        byte[] raw(Object rawable) {
            try {
                return (byte[]) getRaw.invokeExact(rawable);
            } catch (Throwable t) {
                throw Reflect.rethrow(t);
            }
        }
    }
}
