package io.gcsflush.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class MetadataGeneratorTest {
    @Test
    void tasksAndObjectsUnderNewKeys() {
        MetadataGenerator g = new MetadataGenerator(1, 0);
        Set<String> keys = new HashSet<>();
        int tasks = 0;
        for (int i = 0; i < 10_000; i++) {
            Entry e = g.next();
            String key = new String(e.key, StandardCharsets.US_ASCII);
            assertTrue(keys.add(key), "every key is new");
            assertTrue(key.matches("(task|object):[0-9a-f]{40}"), key);
            if (key.startsWith("task:")) {
                tasks++;
                assertTrue(e.isHash());
                int bytes = e.fields.entrySet().stream().mapToInt(f -> f.getKey().length + f.getValue().length).sum();
                assertTrue(bytes >= 100 && bytes <= 500, "a few hundred bytes: " + bytes);
            } else if (!e.isHash()) {
                assertTrue(e.value.length >= MetadataGenerator.MIN_OBJECT_SIZE
                        && e.value.length <= MetadataGenerator.MAX_OBJECT_SIZE);
            }
        }
        assertTrue(tasks > 4_000 && tasks < 6_000, "about half are tasks: " + tasks);
    }

    @Test
    void fixedValueSize() {
        MetadataGenerator g = new MetadataGenerator(2, 4096);
        for (int i = 0; i < 100; i++) {
            Entry e = g.object();
            assertEquals(4096, e.value.length);
        }
    }
}
