package io.gcsflush.track;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A fast 64-bit hash of a key and its database. Seeded per JVM so that an application's key names cannot be chosen
 * to collide.
 */
final class KeyHash {
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long SEED = ThreadLocalRandom.current().nextLong();
    private static final long P1 = 0x9E3779B185EBCA87L;
    private static final long P2 = 0xC2B2AE3D27D4EB4FL;

    private KeyHash() {}

    static long hash(byte[] bytes, int offset, int length, int db) {
        long h = SEED + db * P1;
        int i = offset;
        int end = offset + length;
        for (; i + 8 <= end; i += 8) {
            h = Long.rotateLeft(h ^ ((long) LONGS.get(bytes, i) * P2), 31) * P1;
        }
        long tail = 0;
        for (int shift = 0; i < end; i++, shift += 8) tail |= (bytes[i] & 0xFFL) << shift;
        h = Long.rotateLeft(h ^ (tail * P2), 31) * P1;
        h ^= length;
        // murmur3's finaliser: every input bit reaches every output bit.
        h ^= h >>> 33;
        h *= 0xFF51AFD7ED558CCDL;
        h ^= h >>> 33;
        h *= 0xC4CEB9FE1A85EC53L;
        h ^= h >>> 33;
        return h;
    }
}
