package io.gcsflush.track;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Which keys may enter the order, and so may ever be removed: those that match an {@code include} pattern (all when
 * there is none) and no {@code exclude} pattern. A pattern is Redis's glob syntax; {@code @N:pattern} applies to
 * database N only ({@code \@} at the start matches a key that starts with {@code @}).
 */
public final class KeyFilter {
    public static final KeyFilter ALL = new KeyFilter(List.of(), List.of());

    private final Rule[] include;
    private final Rule[] exclude;

    private KeyFilter(List<Rule> include, List<Rule> exclude) {
        this.include = include.toArray(new Rule[0]);
        this.exclude = exclude.toArray(new Rule[0]);
    }

    /**
     * @param include patterns, empty for every key
     * @throws IllegalArgumentException for a pattern with a bad database
     */
    public static KeyFilter of(List<String> include, List<String> exclude) {
        if (include.isEmpty() && exclude.isEmpty()) return ALL;
        return new KeyFilter(rules(include), rules(exclude));
    }

    public boolean accepts(int db, byte[] key) {
        if (include.length > 0 && !any(include, db, key)) return false;
        return exclude.length == 0 || !any(exclude, db, key);
    }

    /**
     * The one pattern a key of database {@code db} must match to be accepted, when there is one (a single include
     * rule for that database): what a {@code SCAN MATCH} can ask for. Null otherwise.
     */
    public String singlePattern(int db) {
        String only = null;
        for (Rule r : include) {
            if (r.db >= 0 && r.db != db) continue;
            if (only != null) return null;
            only = r.glob.toString();
        }
        return only;
    }

    public boolean acceptsAll() {
        return include.length == 0 && exclude.length == 0;
    }

    private static boolean any(Rule[] rules, int db, byte[] key) {
        for (Rule r : rules) if ((r.db < 0 || r.db == db) && r.glob.matches(key)) return true;
        return false;
    }

    private static List<Rule> rules(List<String> patterns) {
        List<Rule> rules = new ArrayList<>();
        for (String p : patterns) {
            int db = -1;
            String glob = p;
            if (p.startsWith("@")) {
                int colon = p.indexOf(':');
                try {
                    db = Integer.parseInt(p.substring(1, colon < 0 ? p.length() : colon));
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("'" + p + "': @N: must name a database by its number, as "
                            + "in @3:task:*");
                }
                if (db < 0 || db > KeyLog.MAX_DB) throw new IllegalArgumentException("'" + p + "': no database " + db);
                glob = colon < 0 ? "*" : p.substring(colon + 1);
            }
            rules.add(new Rule(db, new Glob(glob.getBytes(StandardCharsets.UTF_8))));
        }
        return rules;
    }

    @Override
    public String toString() {
        if (acceptsAll()) return "every key";
        StringBuilder s = new StringBuilder();
        if (include.length > 0) s.append("keys matching ").append(join(include));
        else s.append("every key");
        if (exclude.length > 0) s.append(" except ").append(join(exclude));
        return s.toString();
    }

    private static String join(Rule[] rules) {
        List<String> parts = new ArrayList<>();
        for (Rule r : rules) parts.add(r.toString());
        return String.join(", ", parts);
    }

    private static final class Rule {
        final int db;
        final Glob glob;

        Rule(int db, Glob glob) {
            this.db = db;
            this.glob = glob;
        }

        @Override
        public String toString() {
            return (db < 0 ? "" : "@" + db + ":") + glob;
        }
    }
}
