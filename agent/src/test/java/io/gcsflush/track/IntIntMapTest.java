package io.gcsflush.track;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class IntIntMapTest {
    @Test
    void agreesWithAHashMapForAnyKey() {
        Random random = new Random(7);
        IntIntMap map = new IntIntMap();
        Map<Integer, Integer> model = new HashMap<>();
        int[] interesting = {IntIntMap.FREE, 0, -1, Integer.MAX_VALUE, 1};
        for (int step = 0; step < 200_000; step++) {
            int key = random.nextInt(10) == 0 ? interesting[random.nextInt(interesting.length)] : random.nextInt(5000);
            if (random.nextInt(3) == 0) {
                map.remove(key);
                model.remove(key);
            } else {
                int value = random.nextInt();
                if (value == IntIntMap.MISSING) value = 0;
                map.put(key, value);
                model.put(key, value);
            }
            if (step % 1000 == 0) {
                assertEquals(model.size(), map.size());
                for (int k : interesting) assertEquals(model.getOrDefault(k, IntIntMap.MISSING), map.get(k));
                Map<Integer, Integer> seen = new HashMap<>();
                map.forEach(seen::put);
                assertEquals(model, seen);
            }
        }
    }
}
