package io.gcsflush.redis;

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
        int crc = 0;
        for (int i = from; i < to; i++) crc = ((crc << 8) ^ TABLE[((crc >>> 8) ^ key[i]) & 0xFF]) & 0xFFFF;
        return crc % SLOTS;
    }
}
