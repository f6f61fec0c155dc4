package io.gcsflush.redis;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;

/** Redis Cluster's hash slot of a key: CRC16 (XMODEM) of the key, or of its {hash tag}, modulo 16384. */
public final class ClusterSlots {
    public static final int SLOTS = 16384;
    private static final int[] TABLE = new int[256];

    static {
        for (int i = 0; i < 256; i++) {
            int crc = i << 8;
            for (int bit = 0; bit < 8; bit++) crc = (crc & 0x8000) != 0 ? (crc << 1) ^ 0x1021 : crc << 1;
            TABLE[i] = crc & 0xFFFF;
        }
    }

    private ClusterSlots() {}

    public static int slot(byte[] key) {
        int from = 0;
        int to = key.length;
        // Only the part between the first '{' and the next '}' counts, if that part is not empty.
        for (int open = 0; open < key.length; open++) {
            if (key[open] != '{') continue;
            for (int close = open + 1; close < key.length; close++) {
                if (key[close] == '}') {
                    if (close > open + 1) {
                        from = open + 1;
                        to = close;
                    }
                    break;
                }
            }
            break;
        }
        return crc(key, from, to) % SLOTS;
    }

    private static int crc(byte[] bytes, int from, int to) {
        int crc = 0;
        for (int i = from; i < to; i++) crc = ((crc << 8) ^ TABLE[((crc >>> 8) ^ bytes[i]) & 0xFF]) & 0xFFFF;
        return crc;
    }

    private static volatile String[] tags;

    /**
     * A short hash tag whose slot is {@code slot}: {@code {tag}} in a key name puts the key in that slot. The shortest
     * strings of digits and lower-case letters, in order, until every slot has one (a few million CRCs, once).
     */
    public static String tagFor(int slot) {
        String[] table = tags;
        if (table == null) {
            table = new String[SLOTS];
            int found = 0;
            byte[] alphabet = "0123456789abcdefghijklmnopqrstuvwxyz".getBytes(StandardCharsets.US_ASCII);
            for (int length = 1; found < SLOTS; length++) {
                byte[] s = new byte[length];
                int[] digits = new int[length];
                for (boolean more = true; more && found < SLOTS; ) {
                    for (int i = 0; i < length; i++) s[i] = alphabet[digits[i]];
                    int at = crc(s, 0, length) % SLOTS;
                    if (table[at] == null) {
                        table[at] = new String(s, StandardCharsets.US_ASCII);
                        found++;
                    }
                    more = false;
                    for (int i = length - 1; i >= 0; i--) {
                        if (++digits[i] < alphabet.length) {
                            more = true;
                            break;
                        }
                        digits[i] = 0;
                    }
                }
            }
            tags = table;
        }
        return table[slot];
    }

    /** The slots the node on the other end of a connection serves ({@code CLUSTER NODES}, its "myself" line). */
    public static BitSet ownedSlots(RespConnection connection) throws IOException {
        BitSet owned = new BitSet(SLOTS);
        Object reply = connection.call(bytes("CLUSTER"), bytes("NODES"));
        if (!(reply instanceof byte[])) return owned;
        for (String line : new String((byte[]) reply, StandardCharsets.UTF_8).split("\n")) {
            String[] fields = line.trim().split(" ");
            if (fields.length < 8 || !(',' + fields[2] + ',').contains(",myself,")) continue;
            for (int i = 8; i < fields.length; i++) {
                String range = fields[i];
                if (range.startsWith("[")) continue; // a slot being migrated or imported
                int dash = range.indexOf('-');
                try {
                    int from = Integer.parseInt(dash < 0 ? range : range.substring(0, dash));
                    int to = dash < 0 ? from : Integer.parseInt(range.substring(dash + 1));
                    owned.set(from, to + 1);
                } catch (NumberFormatException e) {
                    // not a slot
                }
            }
        }
        return owned;
    }

    /** Of the keys {@code prefix:{tag}} for the node's slots, those whose {@code :state} exists on the node. */
    public static List<String> keysOnNode(RespConnection connection, String prefix, String suffix)
            throws IOException {
        BitSet owned = ownedSlots(connection);
        List<String> names = new ArrayList<>();
        for (int slot = owned.nextSetBit(0); slot >= 0; slot = owned.nextSetBit(slot + 1)) {
            names.add(prefix + ":{" + tagFor(slot) + "}");
        }
        List<String> found = new ArrayList<>();
        for (int from = 0; from < names.size(); from += 1024) {
            int to = Math.min(names.size(), from + 1024);
            for (int i = from; i < to; i++) connection.write(bytes("EXISTS"), bytes(names.get(i) + suffix));
            connection.flush();
            for (int i = from; i < to; i++) {
                if (Long.valueOf(1).equals(connection.read())) found.add(names.get(i));
            }
        }
        return found;
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
