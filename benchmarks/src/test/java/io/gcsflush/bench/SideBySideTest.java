package io.gcsflush.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class SideBySideTest {
    private static SideBySide.Run run(String name, long written, int... presentRanges) {
        SideBySide.Run r = new SideBySide.Run(name, "full");
        r.newKeys = written;
        for (int i = 0; i < presentRanges.length; i += 2) r.present.set(presentRanges[i], presentRanges[i + 1]);
        return r;
    }

    @Test
    void exactFifoKeepsTheWholeWindowAndNothingElse() {
        SideBySide.Run fifo = run("adaptive", 1_000, 900, 1_000);
        SideBySide.fidelity(fifo, 100);
        assertEquals(1.0, fifo.recall);
        assertEquals(1.0, fifo.precision);
    }

    @Test
    void aSmallerWindowIsAllPrecisionAndPartRecall() {
        SideBySide.Run low = run("adaptive", 1_000, 950, 1_000); // held 95% of what fits
        SideBySide.fidelity(low, 100);
        assertEquals(0.5, low.recall);
        assertEquals(1.0, low.precision);
    }

    @Test
    void keepingTheOldestIsNoFidelity() {
        SideBySide.Run full = run("noeviction", 1_000, 0, 100);
        SideBySide.fidelity(full, 100);
        assertEquals(0.0, full.recall);
        assertEquals(0.0, full.precision);
    }

    @Test
    void oldKeysKeptCostRecallAndPrecision() {
        // 60 of the newest 100, and 40 old ones that reads kept.
        SideBySide.Run lru = run("allkeys-lru", 1_000, 940, 1_000, 100, 140);
        SideBySide.fidelity(lru, 100);
        assertEquals(0.6, lru.recall, 1e-12);
        assertEquals(0.6, lru.precision, 1e-12);
    }

    @Test
    void aServerOverTheLimitHoldsTheWindowAndMore() {
        SideBySide.Run ray = run("ray", 1_000, 500, 1_000);
        SideBySide.fidelity(ray, 100);
        assertEquals(1.0, ray.recall);
        assertEquals(0.2, ray.precision, 1e-12);
    }

    @Test
    void fewerKeysWrittenThanFitAreAllTheWindow() {
        SideBySide.Run r = run("adaptive", 50, 0, 50);
        SideBySide.fidelity(r, 100);
        assertEquals(1.0, r.recall);
        assertEquals(1.0, r.precision);
    }

    @Test
    void theWindowIsWhatNoevictionHolds() throws Exception {
        SideBySide s = new SideBySide(false);
        List<SideBySide.Run> runs = List.of(run("allkeys-lru", 1_000, 900, 990), run("noeviction", 1_000, 0, 97));
        assertEquals(97, s.windowSize(runs));
        assertEquals(90, s.windowSize(List.of(runs.get(0))), "else the other maxmemory runs'");
    }
}
