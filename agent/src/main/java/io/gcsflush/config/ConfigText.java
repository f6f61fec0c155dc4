package io.gcsflush.config;

import java.util.Locale;

/**
 * How names and values given by the user appear in the agent's messages: on one line, cut to a length a person
 * reads, and never when they may be secret.
 */
final class ConfigText {
    /** The most characters of one name or value a message shows; a longer one is cut, and says so. */
    static final int MAX_SHOWN = 64;

    /** Words in a setting's name that mark its value as secret, also when the name is misspelt. */
    private static final String[] SECRET_HINTS = {"pas", "pw", "secret", "auth", "cred", "token"};

    private ConfigText() {}

    /** Whether a setting of this name, known or not, may hold a secret (a password, a token). */
    static boolean looksSecret(String name) {
        if (name == null) return false;
        String n = name.toLowerCase(Locale.ROOT);
        for (String hint : SECRET_HINTS) {
            if (n.contains(hint)) return true;
        }
        return false;
    }

    /**
     * The text as one short line: control, format and line-separator characters escaped ({@code \n}, {@code \t},
     * {@code \u001b}), so that a value cannot split or forge a log line; cut after {@value #MAX_SHOWN} characters with
     * a marker that gives the full length.
     */
    static String shown(String text) {
        if (text == null) return "";
        boolean cut = text.length() > MAX_SHOWN;
        String kept = cut ? text.substring(0, MAX_SHOWN) : text;
        StringBuilder out = new StringBuilder(kept.length() + 32);
        escape(out, kept);
        if (cut) out.append("...(cut: ").append(text.length()).append(" characters)");
        return out.toString();
    }

    /**
     * A parser's reason for refusing a secret value, unless it quotes the value. The agent's parsers never quote
     * values; this keeps it so for any parser a secret setting may get.
     */
    static String reasonWithout(String reason, String value) {
        boolean quotes = reason != null && !value.isEmpty() && reason.contains(value);
        return quotes ? "(reason not shown: it quotes the value)" : reason;
    }

    /** The text with every character that would break a line, or hide what follows it, escaped; nothing cut. */
    static String oneLine(String text) {
        if (text == null) return null;
        for (int i = 0; i < text.length(); i++) {
            if (needsEscape(text.charAt(i))) {
                StringBuilder out = new StringBuilder(text.length() + 16);
                escape(out, text);
                return out.toString();
            }
        }
        return text;
    }

    private static void escape(StringBuilder out, String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (!needsEscape(c)) {
                out.append(c);
            } else if (c == '\n') {
                out.append("\\n");
            } else if (c == '\r') {
                out.append("\\r");
            } else if (c == '\t') {
                out.append("\\t");
            } else {
                out.append("\\u");
                String hex = Integer.toHexString(c);
                for (int pad = hex.length(); pad < 4; pad++) out.append('0');
                out.append(hex);
            }
        }
    }

    /**
     * C0 and C1 controls, and the characters that end a line or reorder what is shown after them (U+2028, U+2029,
     * bidirectional overrides and other format characters).
     */
    private static boolean needsEscape(char c) {
        if (c < 0x20 || (c >= 0x7f && c <= 0x9f)) return true;
        if (c < 0xa0) return false;
        int type = Character.getType(c);
        return type == Character.LINE_SEPARATOR || type == Character.PARAGRAPH_SEPARATOR || type == Character.FORMAT;
    }
}
