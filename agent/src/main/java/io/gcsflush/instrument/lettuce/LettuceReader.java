package io.gcsflush.instrument.lettuce;

import io.gcsflush.command.CommandSpec;
import io.gcsflush.command.CommandTable;
import io.gcsflush.command.Outcome;
import io.gcsflush.instrument.NettyChannels;
import io.gcsflush.instrument.Reflect;
import io.gcsflush.redis.ServerAddress;
import io.gcsflush.track.ArgsView;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodType;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads Lettuce 5.x-7.x objects on the agent's thread: a command (unwrapped from its decorators), its type, its
 * arguments (from {@code CommandArgs.singularArguments}) and its output; and a netty channel's remote address.
 *
 * <p>Keys are encoded with the connection's own codec, as Lettuce itself does more than once per command (for
 * cluster routing and for the wire). Values are not encoded again: their size is taken as sent for {@code byte[]},
 * {@code String} and {@code ByteBuffer} values, and as 0 for values of other types.
 */
final class LettuceReader {
    private static final Object IRRELEVANT = new Object();
    private static final Object BY_SUBCOMMAND = new Object();
    private static final byte[] EMPTY = new byte[0];

    private final ClassValue<Commands> commands = new ClassValue<Commands>() {
        @Override
        protected Commands computeValue(Class<?> type) {
            return new Commands(type.getClassLoader());
        }
    };
    private final ClassValue<ArgumentReader> arguments = new ClassValue<ArgumentReader>() {
        @Override
        protected ArgumentReader computeValue(Class<?> type) {
            return ArgumentReader.of(type);
        }
    };
    private final Map<Object, Object> specs = new IdentityHashMap<>();
    /** The innermost command: the one that holds the type, arguments and output. */
    Object unwrap(Object command) {
        Commands c = commands.get(command.getClass());
        while (c.decorated.isInstance(command)) {
            Object inner = c.call(c.getDelegate, command);
            if (inner == null || inner == command) break;
            command = inner;
        }
        return command;
    }

    /** The name of a command (wrapped or not); thread-safe (for the loss filter, on client threads). */
    String commandName(Object command) {
        Object inner = unwrap(command);
        Commands c = commands.get(inner.getClass());
        Object type = c.call(c.getType, inner);
        return type == null ? "" : new String((byte[]) c.call(c.getBytes, type), StandardCharsets.US_ASCII);
    }

    /** The spec of an (unwrapped) command, or null if it changes nothing the agent tracks. */
    CommandSpec classify(Object command) {
        Commands c = commands.get(command.getClass());
        Object type = c.call(c.getType, command);
        if (type == null) return null;
        Object cached = type instanceof Enum ? specs.get(type) : null;
        if (cached == null) {
            String name = new String((byte[]) c.call(c.getBytes, type), StandardCharsets.US_ASCII);
            cached = CommandTable.hasSubcommands(name) ? BY_SUBCOMMAND : CommandTable.lookup(name, null);
            if (cached == null) cached = IRRELEVANT;
            if (type instanceof Enum) specs.put(type, cached);
        }
        if (cached == IRRELEVANT) return null;
        if (cached == BY_SUBCOMMAND) {
            List<?> args = singularArguments(c, command);
            if (args == null || args.isEmpty()) return null;
            String name = new String((byte[]) c.call(c.getBytes, type), StandardCharsets.US_ASCII);
            return CommandTable.lookup(name, bytes(args.get(0)));
        }
        return (CommandSpec) cached;
    }

    /** Fills the view with the command's arguments. */
    void decode(Object command, ArgsView view) {
        view.clear();
        List<?> args = singularArguments(commands.get(command.getClass()), command);
        if (args == null) return;
        for (Object arg : args) view.add(bytes(arg));
    }

    /** What the command's output says: its error, nil, a number, or some value. */
    Outcome outcome(Object command, Outcome out) {
        Commands c = commands.get(command.getClass());
        Object output = c.call(c.getOutput, command);
        if (output == null) return out.unknown();
        if (c.call(c.getError, output) != null) return out.error();
        Object value = c.call(c.get, output);
        if (value == null) return out.nil();
        if (value instanceof Long || value instanceof Integer) return out.integer(((Number) value).longValue());
        if (value instanceof Boolean) return out.integer((Boolean) value ? 1 : 0);
        if (value instanceof byte[]) return out.value(((byte[]) value).length);
        if (value instanceof String) return out.value(((String) value).length());
        if (value instanceof ByteBuffer) return out.value(((ByteBuffer) value).remaining());
        if (c.transactionResult != null && c.transactionResult.isInstance(value)
                && Boolean.TRUE.equals(c.call(c.wasDiscarded, value))) {
            return out.nil(); // EXEC aborted by WATCH
        }
        return out.value(0);
    }

    /** The server a netty channel is connected to; null for a channel that is not TCP (a Unix socket). */
    ServerAddress addressOf(Object channel) {
        return NettyChannels.addressOf(channel);
    }

    private List<?> singularArguments(Commands c, Object command) {
        Object args = c.call(c.getArgs, command);
        if (args == null) return null;
        return (List<?>) c.singularArguments(args);
    }

    private byte[] bytes(Object argument) {
        return arguments.get(argument.getClass()).bytes(argument);
    }

    /** Method handles for the command classes of one Lettuce (one class loader). */
    private static final class Commands {
        final Class<?> decorated;
        final MethodHandle getDelegate;
        final MethodHandle getType;
        final MethodHandle getBytes;
        final MethodHandle getArgs;
        final MethodHandle getOutput;
        final MethodHandle getError;
        final MethodHandle get;
        final Class<?> transactionResult;
        final MethodHandle wasDiscarded;
        private final ClassValue<MethodHandle> singularArguments = new ClassValue<MethodHandle>() {
            @Override
            protected MethodHandle computeValue(Class<?> type) {
                return Reflect.field(type, "singularArguments");
            }
        };

        Commands(ClassLoader loader) {
            decorated = require("io.lettuce.core.protocol.DecoratedCommand", loader);
            getDelegate = Reflect.method(decorated, "getDelegate");
            Class<?> redisCommand = require("io.lettuce.core.protocol.RedisCommand", loader);
            getType = Reflect.method(redisCommand, "getType");
            getArgs = Reflect.method(redisCommand, "getArgs");
            getOutput = Reflect.method(redisCommand, "getOutput");
            Class<?> keyword = require("io.lettuce.core.protocol.ProtocolKeyword", loader);
            getBytes = Reflect.method(keyword, "getBytes");
            Class<?> output = require("io.lettuce.core.output.CommandOutput", loader);
            getError = Reflect.method(output, "getError");
            get = Reflect.method(output, "get");
            transactionResult = Reflect.find("io.lettuce.core.TransactionResult", loader);
            wasDiscarded = transactionResult == null ? null : Reflect.method(transactionResult, "wasDiscarded");
        }

        Object call(MethodHandle handle, Object target) {
            try {
                return (Object) handle.invokeExact(target);
            } catch (Throwable t) {
                throw Reflect.rethrow(t);
            }
        }

        Object singularArguments(Object commandArgs) {
            MethodHandle field = singularArguments.get(commandArgs.getClass());
            if (field == null) throw new IllegalStateException("no singularArguments in " + commandArgs.getClass());
            return call(field, commandArgs);
        }

        private static Class<?> require(String name, ClassLoader loader) {
            Class<?> c = Reflect.find(name, loader);
            if (c == null) throw new IllegalStateException(name + " is not visible to " + loader);
            return c;
        }
    }

    /** Turns one kind of {@code CommandArgs$...Argument} into bytes. */
    private abstract static class ArgumentReader {
        abstract byte[] bytes(Object argument);

        static ArgumentReader of(Class<?> type) {
            String name = type.getName();
            String simple = name.substring(name.lastIndexOf('$') + 1);
            switch (simple) {
                case "KeyArgument": return new KeyReader(type);
                case "ValueArgument": return new FieldReader(type, "val");
                case "BytesArgument":
                case "ProtocolKeywordArgument":
                case "StringArgument":
                case "CharArrayArgument":
                case "IntegerArgument":
                case "DoubleArgument":
                    return new FieldReader(type, "val");
                default:
                    return new ArgumentReader() {
                        @Override
                        byte[] bytes(Object argument) {
                            return EMPTY;
                        }
                    };
            }
        }

        static byte[] plain(Object value) {
            if (value == null) return EMPTY;
            if (value instanceof byte[]) return (byte[]) value;
            if (value instanceof String) return ((String) value).getBytes(StandardCharsets.UTF_8);
            if (value instanceof char[]) return new String((char[]) value).getBytes(StandardCharsets.UTF_8);
            if (value instanceof Long || value instanceof Integer) return value.toString().getBytes(StandardCharsets.US_ASCII);
            if (value instanceof Double) return doubleBytes((Double) value);
            if (value instanceof ByteBuffer) {
                ByteBuffer b = ((ByteBuffer) value).duplicate();
                byte[] bytes = new byte[b.remaining()];
                b.get(bytes);
                return bytes;
            }
            return EMPTY;
        }

        private static byte[] doubleBytes(double d) {
            String s = d == Math.rint(d) && Math.abs(d) < 1e15 ? Long.toString((long) d) : Double.toString(d);
            return s.getBytes(StandardCharsets.US_ASCII);
        }
    }

    /** A field that holds the value itself ({@code val}). */
    private static final class FieldReader extends ArgumentReader {
        private final MethodHandle field;

        FieldReader(Class<?> type, String name) {
            field = Reflect.field(type, name);
            if (field == null) throw new IllegalStateException("no field " + name + " in " + type.getName());
        }

        @Override
        byte[] bytes(Object argument) {
            try {
                return plain((Object) field.invokeExact(argument));
            } catch (Throwable t) {
                throw Reflect.rethrow(t);
            }
        }
    }

    /** A key, encoded by the connection's codec unless it is already bytes. */
    private static final class KeyReader extends ArgumentReader {
        private final MethodHandle key;
        private final MethodHandle codec;
        private final MethodHandle encodeKey;

        KeyReader(Class<?> type) {
            key = Reflect.field(type, "key");
            codec = Reflect.field(type, "codec");
            Class<?> codecType = Reflect.find("io.lettuce.core.codec.RedisCodec", type.getClassLoader());
            if (key == null || codec == null || codecType == null) throw new IllegalStateException("unexpected " + type);
            encodeKey = Reflect.method(codecType, "encodeKey",
                    MethodType.methodType(Object.class, Object.class, Object.class), Object.class);
        }

        @Override
        byte[] bytes(Object argument) {
            try {
                Object k = (Object) key.invokeExact(argument);
                if (k instanceof byte[]) return (byte[]) k;
                Object c = (Object) codec.invokeExact(argument);
                return plain((Object) encodeKey.invokeExact(c, k));
            } catch (Throwable t) {
                throw Reflect.rethrow(t);
            }
        }
    }
}
