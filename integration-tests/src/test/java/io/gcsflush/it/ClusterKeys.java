package io.gcsflush.it;

import io.gcsflush.it.apps.WriterArgs;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * Keys a cluster writer application writes, in the order it writes them, each with its hash slot: the whole
 * application's sequence, or (with {@link #on(RedisCluster.Node)}) the part of it one node received. Checks which are
 * gone, asking each key's current owner (after a slot migration, that is not the node the key was written to).
 */
final class ClusterKeys {
    private final RedisCluster cluster;
    private final List<String> names = new ArrayList<>();
    private final List<Integer> slots = new ArrayList<>();

    ClusterKeys(RedisCluster cluster) {
        this.cluster = cluster;
    }

    /** Appends {@code prefix:from} .. {@code prefix:to-1}, the names the writer applications give them. */
    ClusterKeys add(String prefix, int from, int to) {
        List<String> added = IntStream.range(from, to).mapToObj(i -> WriterArgs.key(prefix, i))
                .collect(Collectors.toList());
        int[] addedSlots = cluster.slotsOf(added);
        names.addAll(added);
        for (int slot : addedSlots) {
            slots.add(slot);
        }
        return this;
    }

    /** Appends another sequence. */
    ClusterKeys add(ClusterKeys other) {
        names.addAll(other.names);
        slots.addAll(other.slots);
        return this;
    }

    /** The keys whose slot {@code node} owns now, in the same order: what a writer sends to that node. */
    ClusterKeys on(RedisCluster.Node node) {
        ClusterKeys part = new ClusterKeys(cluster);
        for (int i = 0; i < names.size(); i++) {
            if (cluster.nodeForSlot(slots.get(i)) == node) {
                part.names.add(names.get(i));
                part.slots.add(slots.get(i));
            }
        }
        return part;
    }

    /** The keys in the given slot, in order. */
    ClusterKeys inSlot(int slot) {
        ClusterKeys part = new ClusterKeys(cluster);
        for (int i = 0; i < names.size(); i++) {
            if (slots.get(i) == slot) {
                part.names.add(names.get(i));
                part.slots.add(slot);
            }
        }
        return part;
    }

    /** The keys in any slot but the given one, in order. */
    ClusterKeys withoutSlot(int slot) {
        ClusterKeys part = new ClusterKeys(cluster);
        for (int i = 0; i < names.size(); i++) {
            if (slots.get(i) != slot) {
                part.names.add(names.get(i));
                part.slots.add(slots.get(i));
            }
        }
        return part;
    }

    int size() {
        return names.size();
    }

    String name(int i) {
        return names.get(i);
    }

    int slot(int i) {
        return slots.get(i);
    }

    /** Which keys are gone, asked of each key's node now. */
    boolean[] gone() {
        boolean[] exists = cluster.exist(names, slots.stream().mapToInt(Integer::intValue).toArray());
        boolean[] gone = new boolean[exists.length];
        for (int i = 0; i < exists.length; i++) {
            gone[i] = !exists[i];
        }
        return gone;
    }

    /** How many are gone, wherever they are in the order (during a flush, its UNLINKs go slot by slot). */
    int goneCount() {
        int n = 0;
        for (boolean g : gone()) {
            if (g) {
                n++;
            }
        }
        return n;
    }

    /** How many of the first keys are gone; fails, naming what is gone, unless exactly a first part of them is. */
    int gonePrefix() {
        boolean[] gone = gone();
        int n = 0;
        while (n < gone.length && gone[n]) {
            n++;
        }
        for (int i = n; i < gone.length; i++) {
            if (gone[i]) {
                throw new AssertionError("the keys gone are not the oldest ones: of " + this + ", gone are "
                        + describe(gone));
            }
        }
        return n;
    }

    /** The gone positions as ranges {@code a..b (name..name)}. */
    String describe(boolean[] gone) {
        List<String> ranges = new ArrayList<>();
        for (int i = 0; i < gone.length; i++) {
            if (!gone[i]) {
                continue;
            }
            int start = i;
            while (i + 1 < gone.length && gone[i + 1]) {
                i++;
            }
            ranges.add(start == i ? start + " (" + names.get(i) + ")"
                    : start + ".." + i + " (" + names.get(start) + ".." + names.get(i) + ")");
        }
        return ranges.isEmpty() ? "none" : String.join(", ", ranges.subList(0, Math.min(20, ranges.size())))
                + (ranges.size() > 20 ? " and " + (ranges.size() - 20) + " more ranges" : "");
    }

    @Override
    public String toString() {
        return names.isEmpty() ? "no keys" : names.size() + " keys " + names.get(0) + " .. " + names.get(names.size() - 1);
    }
}
