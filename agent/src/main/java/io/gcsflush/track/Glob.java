package io.gcsflush.track;

/**
 * A key pattern in Redis's glob syntax, matched as Redis matches {@code KEYS} and {@code SCAN MATCH} patterns
 * ({@code stringmatchlen}): {@code *} any bytes, {@code ?} one byte, {@code [abc]}, {@code [^a-z]} a class,
 * {@code \x} the byte x itself. Kept here (some fifty lines) rather than taken from a library because no library
 * matches bytes with Redis's exact rules, which users know from redis-cli; a pattern that is a literal, or a literal
 * followed by {@code *}, is matched as such (the common {@code task:*}) without the general matcher.
 */
public final class Glob {
    private final byte[] pattern;
    /** The literal part when the pattern is {@code literal} or {@code literal*}; null otherwise. */
    private final byte[] literal;
    private final boolean prefix;

    public Glob(byte[] pattern) {
        this.pattern = pattern.clone();
        int special = -1;
        for (int i = 0; i < pattern.length; i++) {
            byte b = pattern[i];
            if (b == '*' || b == '?' || b == '[' || b == '\\') {
                special = i;
                break;
            }
        }
        if (special < 0) {
            literal = this.pattern;
            prefix = false;
        } else if (special == pattern.length - 1 && pattern[special] == '*') {
            literal = java.util.Arrays.copyOf(pattern, special);
            prefix = true;
        } else {
            literal = null;
            prefix = false;
        }
    }

    public boolean matches(byte[] key) {
        if (literal != null) {
            if (prefix) {
                return key.length >= literal.length
                        && java.util.Arrays.equals(key, 0, literal.length, literal, 0, literal.length);
            }
            return java.util.Arrays.equals(key, literal);
        }
        return match(pattern, 0, key, 0);
    }

    private static boolean match(byte[] p, int pi, byte[] s, int si) {
        while (pi < p.length) {
            switch (p[pi]) {
                case '*':
                    while (pi + 1 < p.length && p[pi + 1] == '*') pi++;
                    if (pi + 1 == p.length) return true;
                    for (int k = si; k <= s.length; k++) if (match(p, pi + 1, s, k)) return true;
                    return false;
                case '?':
                    if (si >= s.length) return false;
                    si++;
                    pi++;
                    break;
                case '[': {
                    if (si >= s.length) return false;
                    pi++;
                    boolean not = pi < p.length && p[pi] == '^';
                    if (not) pi++;
                    boolean hit = false;
                    while (pi < p.length && p[pi] != ']') {
                        if (p[pi] == '\\' && pi + 1 < p.length) {
                            pi++;
                            if (p[pi] == s[si]) hit = true;
                        } else if (pi + 2 < p.length && p[pi + 1] == '-') {
                            int lo = p[pi] & 0xFF;
                            int hi = p[pi + 2] & 0xFF;
                            if (lo > hi) {
                                int t = lo;
                                lo = hi;
                                hi = t;
                            }
                            int c = s[si] & 0xFF;
                            if (c >= lo && c <= hi) hit = true;
                            pi += 2;
                        } else if (p[pi] == s[si]) {
                            hit = true;
                        }
                        pi++;
                    }
                    if (pi < p.length) pi++; // the ']'; Redis takes an unclosed class as closed at the end
                    if (hit == not) return false;
                    si++;
                    break;
                }
                case '\\':
                    if (pi + 1 < p.length) pi++;
                    // fall through: the escaped byte is a literal
                default:
                    if (si >= s.length || p[pi] != s[si]) return false;
                    si++;
                    pi++;
            }
        }
        return si == s.length;
    }

    @Override
    public String toString() {
        return new String(pattern, java.nio.charset.StandardCharsets.UTF_8);
    }
}
