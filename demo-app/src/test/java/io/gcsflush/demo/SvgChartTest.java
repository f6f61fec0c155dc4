package io.gcsflush.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

class SvgChartTest {
    private static final long MIB = 1L << 20;

    private static List<Sample> growing(int seconds) {
        List<Sample> samples = new ArrayList<>();
        for (int s = 0; s <= seconds; s++) samples.add(new Sample(s, s * 30_000L, MIB + s * 20 * MIB, s * 30_000L));
        return samples;
    }

    private static Document parse(String svg) throws Exception {
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        f.setNamespaceAware(true);
        return f.newDocumentBuilder().parse(new ByteArrayInputStream(svg.getBytes(StandardCharsets.UTF_8)));
    }

    private static Element threshold(Document doc) {
        NodeList lines = doc.getElementsByTagNameNS("http://www.w3.org/2000/svg", "line");
        for (int i = 0; i < lines.getLength(); i++) {
            Element line = (Element) lines.item(i);
            if (line.getAttribute("class").equals("threshold")) return line;
        }
        return null;
    }

    @Test
    void validSvgWithBothSeriesAndTheThreshold() throws Exception {
        String svg = new SvgChart("Redis used_memory over time", "a <subtitle> & more", 64 * MIB).render(growing(15));
        Document doc = parse(svg);
        Element root = doc.getDocumentElement();
        assertEquals("svg", root.getLocalName());
        assertEquals("http://www.w3.org/2000/svg", root.getNamespaceURI());
        assertEquals(2, doc.getElementsByTagNameNS("*", "polyline").getLength(), "used_memory and keys");

        Element mark = threshold(doc);
        assertTrue(mark != null, "a threshold line");
        assertFalse(mark.getAttribute("stroke-dasharray").isEmpty(), "dashed");
        assertEquals(mark.getAttribute("y1"), mark.getAttribute("y2"), "horizontal");
        assertTrue(svg.contains(">threshold 64.0 MiB<"));
        assertTrue(svg.contains("a &lt;subtitle&gt; &amp; more"), "text is escaped");
        assertTrue(svg.contains(">seconds<") && svg.contains(">used_memory (MiB)<") && svg.contains(">keys<"));
    }

    @Test
    void thresholdLineSitsAtItsValue() throws Exception {
        // One sample at exactly 64 MiB: the memory line's point and the threshold share a y coordinate.
        List<Sample> samples = List.of(new Sample(0, 0, 0, 0), new Sample(10, 1000, 64 * MIB, 1000));
        Document doc = parse(new SvgChart("t", "", 64 * MIB).render(samples));
        NodeList polylines = doc.getElementsByTagNameNS("*", "polyline");
        String memoryPoints = ((Element) polylines.item(1)).getAttribute("points").trim();
        String lastY = memoryPoints.substring(memoryPoints.lastIndexOf(',') + 1);
        assertEquals(threshold(doc).getAttribute("y1"), lastY);
    }

    @Test
    void noThresholdUnlessMarked() throws Exception {
        String svg = new SvgChart("t", "s", 0).render(growing(5));
        assertEquals(null, threshold(parse(svg)));
        assertFalse(svg.contains("threshold"));
    }

    @Test
    void emptyAndSingleSampleChartsAreStillValid() throws Exception {
        parse(new SvgChart("t", "", 64 * MIB).render(List.of()));
        parse(new SvgChart("t", null, 0).render(List.of(new Sample(0, 0, 900_000, 0))));
    }

    @Test
    void axesEndOnRoundNumbers() {
        SvgChart.Axis a = SvgChart.Axis.of(89.6, 10);
        assertEquals(10, a.step, 1e-9);
        assertEquals(90, a.max, 1e-9);
        SvgChart.Axis b = SvgChart.Axis.of(0.37, 8);
        assertEquals(0.05, b.step, 1e-12);
        assertEquals(9, b.ticks().length);
        assertEquals("1.2M", SvgChart.compact(1_200_000));
        assertEquals("350k", SvgChart.compact(350_000));
        assertEquals("40", SvgChart.compact(40));
    }

    @Test
    void writesTheFileAndTheCsv(@TempDir Path dir) throws Exception {
        Path svg = dir.resolve("sub/chart.svg");
        new SvgChart("t", "s", 64 * MIB).write(svg, growing(3));
        parse(Files.readString(svg));

        Recording recording = new Recording();
        growing(2).forEach(recording::add);
        Path csv = dir.resolve("sub/chart.csv");
        recording.writeCsv(csv);
        List<String> lines = Files.readAllLines(csv);
        assertEquals("seconds,entries,used_memory_bytes,keys", lines.get(0));
        assertEquals("2.000,60000,42991616,60000", lines.get(3));
        assertEquals(41 * MIB, recording.peakUsedMemory());
    }
}
