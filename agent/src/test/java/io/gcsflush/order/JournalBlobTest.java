package io.gcsflush.order;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class JournalBlobTest {
    private static JournalBlob blob(byte[]... keys) {
        JournalBlob blob = new JournalBlob(2);
        for (byte[] k : keys) blob.add(k, 0, k.length);
        return blob;
    }

    private static List<String> removals(JournalBlob blob) {
        return blob.removals.stream().map(b -> new String(b, UTF_8)).collect(Collectors.toList());
    }

    @Test
    void aBlobWhoseKeysAllDiedOnTheWayHasThemAllTakenOutAsTheJournalWritesThem() {
        JournalBlob blob = blob("a".getBytes(UTF_8), new byte[0], "b\nc".getBytes(UTF_8), "\\d".getBytes(UTF_8));
        blob.removals = new java.util.ArrayList<>(List.of(JournalBlob.encode("a".getBytes(UTF_8))));
        blob.removeAll();
        // Each once, the one that had died already too, as the journal's lines hold them.
        assertEquals(List.of("a", "\\", "\\620a63", "\\5c64"), removals(blob));
    }

    @Test
    void anEmptyBlobHasNothingToTakeOut() {
        JournalBlob blob = blob();
        blob.removeAll();
        assertEquals(List.of(), removals(blob));
    }
}
