package io.gcsflush.track;

import java.util.Locale;

/**
 * Writes N new keys ({@code key:%010d}) into one {@link KeyLog}, as the event thread does, and prints every single
 * write that took longer than 5 ms (the index growing), with the key count at that moment; then the total.
 * Evidence for how long the event thread stalls when the tracker grows.
 *
 * <pre>java -Xmx4g -cp benchmarks/target/benchmarks.jar io.gcsflush.track.KeyLogPauses [N]</pre>
 */
public final class KeyLogPauses {
    public static void main(String[] args) {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 10_000_000;
        KeyLog log = new KeyLog();
        byte[] key = "key:0000000000".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        long start = System.nanoTime();
        long paused = 0;
        for (int i = 0; i < n; i++) {
            int v = i;
            for (int p = key.length - 1; p >= 4; p--) {
                key[p] = (byte) ('0' + v % 10);
                v /= 10;
            }
            long t0 = System.nanoTime();
            log.write(0, key, 8, true);
            long dt = System.nanoTime() - t0;
            if (dt > 5_000_000) {
                paused += dt;
                System.out.printf(Locale.ROOT, "write #%,d took %.1f ms%n", i + 1, dt / 1e6);
            }
        }
        double total = (System.nanoTime() - start) / 1e9;
        System.out.printf(Locale.ROOT, "%,d keys in %.2f s (%.0f ns a key); %.2f s of it in writes over 5 ms; "
                + "memoryBytes %,d (%.1f B a key)%n", n, total, total * 1e9 / n, paused / 1e9, log.memoryBytes(),
                (double) log.memoryBytes() / n);
    }
}
