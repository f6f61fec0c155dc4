package io.gcsflush.demo;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

/** The samples of one run, kept for the summary, the chart and the CSV. */
final class Recording {
    private final List<Sample> samples = new ArrayList<>();

    synchronized void add(Sample s) {
        samples.add(s);
    }

    synchronized List<Sample> samples() {
        return Collections.unmodifiableList(new ArrayList<>(samples));
    }

    synchronized Sample last() {
        return samples.isEmpty() ? null : samples.get(samples.size() - 1);
    }

    synchronized long peakUsedMemory() {
        long peak = 0;
        for (Sample s : samples) peak = Math.max(peak, s.usedMemory());
        return peak;
    }

    /** Writes {@code seconds,entries,used_memory_bytes,keys}, one sample a line. */
    void writeCsv(Path file) throws IOException {
        createParent(file);
        try (Writer out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            out.write("seconds,entries,used_memory_bytes,keys\n");
            for (Sample s : samples()) {
                out.write(String.format(Locale.ROOT, "%.3f,%d,%d,%d\n",
                        s.seconds(), s.entries(), s.usedMemory(), s.keys()));
            }
        }
    }

    static void createParent(Path file) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) Files.createDirectories(parent);
    }
}
