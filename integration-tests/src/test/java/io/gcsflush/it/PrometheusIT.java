package io.gcsflush.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gcsflush.it.apps.HeldConnectionApp;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;

/**
 * Prometheus's JMX exporter ({@code jmx_prometheus_javaagent}, from Maven Central) attached beside the agent, with the
 * configuration the README gives ({@code examples/prometheus/gcs-flush.yaml}), scraped over loopback: the metrics a
 * user charts and alerts on are there, named as documented, with the values the agent's MBeans hold. The exporter
 * makes the platform MBean server as it starts; the agent registers its MBeans once it exists.
 */
class PrometheusIT {
    static final String EXPORTER_VERSION = "1.0.1";
    private static final Duration TIMEOUT = Scenario.TIMEOUT;
    /** {@code name{labels} value}. */
    private static final Pattern SAMPLE = Pattern.compile("^(gcsflush_\\w+)(\\{[^}]*\\})? (\\S+)$");

    @Test
    void exportsTheAgentsMetricsAsDocumented(TestInfo test) throws Exception {
        Path exporter = ClientJars.jars(new ClientJars.ArtifactSet("jmx-exporter-" + EXPORTER_VERSION, null,
                List.of("io.prometheus.jmx:jmx_prometheus_javaagent:" + EXPORTER_VERSION))).stream()
                .filter(p -> p.getFileName().toString().startsWith("jmx_prometheus_javaagent")).findFirst()
                .orElseThrow();
        Path config = Paths.get("..", "examples", "prometheus", "gcs-flush.yaml").toAbsolutePath().normalize();
        assertTrue(Files.isRegularFile(config), config::toString);
        ChildKeys keys = Scenario.standardKeys(0);
        try (Scenario s = Scenario.start(test, keys)) {
            s.foreign.strings(0, "foreign", 100);
            long threshold = s.writeForeignAndSetThreshold();
            int port = JmxIT.freePort();
            try (ChildJvm app = ChildJvm.builder(test)
                    .agent(s.agentArgs(Scenario.BATCH))
                    .jvmArgs("-javaagent:" + exporter + "=127.0.0.1:" + port + ":" + config)
                    .mainClass(HeldConnectionApp.class)
                    .args("--host", s.redis.host(), "--port", String.valueOf(s.redis.port()), "--prefix", keys.prefix,
                            "--value-size", String.valueOf(keys.valueSize), "--mode", "jedis")
                    .openStdin().start()) {
                app.waitForLine("^ready$", TIMEOUT);
                AttachIT.write(app, keys.count, keys.count);
                Await.until("used_memory under the threshold", TIMEOUT, () -> s.redis.usedMemory() < threshold,
                        app::report);
                String server = s.redis.host() + "_" + s.redis.port();
                String label = "{server=\"" + server + "\"}";
                Map<String, Double> metrics = new TreeMap<>();
                // A scrape between two flushes, and after the log said so: the counts agree with the log.
                Await.until("the flushes scraped", TIMEOUT, () -> {
                    metrics.clear();
                    metrics.putAll(scrape(port));
                    long removed = AgentLog.removed(app);
                    return removed > 0 && metrics.getOrDefault("gcsflush_server_keys_removed_total" + label, -1.0)
                                    == removed
                            && metrics.getOrDefault("gcsflush_server_flushes_total" + label, -1.0)
                                    == AgentLog.flushes(app).size()
                            && metrics.getOrDefault("gcsflush_server_keys_in_order" + label, -1.0)
                                    == keys.count - removed;
                }, () -> metrics + "; " + app.report());
                assertEquals(threshold, metrics.get("gcsflush_server_threshold_bytes" + label), metrics::toString);
                double used = metrics.get("gcsflush_server_used_memory_bytes" + label);
                assertTrue(used > 0 && used < threshold, metrics::toString);
                assertTrue(metrics.get("gcsflush_server_keys_tracked" + label) > 0, metrics::toString);
                assertTrue(metrics.get("gcsflush_server_bytes_tracked" + label) > 0, metrics::toString);
                assertEquals(1.0, metrics.get("gcsflush_server_state{server=\"" + server + "\",state=\"ok\"}"),
                        metrics::toString);
                double last = metrics.get("gcsflush_server_last_flush_timestamp_seconds" + label);
                assertTrue(Math.abs(last - System.currentTimeMillis() / 1000.0) < 120, metrics::toString);
                assertTrue(metrics.containsKey("gcsflush_server_last_flush_duration_seconds" + label),
                        metrics::toString);
                assertEquals(0.0, metrics.get("gcsflush_paused"), metrics::toString);
                assertEquals(0.0, metrics.get("gcsflush_events_dropped_total"), metrics::toString);
                s.foreign.assertUntouched(s.redis);
                Scenario.assertNoAgentErrors(app);
            }
        }
    }

    /** The gcsflush_* samples of {@code /metrics}, by name and labels (in the order the exporter writes them). */
    static Map<String, Double> scrape(int port) {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        try {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + port + "/metrics")).timeout(Duration.ofSeconds(10)).build(),
                    HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            Map<String, Double> samples = new TreeMap<>();
            // The last scrape, to read beside the child's log.
            Files.writeString(TestDirs.underTarget("child-logs").resolve("PrometheusIT.metrics.txt"), response.body(),
                    StandardCharsets.UTF_8);
            for (String line : response.body().split("\n")) {
                Matcher m = SAMPLE.matcher(line);
                if (m.matches()) samples.put(m.group(1) + (m.group(2) == null ? "" : m.group(2)),
                        Double.parseDouble(m.group(3)));
            }
            return samples;
        } catch (IOException e) {
            return Map.of(); // the exporter is not up yet
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
