package io.gcsflush.config;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;

/**
 * The agent's settings, resolved once at start-up. Each setting is read from, in order of precedence, the agent
 * argument ({@code -javaagent:gcs-flush.jar=threshold=2g,period=10s}), a system property
 * ({@code -Dgcsflush.threshold=2g}), an environment variable ({@code GCSFLUSH_THRESHOLD=2g}), or its default.
 */
public final class AgentConfig {
    /** Bytes the tracker is assumed to spend per key when {@code max-keys} is left to {@code auto}. */
    static final long AUTO_BYTES_PER_KEY = 64;

    /** Every setting, in the order the README documents them. */
    public static final List<Setting> SETTINGS = List.of(
            new Setting("threshold", "flush_when_at_least_bytes", "2g",
                    "Flush a server once its `used_memory` is at least this size. Plain bytes or k/m/g/t (binary)."),
            new Setting("period", "flush_period_secs", "10s",
                    "How often each server's memory is checked and, when over the threshold, flushed. "
                            + "`ms`/`s`/`m`/`h`; a bare number is seconds."),
            new Setting("batch", "flush_num_entries_each_time", "10000",
                    "How many of the oldest tracked keys one flush removes from a server."),
            new Setting("order", null, "journal",
                    "`journal`: the order of writes lives in Redis, shared by every instance and restart; `local`: "
                            + "in this JVM only, which removes only its own keys."),
            new Setting("journal.key", null, "gcs-flush:journal",
                    "The journal's key in each database (`<key>:state` beside it; in a cluster, one per master, "
                            + "`<key>:{tag}`)."),
            new Setting("include", null, "",
                    "Only keys matching these patterns (Redis glob, comma-separated; `@N:pattern` for database N "
                            + "only) enter the order. Empty: every key."),
            new Setting("exclude", null, "",
                    "Keys matching these patterns never enter the order, so are never removed."),
            new Setting("max-keys", null, "auto",
                    "The most keys the agent tracks. At the cap it forgets its oldest keys (they are then never "
                            + "removed) and says so once. `auto` allows about 5% of the heap (`-Xmx`) at "
                            + AUTO_BYTES_PER_KEY + " bytes a key."),
            new Setting("buffer", null, "262144",
                    "Commands the application may send ahead of the agent's bookkeeping before the agent skips "
                            + "some (and counts them). Rounded up to a power of two."),
            new Setting("dry-run", null, "false",
                    "`true`: decide and log each flush as usual, but remove nothing."),
            new Setting("log", null, "info",
                    "`off`, `error`, `warn`, `info` (one line per flush and per change of state) or `debug`."),
            new Setting("enabled", null, "true",
                    "`false` turns the agent off without removing the `-javaagent` flag."),
            new Setting("redis.user", null, "",
                    "User for the agent's own connections. Empty: as the application authenticated (AUTH, HELLO)."),
            new Setting("redis.password", null, "",
                    "Password for the agent's own connections. Empty: as the application authenticated. Never "
                            + "logged; prefer `-Dgcsflush.redis.password` or `GCSFLUSH_REDIS_PASSWORD` to the "
                            + "agent argument, which shows in process listings."),
            new Setting("redis.tls", null, "auto",
                    "`auto`: TLS where the application's connection is TLS; `true` or `false` to force it."),
            new Setting("redis.truststore", null, "",
                    "Trust store (PKCS12 or JKS) for the agent's TLS connections. Empty: the JVM's default, "
                            + "`javax.net.ssl.trustStore` if the application sets it."),
            new Setting("redis.truststore-password", null, "", "Password of `redis.truststore`."),
            new Setting("redis.keystore", null, "",
                    "Key store with the client certificate, for servers that ask for one (`tls-auth-clients`). "
                            + "Empty: the JVM's default, `javax.net.ssl.keyStore`."),
            new Setting("redis.keystore-password", null, "", "Password of `redis.keystore`."),
            new Setting("redis.verify-hostname", null, "true",
                    "Whether the agent checks the server certificate's name against the host the application "
                            + "connected to."));

    long thresholdBytes;
    long periodNanos;
    int batch;
    long maxKeys;
    int bufferCapacity;
    boolean dryRun;
    LogLevel log;
    boolean enabled;
    String redisUser;
    String redisPassword;
    Boolean redisTls;
    String truststore;
    String truststorePassword;
    String keystore;
    String keystorePassword;
    boolean verifyHostname;
    boolean journal;
    String journalKey;
    List<String> include;
    List<String> exclude;
    private final Map<String, String> sources = new LinkedHashMap<>();

    private AgentConfig() {}

    /** Reads the settings from the agent argument, the system properties and the environment of this JVM. */
    public static AgentConfig load(String agentArgument) throws ConfigException {
        Properties props = System.getProperties();
        Map<String, String> sys = new LinkedHashMap<>();
        for (String name : props.stringPropertyNames()) sys.put(name, props.getProperty(name));
        return resolve(agentArgument, sys, System.getenv());
    }

    /** The defaults, as if nothing were given. */
    public static AgentConfig defaults() {
        try {
            return resolve(null, Map.of(), Map.of());
        } catch (ConfigException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Resolves the settings from the given sources; visible for tests. */
    static AgentConfig resolve(String agentArgument, Map<String, String> systemProperties, Map<String, String> env)
            throws ConfigException {
        Map<Setting, Given> given = new LinkedHashMap<>();
        // Lowest precedence first, so that each later source overrides.
        for (Map.Entry<String, String> e : env.entrySet()) {
            String name = e.getKey();
            if (!name.startsWith("GCSFLUSH_")) continue;
            put(given, name.substring("GCSFLUSH_".length()), e.getValue(), "environment variable " + name, false);
        }
        for (Map.Entry<String, String> e : systemProperties.entrySet()) {
            String name = e.getKey();
            if (!name.startsWith("gcsflush.")) continue;
            if (name.startsWith("gcsflush.debug.")) continue; // hooks for tests (DEVELOPERS.md), not settings
            put(given, name.substring("gcsflush.".length()), e.getValue(), "system property " + name, false);
        }
        if (agentArgument != null && !agentArgument.trim().isEmpty()) {
            Map<Setting, Given> fromArgument = new LinkedHashMap<>();
            Setting last = null;
            for (String part : agentArgument.split(",")) {
                if (part.trim().isEmpty()) continue;
                int eq = part.indexOf('=');
                if (eq < 0 && last != null && LISTS.contains(last.key)) {
                    // include=task:*,object:*: the commas of a list's value separate its items.
                    Given g = fromArgument.get(last);
                    fromArgument.put(last, new Given(g.name, g.value + "," + part.trim(), g.source));
                    continue;
                }
                if (eq < 0) {
                    throw new ConfigException("invalid agent argument '" + part.trim()
                            + "': expected key=value pairs separated by commas, such as threshold=2g,period=10s");
                }
                put(fromArgument, part.substring(0, eq), part.substring(eq + 1), "the agent argument", true);
                last = Setting.find(part.substring(0, eq));
            }
            given.putAll(fromArgument);
        }
        AgentConfig config = new AgentConfig();
        for (Setting setting : SETTINGS) {
            Given g = given.get(setting);
            String value = g == null ? setting.defaultValue : g.value;
            try {
                config.apply(setting.key, value);
            } catch (IllegalArgumentException e) {
                throw new ConfigException("invalid " + g.name + "=" + shown(g.name, value) + " in " + g.source + ": "
                        + e.getMessage());
            }
            config.sources.put(setting.key, g == null ? "default" : g.source);
        }
        if (config.redisUser != null && config.redisPassword == null) {
            throw new ConfigException("redis.user=" + config.redisUser + " in " + config.sources.get("redis.user")
                    + " needs redis.password too");
        }
        return config;
    }

    private static void put(Map<Setting, Given> given, String rawName, String value, String source, boolean rejectTwice)
            throws ConfigException {
        String name = rawName.trim();
        Setting setting = Setting.find(name);
        if (setting == null) {
            throw new ConfigException("unknown setting '" + name + "' (=" + shown(name, value) + ") in " + source
                    + "; known settings: "
                    + String.join(", ", Setting.keys()));
        }
        if (rejectTwice && given.containsKey(setting)) {
            Given first = given.get(setting);
            throw new ConfigException("setting " + name + "=" + shown(name, value.trim()) + " in " + source + " repeats "
                    + first.name + "=" + shown(first.name, first.value) + " (both set " + setting.key + ")");
        }
        given.put(setting, new Given(name, value.trim(), source));
    }

    /** Sets one setting from its text. */
    private void apply(String key, String v) {
        switch (key) {
            case "threshold": thresholdBytes = positive(Sizes.parse(v)); break;
            case "period": periodNanos = Durations.parseNanos(v); break;
            case "batch": batch = (int) Math.min(Integer.MAX_VALUE, positive(parseLong(v))); break;
            case "max-keys": maxKeys = v.trim().equalsIgnoreCase("auto") ? autoMaxKeys() : positive(parseLong(v)); break;
            case "buffer": bufferCapacity = powerOfTwo(positive(parseLong(v))); break;
            case "dry-run": dryRun = parseBoolean(v); break;
            case "log": log = LogLevel.parse(v); break;
            case "enabled": enabled = parseBoolean(v); break;
            case "redis.user": redisUser = emptyToNull(v); break;
            case "redis.password": redisPassword = emptyToNull(v); break;
            case "redis.tls": redisTls = v.trim().equalsIgnoreCase("auto") ? null : parseBoolean(v); break;
            case "redis.truststore": truststore = readableFile(v); break;
            case "redis.truststore-password": truststorePassword = emptyToNull(v); break;
            case "redis.keystore": keystore = readableFile(v); break;
            case "redis.keystore-password": keystorePassword = emptyToNull(v); break;
            case "redis.verify-hostname": verifyHostname = parseBoolean(v); break;
            case "order": journal = parseOrder(v); break;
            case "journal.key": journalKey = nonEmpty(v); break;
            case "include": include = patterns(v); break;
            case "exclude": exclude = patterns(v); break;
            default: throw new IllegalStateException("no setting " + key);
        }
    }

    /**
     * A value as it may appear in a message: never one that might be a secret, even under a misspelt name
     * ({@code redis.pasword}).
     */
    static String shown(String name, String value) {
        String n = name.toLowerCase(Locale.ROOT);
        for (String hint : new String[] {"pas", "pw", "secret", "auth", "cred", "token"}) {
            if (n.contains(hint)) return "(hidden)";
        }
        return value;
    }

    /** Settings whose value is a comma-separated list. */
    private static final List<String> LISTS = List.of("include", "exclude");

    private static boolean parseOrder(String v) {
        switch (v.trim().toLowerCase(Locale.ROOT)) {
            case "journal": return true;
            case "local": return false;
            default: throw new IllegalArgumentException("expected journal or local");
        }
    }

    private static String nonEmpty(String v) {
        if (v.trim().isEmpty()) throw new IllegalArgumentException("must not be empty");
        return v.trim();
    }

    private static List<String> patterns(String v) {
        List<String> list = new ArrayList<>();
        for (String p : v.split(",")) if (!p.trim().isEmpty()) list.add(p.trim());
        io.gcsflush.track.KeyFilter.of(list, List.of()); // checks the databases named
        return Collections.unmodifiableList(list);
    }

    private static String emptyToNull(String v) {
        return v.isEmpty() ? null : v;
    }

    private static String readableFile(String v) {
        if (v.trim().isEmpty()) return null;
        if (!new java.io.File(v.trim()).canRead()) throw new IllegalArgumentException("no readable file there");
        return v.trim();
    }

    private static long parseLong(String v) {
        try {
            return Long.parseLong(v.trim().replace("_", ""));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("expected a whole number");
        }
    }

    private static long positive(long v) {
        if (v <= 0) throw new IllegalArgumentException("must be greater than zero");
        return v;
    }

    private static int powerOfTwo(long v) {
        if (v > 1 << 26) throw new IllegalArgumentException("must be at most " + (1 << 26));
        return Math.max(1024, Integer.highestOneBit((int) v - 1) << 1);
    }

    private static boolean parseBoolean(String v) {
        switch (v.trim().toLowerCase(Locale.ROOT)) {
            case "true": case "yes": case "on": case "1": return true;
            case "false": case "no": case "off": case "0": return false;
            default: throw new IllegalArgumentException("expected true or false");
        }
    }

    static long autoMaxKeys() {
        long budget = Runtime.getRuntime().maxMemory() / 20;
        return Math.max(100_000L, budget / AUTO_BYTES_PER_KEY);
    }

    public long thresholdBytes() { return thresholdBytes; }
    public long periodNanos() { return periodNanos; }
    public int batch() { return batch; }
    public long maxKeys() { return maxKeys; }
    public int bufferCapacity() { return bufferCapacity; }
    public boolean dryRun() { return dryRun; }
    public LogLevel log() { return log; }
    public boolean enabled() { return enabled; }
    /** Null where the application's own connection says. */
    public String redisUser() { return redisUser; }
    public String redisPassword() { return redisPassword; }
    /** Null for "as the application's connection". */
    public Boolean redisTls() { return redisTls; }
    public String truststore() { return truststore; }
    public String truststorePassword() { return truststorePassword; }
    public String keystore() { return keystore; }
    public String keystorePassword() { return keystorePassword; }
    public boolean verifyHostname() { return verifyHostname; }
    /** Whether the order lives in a journal in Redis ({@code order=journal}) rather than in this JVM. */
    public boolean journal() { return journal; }
    public String journalKey() { return journalKey; }
    public List<String> include() { return include; }
    public List<String> exclude() { return exclude; }

    /** One line for the start-up log: every setting with its value, and where it was given when not by default. */
    public String describe() {
        List<String> parts = new ArrayList<>();
        parts.add("threshold=" + Sizes.format(thresholdBytes) + from("threshold"));
        parts.add("period=" + Durations.format(periodNanos) + from("period"));
        parts.add("batch=" + batch + from("batch"));
        parts.add("order=" + (journal ? "journal" : "local") + from("order"));
        if (journal && !journalKey.equals("gcs-flush:journal")) parts.add("journal.key=" + journalKey + from("journal.key"));
        if (!include.isEmpty()) parts.add("include=" + String.join(",", include) + from("include"));
        if (!exclude.isEmpty()) parts.add("exclude=" + String.join(",", exclude) + from("exclude"));
        parts.add("max-keys=" + maxKeys + from("max-keys"));
        parts.add("buffer=" + bufferCapacity + from("buffer"));
        parts.add("dry-run=" + dryRun + from("dry-run"));
        parts.add("log=" + log.lowerName() + from("log"));
        parts.add("enabled=" + enabled + from("enabled"));
        if (redisUser != null) parts.add("redis.user=" + redisUser + from("redis.user"));
        if (redisPassword != null) parts.add("redis.password=(set)" + from("redis.password"));
        if (redisTls != null) parts.add("redis.tls=" + redisTls + from("redis.tls"));
        if (truststore != null) parts.add("redis.truststore=" + truststore + from("redis.truststore"));
        if (keystore != null) parts.add("redis.keystore=" + keystore + from("redis.keystore"));
        if (!verifyHostname) parts.add("redis.verify-hostname=false" + from("redis.verify-hostname"));
        return String.join(", ", parts);
    }

    private String from(String key) {
        String source = sources.get(key);
        return source == null || source.equals("default") ? "" : " (" + source + ")";
    }

    /** A setting: its key, the one alias it answers to (Ray's name), its default, and what it does. */
    public static final class Setting {
        public final String key;
        public final String alias;
        public final String defaultValue;
        public final String description;
        Setting(String key, String alias, String defaultValue, String description) {
            this.key = key;
            this.alias = alias;
            this.defaultValue = defaultValue;
            this.description = description;
        }

        /** {@code max_keys}, {@code MAX_KEYS}, {@code max-keys} and {@code max.keys} all name the same setting. */
        static String normalize(String name) {
            return name.trim().toLowerCase(Locale.ROOT).replace('_', '-').replace('.', '-');
        }

        static Setting find(String name) {
            String n = normalize(name);
            for (Setting s : SETTINGS) {
                if (normalize(s.key).equals(n) || (s.alias != null && normalize(s.alias).equals(n))) return s;
            }
            return null;
        }

        static List<String> keys() {
            List<String> keys = new ArrayList<>();
            for (Setting s : SETTINGS) keys.add(s.key);
            return Collections.unmodifiableList(keys);
        }
    }

    private static final class Given {
        final String name;
        final String value;
        final String source;

        Given(String name, String value, String source) {
            this.name = name;
            this.value = value;
            this.source = source;
        }
    }
}
