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

    @Test
    void aBlobBuiltInALentBufferOwnsAnExactCopyOnceClosedAndGivesTheBufferBack() {
        byte[] scratch = new byte[8];
        JournalBlob first = new JournalBlob(0, scratch);
        first.add("ab".getBytes(UTF_8), 0, 2);
        first.add("cd".getBytes(UTF_8), 0, 2);
        assertEquals(scratch, first.close());
        assertEquals("ab\ncd", new String(first.body(), UTF_8));
        // The next blob writes over the buffer; the first keeps its bytes, and a key larger than the buffer grows it.
        JournalBlob second = new JournalBlob(0, scratch);
        second.add("0123456789".getBytes(UTF_8), 0, 10);
        byte[] grown = second.close();
        assertEquals(true, grown.length >= 10);
        assertEquals("ab\ncd", new String(first.body(), UTF_8));
        assertEquals("0123456789", new String(second.body(), UTF_8));
        assertEquals(true, second.body() == second.body(), "a closed blob is sent as it is, not copied");
    }
}
