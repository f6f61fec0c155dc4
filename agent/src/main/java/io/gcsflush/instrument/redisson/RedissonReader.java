package io.gcsflush.instrument.redisson;

import io.gcsflush.command.CommandSpec;
import io.gcsflush.command.CommandTable;
import io.gcsflush.command.KeySpec;
import io.gcsflush.command.Outcome;
import io.gcsflush.instrument.Reflect;
import io.gcsflush.track.ArgsView;
import java.lang.invoke.MethodHandle;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * Reads Redisson 3.17-4.x objects on the agent's thread: a {@code CommandData} (its {@code RedisCommand}'s name and
 * subcommand, its parameters, and the promise its reply completed), a {@code CommandsData} (a batch's commands).
 *
 * <p><b>Arguments.</b> Redisson passes key names as {@code String}s (or {@code byte[]}), numbers and options as boxed
 * values or strings, and values encoded by the object's codec as netty {@code ByteBuf}s, which Redisson releases as
 * soon as the reply has completed the command: before the agent reads them, their memory may hold another command's
 * bytes. A {@code ByteBuf} argument is therefore never read: it stands as {@link #OPAQUE}, counts as 0 bytes, and a
 * command whose key is one is not applied at all.
 *
 * <p><b>Replies.</b> The promise holds the reply as Redisson's {@code Convertor} for that command turned it into a
 * Java value: {@code null} for a nil reply, except that {@code VoidReplayConvertor} turns every reply into
 * {@code null}; a {@code Boolean} whose meaning depends on the convertor (nil or not, 1 or 0). {@link #outcome} turns
 * it back into what the server answered, or into "unknown" where the convertor lost that.
 */
final class RedissonReader {
    /** An argument the agent may not read: a {@code ByteBuf}, released by Redisson once the command completed. */
    static final byte[] OPAQUE = new byte[0];
    private static final Object IRRELEVANT = new Object();
    private static final Object BY_SUBCOMMAND = new Object();

    private final ClassValue<Classes> classes = new ClassValue<Classes>() {
        @Override
        protected Classes computeValue(Class<?> type) {
            return new Classes(type.getClassLoader());
        }
    };
    /** Specs by command name (Redisson makes a new {@code RedisCommand} for each EVALSHA, so not by identity). */
    private final Map<String, Object> specs = new HashMap<>();
    private final Scripts scripts = new Scripts();

    /** Whether a decoded {@code QueueCommand} is a batch ({@code CommandsData}) rather than one command. */
    boolean isBatch(Object queueCommand) {
        return classes.get(queueCommand.getClass()).commandsData.isInstance(queueCommand);
    }

    /** The commands of a batch, in the order they were sent. */
    List<?> commands(Object batch) {
        Classes c = classes.get(batch.getClass());
        return (List<?>) c.call(c.getCommands, batch);
    }

    /**
     * Whether a batch is one of the separate sends of a MULTI that Redisson keeps open over several of them
     * ({@code ExecutionMode.REDIS_READ_ATOMIC}, {@code REDIS_WRITE_ATOMIC}): its commands' promises then hold
     * {@code QUEUED}, and their real replies come only in the EXEC's.
     */
    boolean isQueued(Object batch) {
        Classes c = classes.get(batch.getClass());
        return (Boolean) c.call(c.isQueued, batch);
    }

    /** The command's name, as sent: thread-safe (for the loss filter, on the event loop). */
    String name(Object command) {
        Classes c = classes.get(command.getClass());
        Object type = c.call(c.getCommand, command);
        return type == null ? "" : (String) c.call(c.getName, type);
    }

    /** The spec of a command, or null if it changes nothing the agent tracks. */
    CommandSpec classify(Object command) {
        Classes c = classes.get(command.getClass());
        Object type = c.call(c.getCommand, command);
        if (type == null) return null;
        String name = (String) c.call(c.getName, type);
        Object cached = specs.get(name);
        if (cached == null) {
            cached = CommandTable.hasSubcommands(name) ? BY_SUBCOMMAND : CommandTable.lookup(name, null);
            if (cached == null) cached = IRRELEVANT;
            specs.put(name, cached);
        }
        if (cached == IRRELEVANT) return null;
        if (cached == BY_SUBCOMMAND) {
            String sub = (String) c.call(c.getSubName, type);
            if (sub != null) return CommandTable.lookup(name, sub.getBytes(StandardCharsets.UTF_8));
            Object[] params = (Object[]) c.call(c.getParams, command);
            if (params == null || params.length == 0) return null;
            byte[] first = bytes(c, params[0]);
            return first == OPAQUE ? null : CommandTable.lookup(name, first);
        }
        return (CommandSpec) cached;
    }

    /**
     * Fills the view with the command's arguments as the encoder writes them: the subcommand, if any, then each
     * parameter. Returns the spec to apply them with: {@code spec}, or EVAL's for an EVALSHA whose script Redisson
     * knows (the view then starts with the script's text, as an EVAL's would); null if a key of the command is
     * {@link #OPAQUE}, and the command must not be applied.
     */
    CommandSpec decode(Object command, CommandSpec spec, ArgsView view) {
        view.clear();
        Classes c = classes.get(command.getClass());
        Object type = c.call(c.getCommand, command);
        String sub = (String) c.call(c.getSubName, type);
        if (sub != null) view.add(sub.getBytes(StandardCharsets.UTF_8));
        Object[] params = (Object[]) c.call(c.getParams, command);
        byte[] script = null;
        if (spec.name().equals("EVALSHA") && params != null && params.length > 0 && params[0] instanceof String) {
            script = scripts.text(c, (String) params[0]);
            if (script != null) spec = CommandTable.lookup("EVAL", null);
        }
        if (params != null) {
            for (int i = 0; i < params.length; i++) view.add(i == 0 && script != null ? script : bytes(c, params[i]));
        }
        KeySpec keys = spec.keys();
        for (int i = 0, n = keys.count(view); i < n; i++) {
            int k = keys.keyIndex(view, i);
            if (k < view.argCount() && view.arg(k) == OPAQUE) return null;
        }
        return spec;
    }

    /** What the server answered, as far as the command's promise still tells it. */
    Outcome outcome(Object command, Outcome out) {
        Classes c = classes.get(command.getClass());
        CompletableFuture<?> promise = (CompletableFuture<?>) c.call(c.getPromise, command);
        if (promise == null || !promise.isDone()) return out.unknown();
        Object value;
        try {
            value = promise.getNow(null);
        } catch (CancellationException e) {
            return out.unknown(); // given up by the application: the server may still have run it
        } catch (CompletionException e) {
            return failed(c, e.getCause(), out);
        }
        return converted(value, convertorName(c, command), out);
    }

    /** What a reply inside an EXEC's answer meant for the queued command it belongs to. */
    Outcome outcomeOf(Object value, Object command, Outcome out) {
        return converted(value, convertorName(classes.get(command.getClass()), command), out);
    }

    /** The EXEC's answer, one reply per queued command, or null if it is not a list. */
    List<?> execResults(Object exec) {
        Classes c = classes.get(exec.getClass());
        CompletableFuture<?> promise = (CompletableFuture<?>) c.call(c.getPromise, exec);
        if (promise == null || !promise.isDone() || promise.isCompletedExceptionally()) return null;
        Object value = promise.getNow(null);
        return value instanceof List ? (List<?>) value : null;
    }

    /**
     * Whether an EXEC that failed ran nothing: the server refused the whole transaction (EXECABORT, after a command
     * was refused while queued). Any other failure is the error of one of the queued commands, the others having
     * run: Redisson fails the EXEC with the first of them.
     */
    boolean execAborted(Object exec) {
        Classes c = classes.get(exec.getClass());
        CompletableFuture<?> promise = (CompletableFuture<?>) c.call(c.getPromise, exec);
        try {
            promise.getNow(null);
            return false;
        } catch (CompletionException e) {
            String message = e.getCause() == null ? null : e.getCause().getMessage();
            return message == null || message.startsWith("EXECABORT");
        } catch (RuntimeException e) {
            return true;
        }
    }

    /** A failed promise: the server's error reply, or Redisson giving up on the command before the reply came. */
    private static Outcome failed(Classes c, Throwable cause, Outcome out) {
        if (cause == null) return out.error();
        // A timeout or a closed connection says nothing of what the server did.
        if (c.timeout != null && c.timeout.isInstance(cause)) return out.unknown();
        if (c.connection != null && c.connection.isInstance(cause)) return out.unknown();
        return out.error();
    }

    private static Outcome converted(Object value, String convertor, Outcome out) {
        if (value == null) {
            // VoidReplayConvertor answers null to everything; elsewhere null is a nil reply.
            return "VoidReplayConvertor".equals(convertor) ? out.unknown() : out.nil();
        }
        if (value instanceof Boolean) {
            boolean b = (Boolean) value;
            switch (convertor) {
                case "BooleanNotNullReplayConvertor": return b ? out.value(0) : out.nil();
                case "BooleanNullReplayConvertor": return b ? out.nil() : out.value(0);
                case "BooleanNullSafeReplayConvertor": return b ? out.integer(1) : out.unknown(); // false: nil or 0
                case "TrueReplayConvertor": return out.unknown();
                default: return out.integer(b ? 1 : 0); // a 1 or a 0 (BooleanReplayConvertor, amounts)
            }
        }
        if (value instanceof Long || value instanceof Integer || value instanceof Short || value instanceof Byte) {
            return out.integer(((Number) value).longValue());
        }
        if (value instanceof String) return out.value(((String) value).length());
        if (value instanceof byte[]) return out.value(((byte[]) value).length);
        return out.value(0);
    }

    private static String convertorName(Classes c, Object command) {
        Object type = c.call(c.getCommand, command);
        Object convertor = type == null ? null : c.call(c.getConvertor, type);
        return convertor == null ? "" : convertor.getClass().getSimpleName();
    }

    /** One parameter as the encoder writes it; {@link #OPAQUE} for a {@code ByteBuf}. */
    private static byte[] bytes(Classes c, Object param) {
        if (param == null) return new byte[0];
        if (param instanceof String) return ((String) param).getBytes(StandardCharsets.UTF_8);
        if (param instanceof byte[]) return (byte[]) param;
        if (c.byteBuf.isInstance(param)) return OPAQUE;
        if (c.channelName.isInstance(param)) return (byte[]) c.call(c.getChannelName, param);
        return param.toString().getBytes(StandardCharsets.UTF_8); // numbers and the rest, as the encoder writes them
    }

    /**
     * The text of the scripts Redisson sends as EVALSHA (its default since 3.46, {@code useScriptCache}), by SHA-1.
     * Redisson computes each script's SHA-1 through {@code ServiceManager.calcSHA} before sending it, which keeps the
     * last 500 in a static map, {@code SHA_CACHE} (script to SHA-1): the agent reads that map, on its
     * own thread, when it meets a SHA-1 it does not know (once per such SHA-1: a few microseconds for 500 entries),
     * and keeps what it learnt. A script it cannot find this way is treated as any EVALSHA: its declared keys are
     * taken as written.
     */
    private static final class Scripts {
        private static final int MAX = 4096;
        private final Map<String, byte[]> bySha = new HashMap<>();
        /** SHA-1s not in Redisson's map when last looked for: not looked for again. */
        private final Set<String> absent = new HashSet<>();

        byte[] text(Classes c, String sha) {
            byte[] text = bySha.get(sha);
            if (text != null || c.shaCache == null || absent.contains(sha)) return text;
            try {
                // The cache's own entry set would count each read as a use and reorder its LRU: read the map under it.
                Map<?, ?> entries = (Map<?, ?>) c.cacheEntries.get(c.shaCache.get(null));
                if (bySha.size() > MAX) bySha.clear();
                for (Map.Entry<?, ?> e : entries.entrySet()) {
                    Object value = e.getValue() == null ? null : c.call(c.cachedValue, e.getValue());
                    if (e.getKey() instanceof String && value instanceof String) {
                        bySha.put((String) value, ((String) e.getKey()).getBytes(StandardCharsets.UTF_8));
                    }
                }
            } catch (ReflectiveOperationException | RuntimeException e) {
                // Not this version's layout: these scripts stay unknown.
            }
            text = bySha.get(sha);
            if (text == null) {
                if (absent.size() > MAX) absent.clear();
                absent.add(sha);
            }
            return text;
        }
    }

    /** Method handles for the classes of one Redisson (one class loader). */
    private static final class Classes {
        final Class<?> commandsData;
        final Class<?> byteBuf;
        final Class<?> channelName;
        final Class<?> timeout;
        final Class<?> connection;
        final MethodHandle getCommand;
        final MethodHandle getParams;
        final MethodHandle getPromise;
        final MethodHandle getName;
        final MethodHandle getSubName;
        final MethodHandle getConvertor;
        final MethodHandle getCommands;
        final MethodHandle isQueued;
        final MethodHandle getChannelName;
        /** {@code ServiceManager.SHA_CACHE}, a Redisson {@code LRUCacheMap}; null where there is none. */
        final Field shaCache;
        /** {@code AbstractCacheMap.map}: the cache's entries, each value a {@code CachedValue}. */
        final Field cacheEntries;
        final MethodHandle cachedValue;

        Classes(ClassLoader loader) {
            Class<?> commandData = require("org.redisson.client.protocol.CommandData", loader);
            getCommand = Reflect.method(commandData, "getCommand");
            getParams = Reflect.method(commandData, "getParams");
            getPromise = Reflect.method(commandData, "getPromise");
            Class<?> redisCommand = require("org.redisson.client.protocol.RedisCommand", loader);
            getName = Reflect.method(redisCommand, "getName");
            getSubName = Reflect.method(redisCommand, "getSubName");
            getConvertor = Reflect.method(redisCommand, "getConvertor");
            commandsData = require("org.redisson.client.protocol.CommandsData", loader);
            getCommands = Reflect.method(commandsData, "getCommands");
            isQueued = Reflect.method(commandsData, "isQueued");
            channelName = require("org.redisson.client.ChannelName", loader);
            getChannelName = Reflect.method(channelName, "getName");
            byteBuf = require("io.netty.buffer.ByteBuf", loader);
            timeout = Reflect.find("org.redisson.client.RedisTimeoutException", loader);
            connection = Reflect.find("org.redisson.client.RedisConnectionException", loader);
            Field sha = field("org.redisson.connection.ServiceManager", "SHA_CACHE", true, loader);
            Field entries = field("org.redisson.cache.AbstractCacheMap", "map", false, loader);
            Class<?> cached = Reflect.find("org.redisson.cache.CachedValue", loader);
            MethodHandle value = null;
            if (cached != null) {
                try {
                    value = Reflect.method(cached, "getValue");
                } catch (RuntimeException e) {
                    // Another layout: scripts sent as EVALSHA stay unknown.
                }
            }
            boolean usable = sha != null && entries != null && value != null;
            shaCache = usable ? sha : null;
            cacheEntries = usable ? entries : null;
            cachedValue = usable ? value : null;
        }

        /** A field holding a map, or null if this version has none such. */
        private static Field field(String type, String name, boolean isStatic, ClassLoader loader) {
            Class<?> owner = Reflect.find(type, loader);
            if (owner == null) return null;
            try {
                Field f = owner.getDeclaredField(name);
                if (Modifier.isStatic(f.getModifiers()) != isStatic || !Map.class.isAssignableFrom(f.getType())) {
                    return null;
                }
                f.setAccessible(true);
                return f;
            } catch (ReflectiveOperationException | RuntimeException e) {
                return null;
            }
        }

        Object call(MethodHandle handle, Object target) {
            try {
                return (Object) handle.invokeExact(target);
            } catch (Throwable t) {
                throw Reflect.rethrow(t);
            }
        }

        private static Class<?> require(String name, ClassLoader loader) {
            Class<?> c = Reflect.find(name, loader);
            if (c == null) throw new IllegalStateException(name + " is not visible to " + loader);
            return c;
        }
    }
}
