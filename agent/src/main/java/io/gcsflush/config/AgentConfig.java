package io.gcsflush.config;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

/**
 * The agent's settings, resolved once at start-up. Each setting is read from, in order of precedence, the agent
 * argument ({@code -javaagent:gcs-flush.jar=threshold=2g,period=10s}), a system property
 * ({@code -Dgcsflush.threshold=2g}), an environment variable ({@code GCSFLUSH_THRESHOLD=2g}), or its default.
 */
public final class AgentConfig {
    /** Bytes the tracker is assumed to spend per key when {@code max-keys} is left to {@code auto}. */
    static final long AUTO_BYTES_PER_KEY = 64;
    private static final String ENV_PREFIX = "GCSFLUSH_";
    private static final String PROPERTY_PREFIX = "gcsflush.";
    private static final String ARGUMENT = "the agent argument";
    private static final String EXPECTED_PAIRS =
            "expected key=value pairs separated by commas, such as threshold=2g,period=10s";

    /** Every setting, in the order the README documents them. */
    public static final List<Setting> SETTINGS = List.of(
            new Setting("threshold", "flush_when_at_least_bytes", "2g",
                    "Flush a server once its `used_memory` is at least this size. Plain bytes or k/m/g/t (binary)."),
            new Setting("period", "flush_period_secs", "10s",
                    "How often each server's memory is checked and, when over the threshold, flushed. "
                            + "`ms`/`s`/`m`/`h`; a bare number is seconds."),
            new Setting("batch", "flush_num_entries_each_time", "10000",
                    "How many of the oldest tracked keys one flush removes from a server."),
            new Setting("policy", null, "ray",
                    "`ray`: remove `batch` keys at most once a `period` (Ray's). `adaptive`: once at the threshold, "
                            + "remove as many keys as bring the server under `low-water`, at most `max-batch` a "
                            + "flush, and look again sooner until it is."),
            new Setting("low-water", null, "95%",
                    "`policy=adaptive`: the share of the threshold a flush brings the server back under."),
            new Setting("max-batch", null, "20000",
                    "`policy=adaptive`: the most keys one flush removes, which bounds how long it keeps Redis busy."),
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
            new Setting("adopt", null, "",
                    "Keys already in Redis that match these patterns are taken into the journal, before anything "
                            + "newer, the most idle first; once per journal, in the background."),
            new Setting("uncovered", null, "pause",
                    "When memory that the order does not hold is by itself over the threshold: `pause` (remove "
                            + "nothing, say so) or `flush` (remove the oldest of the order anyway)."),
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
            new Setting("log.sink", null, "auto",
                    "Where the agent's lines go: `auto` (the application's SLF4J when it has a binding, else "
                            + "standard error), `stderr`, or `slf4j`."),
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
    String policy;
    double lowWater;
    int maxBatch;
    long maxKeys;
    int bufferCapacity;
    boolean dryRun;
    LogLevel log;
    LogSink logSink;
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
    List<String> adopt;
    boolean flushUncovered;
    private final Map<String, String> sources = new LinkedHashMap<>();
    private final List<String> warnings = new ArrayList<>();

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
        List<String> warnings = new ArrayList<>();
        // Lowest precedence first, so that each later source overrides.
        readEnvironment(env, given, warnings);
        for (Map.Entry<String, String> e : systemProperties.entrySet()) {
            String name = e.getKey();
            if (!name.startsWith(PROPERTY_PREFIX)) continue;
            if (name.startsWith(PROPERTY_PREFIX + "debug.")) continue; // hooks for tests (DEVELOPERS.md), not settings
            String rawName = name.substring(PROPERTY_PREFIX.length());
            Setting setting = Setting.find(rawName);
            if (setting == null) throw unknown(rawName, e.getValue(), name);
            String source = "system property " + ConfigText.shown(name);
            given.put(setting, Given.of(rawName, e.getValue(), source, setting, null));
        }
        if (agentArgument != null && !agentArgument.trim().isEmpty()) given.putAll(readArgument(agentArgument));
        AgentConfig config = new AgentConfig();
        config.warnings.addAll(warnings);
        for (Setting setting : SETTINGS) {
            Given g = given.get(setting);
            String value = g == null ? setting.defaultValue : g.value;
            try {
                config.apply(setting.key, value);
            } catch (IllegalArgumentException e) {
                throw new ConfigException(g.invalid(e.getMessage()));
            }
            config.sources.put(setting.key, g == null ? "default" : g.source);
        }
        if (config.redisUser != null && config.redisPassword == null) {
            throw new ConfigException("redis.user=" + ConfigText.shown(config.redisUser) + " in "
                    + config.sources.get("redis.user") + " needs redis.password too");
        }
        return config;
    }

    /**
     * {@code GCSFLUSH_*} variables. One that names no setting is ignored with a warning rather than refused: the
     * environment is shared with everything else the process runs, and a variable such as {@code GCSFLUSH_HOME} may
     * well belong to the installation rather than to the agent. A known setting with a bad value is still refused.
     */
    private static void readEnvironment(Map<String, String> env, Map<Setting, Given> given, List<String> warnings) {
        // Sorted, so that the warnings come in the same order on every start.
        for (Map.Entry<String, String> e : new TreeMap<>(env).entrySet()) {
            String name = e.getKey();
            if (!name.startsWith(ENV_PREFIX)) continue;
            String rawName = name.substring(ENV_PREFIX.length());
            Setting setting = Setting.find(rawName);
            if (setting == null) {
                Setting near = Setting.nearest(rawName);
                warnings.add("environment variable " + ENV_PREFIX + shownName(rawName)
                        + " is not a setting of the agent; ignored"
                        + (near == null ? "" : " (did you mean " + near.environmentName() + "?)"));
                continue;
            }
            String source = "environment variable " + ConfigText.shown(name);
            given.put(setting, Given.of(rawName, e.getValue(), source, setting, null));
        }
    }

    /**
     * The agent argument: {@code key=value} parts separated by commas. A comma inside a value splits it, so what
     * follows a secret setting's part may be the rest of the secret: from there on, a part that is refused is
     * described without quoting any of it. (A part that reads as a valid setting cannot be told from one, and is
     * taken as given; the README says to give a value with commas elsewhere.)
     */
    private static Map<Setting, Given> readArgument(String argument) throws ConfigException {
        Map<Setting, Given> given = new LinkedHashMap<>();
        Setting secretBefore = null;
        Setting last = null;
        for (String part : argument.split(",")) {
            if (part.trim().isEmpty()) continue;
            int eq = part.indexOf('=');
            if (eq < 0 && last != null && LISTS.contains(last.key) && secretBefore == null) {
                // include=task:*,object:*: in a list's value, the commas separate its items.
                Given g = given.get(last);
                given.put(last, Given.of(g.name, g.value + "," + part.trim(), g.source, last, null));
                continue;
            }
            if (eq < 0) {
                if (secretBefore != null) {
                    throw new ConfigException("invalid agent argument: a part after " + secretBefore.key
                            + " has no '=' " + splitSecret(secretBefore));
                }
                if (ConfigText.looksSecret(part)) {
                    throw new ConfigException("invalid agent argument: a part has no '=' (not shown: it looks like a"
                            + " password); " + EXPECTED_PAIRS);
                }
                throw new ConfigException("invalid agent argument '" + ConfigText.shown(part.trim()) + "': "
                        + EXPECTED_PAIRS);
            }
            String rawName = part.substring(0, eq);
            Setting setting = Setting.find(rawName);
            if (setting == null) {
                if (secretBefore != null) {
                    throw new ConfigException("unknown setting in the agent argument after " + secretBefore.key + " "
                            + splitSecret(secretBefore));
                }
                throw unknown(rawName, part.substring(eq + 1), null);
            }
            Given g = Given.of(rawName, part.substring(eq + 1), ARGUMENT, setting, secretBefore);
            Given first = given.get(setting);
            if (first != null) {
                if (secretBefore != null) {
                    throw new ConfigException("a setting in the agent argument after " + secretBefore.key
                            + " repeats one given before it " + splitSecret(secretBefore));
                }
                throw new ConfigException("setting " + g.shownPair() + " in " + ARGUMENT + " repeats "
                        + first.shownPair() + " (both set " + setting.key + ")");
            }
            given.put(setting, g);
            last = setting;
            if (setting.secret && secretBefore == null) secretBefore = setting;
        }
        return given;
    }

    /** Why a part after a secret is not quoted, and how to give a secret that contains a comma. */
    private static String splitSecret(Setting secret) {
        return "(not shown: it may be the rest of " + secret.key + "'s value, split at a comma; give a value that "
                + "contains commas as -D" + PROPERTY_PREFIX + secret.key + " or " + secret.environmentName() + ")";
    }

    /** An unknown name, in the agent argument ({@code property} null) or in that system property. */
    private static ConfigException unknown(String rawName, String value, String property) {
        String name = rawName.trim();
        String known = "; known settings: " + String.join(", ", Setting.keys());
        if (ConfigText.looksSecret(name)) {
            // The name may hold the secret itself ("redis.password:s3cret=..."): neither it nor the value is shown.
            String notShown = "(its name looks like a password's and is not shown)";
            return new ConfigException(property == null ? "unknown setting " + notShown + " in " + ARGUMENT + known
                    : "unknown setting in system property " + PROPERTY_PREFIX + "* " + notShown + known);
        }
        String where = property == null ? ARGUMENT : "system property " + ConfigText.shown(property);
        return new ConfigException("unknown setting '" + ConfigText.shown(name) + "' (=" + ConfigText.shown(value.trim())
                + ") in " + where + known);
    }

    /** A name as it may appear in a message: not at all if it looks like a secret's. */
    private static String shownName(String rawName) {
        return ConfigText.looksSecret(rawName) ? "(a name like a password's, not shown)" : ConfigText.shown(rawName);
    }

    /** Sets one setting from its text. */
    private void apply(String key, String v) {
        switch (key) {
            case "threshold": thresholdBytes = positive(Sizes.parse(v)); break;
            case "period": periodNanos = Durations.parseNanos(v); break;
            case "batch": batch = (int) Math.min(Integer.MAX_VALUE, positive(parseLong(v))); break;
            case "policy": policy = parsePolicy(v); break;
            case "low-water": lowWater = parsePercent(v); break;
            case "max-batch": maxBatch = (int) Math.min(Integer.MAX_VALUE, positive(parseLong(v))); break;
            case "max-keys": maxKeys = v.trim().equalsIgnoreCase("auto") ? autoMaxKeys() : positive(parseLong(v)); break;
            case "buffer": bufferCapacity = powerOfTwo(positive(parseLong(v))); break;
            case "dry-run": dryRun = parseBoolean(v); break;
            case "log": log = LogLevel.parse(v); break;
            case "log.sink": logSink = LogSink.parse(v); break;
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
            case "adopt": adopt = patterns(v); break;
            case "uncovered": flushUncovered = parseUncovered(v); break;
            default: throw new IllegalStateException("no setting " + key);
        }
    }

    /**
     * Reads an agent argument alone ({@code threshold=1g,period=5s}), as the agent will, for the command line to refuse
     * a bad one before it attaches the agent: the target JVM's own {@code -Dgcsflush.*} and {@code GCSFLUSH_*} still
     * apply there.
     */
    public static AgentConfig parseArgument(String argument) throws ConfigException {
        return resolve(argument, Map.of(), Map.of());
    }

    /** The key of the setting {@code name} names (in any case, {@code -_.} alike, or Ray's alias); null if none. */
    public static String keyOf(String name) {
        Setting setting = name == null ? null : Setting.find(name);
        return setting == null ? null : setting.key;
    }

    /**
     * Reads one setting's value as at start-up, for a change while the agent runs: a configuration in which only that
     * setting is set. Throws IllegalArgumentException, with the reason, for a value the setting refuses.
     */
    public static AgentConfig parseOne(String key, String value) {
        AgentConfig config = new AgentConfig();
        config.apply(key, value);
        return config;
    }

    /** Settings whose value is a comma-separated list. */
    private static final List<String> LISTS = List.of("include", "exclude", "adopt");

    private static boolean parseUncovered(String v) {
        switch (v.trim().toLowerCase(Locale.ROOT)) {
            case "pause": return false;
            case "flush": return true;
            default: throw new IllegalArgumentException("expected pause or flush");
        }
    }

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

    private static String parsePolicy(String v) {
        String p = v.trim().toLowerCase(Locale.ROOT);
        if (!p.equals("ray") && !p.equals("adaptive")) throw new IllegalArgumentException("expected ray or adaptive");
        return p;
    }

    /** {@code 95%}, or {@code 12.5%}: a fraction in (0, 1]. */
    private static double parsePercent(String v) {
        String t = v.trim();
        double p;
        try {
            if (!t.endsWith("%")) throw new NumberFormatException();
            p = Double.parseDouble(t.substring(0, t.length() - 1).trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("expected a percentage of the threshold such as 95%");
        }
        if (!(p > 0 && p <= 100)) throw new IllegalArgumentException("must be more than 0% and at most 100%");
        return p / 100;
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
    /** {@code ray} or {@code adaptive}. */
    public String policy() { return policy; }
    /** The low-water mark as a fraction of the threshold, in (0, 1]. */
    public double lowWater() { return lowWater; }
    public int maxBatch() { return maxBatch; }
    public long maxKeys() { return maxKeys; }
    public int bufferCapacity() { return bufferCapacity; }
    public boolean dryRun() { return dryRun; }
    public LogLevel log() { return log; }
    public LogSink logSink() { return logSink; }
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
    public List<String> adopt() { return adopt; }
    /** Whether to flush even when the memory the order does not hold is over the threshold by itself. */
    public boolean flushUncovered() { return flushUncovered; }

    /**
     * What was ignored while reading the settings (an environment variable that names no setting), one line each,
     * for the agent to log once its log is set up.
     */
    public List<String> warnings() { return Collections.unmodifiableList(warnings); }

    /** One line for the start-up log: every setting with its value, and where it was given when not by default. */
    public String describe() {
        List<String> parts = new ArrayList<>();
        parts.add("threshold=" + Sizes.format(thresholdBytes) + from("threshold"));
        parts.add("period=" + Durations.format(periodNanos) + from("period"));
        parts.add("batch=" + batch + from("batch"));
        parts.add("policy=" + policy + from("policy"));
        // The adaptive policy's own settings: when it is the policy, or when given.
        if (policy.equals("adaptive") || !from("low-water").isEmpty()) {
            parts.add("low-water=" + percent(lowWater) + from("low-water"));
        }
        if (policy.equals("adaptive") || !from("max-batch").isEmpty()) {
            parts.add("max-batch=" + maxBatch + from("max-batch"));
        }
        parts.add("order=" + (journal ? "journal" : "local") + from("order"));
        if (journal && !journalKey.equals("gcs-flush:journal")) parts.add("journal.key=" + journalKey + from("journal.key"));
        if (!include.isEmpty()) parts.add("include=" + String.join(",", include) + from("include"));
        if (!exclude.isEmpty()) parts.add("exclude=" + String.join(",", exclude) + from("exclude"));
        if (!adopt.isEmpty()) parts.add("adopt=" + String.join(",", adopt) + from("adopt"));
        if (flushUncovered) parts.add("uncovered=flush" + from("uncovered"));
        parts.add("max-keys=" + maxKeys + from("max-keys"));
        parts.add("buffer=" + bufferCapacity + from("buffer"));
        parts.add("dry-run=" + dryRun + from("dry-run"));
        parts.add("log=" + log.lowerName() + from("log"));
        parts.add("log.sink=" + logSink.lowerName() + from("log.sink"));
        parts.add("enabled=" + enabled + from("enabled"));
        if (redisUser != null) parts.add("redis.user=" + ConfigText.shown(redisUser) + from("redis.user"));
        if (redisPassword != null) parts.add("redis.password=(set)" + from("redis.password"));
        if (redisTls != null) parts.add("redis.tls=" + redisTls + from("redis.tls"));
        if (truststore != null) {
            parts.add("redis.truststore=" + ConfigText.shown(truststore) + from("redis.truststore"));
        }
        if (keystore != null) parts.add("redis.keystore=" + ConfigText.shown(keystore) + from("redis.keystore"));
        if (!verifyHostname) parts.add("redis.verify-hostname=false" + from("redis.verify-hostname"));
        return String.join(", ", parts);
    }

    /** A fraction as a percentage: {@code 95%}, {@code 12.5%}. */
    public static String percent(double fraction) {
        return java.math.BigDecimal.valueOf(fraction * 100).round(new java.math.MathContext(6)).stripTrailingZeros()
                .toPlainString() + "%";
    }

    private String from(String key) {
        String source = sources.get(key);
        return source == null || source.equals("default") ? "" : " (" + source + ")";
    }

    /**
     * A setting: its key, the one alias it answers to (Ray's name), its default, and what it does. One whose name
     * looks like a password's ({@code redis.password}, {@code redis.keystore-password}) is secret: its value is never
     * shown, whatever goes wrong.
     */
    public static final class Setting {
        public final String key;
        public final String alias;
        public final String defaultValue;
        public final String description;
        public final boolean secret;
        Setting(String key, String alias, String defaultValue, String description) {
            this.key = key;
            this.alias = alias;
            this.defaultValue = defaultValue;
            this.description = description;
            this.secret = ConfigText.looksSecret(key) || ConfigText.looksSecret(alias);
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

        /** The setting whose key or alias is within two edits of the name, for a "did you mean"; null if none. */
        static Setting nearest(String name) {
            String n = normalize(name);
            if (n.length() < 4 || n.length() > 40) return null;
            Setting best = null;
            int bestDistance = 3;
            for (Setting s : SETTINGS) {
                for (String candidate : new String[] {s.key, s.alias}) {
                    if (candidate == null) continue;
                    int d = distance(n, normalize(candidate));
                    if (d < bestDistance) {
                        best = s;
                        bestDistance = d;
                    }
                }
            }
            return best;
        }

        /** {@code GCSFLUSH_MAX_KEYS} for {@code max-keys}. */
        String environmentName() {
            return ENV_PREFIX + key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
        }

        /** Levenshtein distance, for short names only. */
        private static int distance(String a, String b) {
            int[] previous = new int[b.length() + 1];
            int[] current = new int[b.length() + 1];
            for (int j = 0; j <= b.length(); j++) previous[j] = j;
            for (int i = 1; i <= a.length(); i++) {
                current[0] = i;
                for (int j = 1; j <= b.length(); j++) {
                    int substitute = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                    current[j] = Math.min(substitute, Math.min(previous[j], current[j - 1]) + 1);
                }
                int[] swap = previous;
                previous = current;
                current = swap;
            }
            return previous[b.length()];
        }

        static List<String> keys() {
            List<String> keys = new ArrayList<>();
            for (Setting s : SETTINGS) keys.add(s.key);
            return Collections.unmodifiableList(keys);
        }
    }

    /** A value given for a setting: the name as written, the value, where it came from, and what may be shown. */
    private static final class Given {
        final String name;
        final String value;
        final String source;
        /** The value is never shown: the setting is secret, or its name as written looks like a secret's. */
        final boolean secretValue;
        /** The secret setting given earlier in the agent argument, of which this part may be the rest; or null. */
        final Setting afterSecret;

        private Given(String name, String value, String source, boolean secretValue, Setting afterSecret) {
            this.name = name;
            this.value = value;
            this.source = source;
            this.secretValue = secretValue;
            this.afterSecret = afterSecret;
        }

        static Given of(String rawName, String value, String source, Setting setting, Setting afterSecret) {
            String name = rawName.trim();
            return new Given(name, value.trim(), source, setting.secret || ConfigText.looksSecret(name), afterSecret);
        }

        /** {@code threshold=2x}, or {@code redis.password=(hidden)}. */
        String shownPair() {
            return ConfigText.shown(name) + "=" + (secretValue ? "(hidden)" : ConfigText.shown(value));
        }

        /** The message for a value its setting refuses, for the reason given. */
        String invalid(String reason) {
            if (afterSecret != null) {
                return "invalid setting in " + source + " after " + afterSecret.key + " " + splitSecret(afterSecret)
                        + ": " + ConfigText.reasonWithout(reason, value);
            }
            String shownReason = secretValue ? ConfigText.reasonWithout(reason, value) : reason;
            return "invalid " + shownPair() + " in " + source + ": " + shownReason;
        }
    }
}
