package io.gcsflush.it;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gcsflush.it.apps.PoolWriterApp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;

/**
 * Flushes of one server are at least a period apart, measured from when each flush ran: an application of eight
 * threads writing as fast as they can keeps the agent's threads busy, so that the flusher's rounds run late; a flush
 * that ran late must not make the next one early. A flush starts at its line's time less its duration.
 */
class FlushPeriodIT {
    private static final Duration PERIOD = Duration.ofSeconds(1);
    private static final Pattern FLUSH = Pattern.compile("(\\d{4}-\\d\\d-\\d\\dT[0-9:.]+Z).*" + AgentLog.FLUSHED.pattern());

    @Test
    void flushesOfOneServerAreAPeriodApartFromWhenTheyRan(TestInfo test) {
        try (RedisServer redis = RedisServer.builder().name(Scenario.name(test)).start()) {
            long threshold = redis.usedMemory() + 4 * Scenario.MIB;
            try (ChildJvm app = ChildJvm.builder(test)
                    .agent("threshold=" + threshold + ",period=" + PERIOD.toMillis() + "ms,batch=5000,log.sink=stderr")
                    .mainClass(PoolWriterApp.class)
                    .args("--port", String.valueOf(redis.port()), "--threads", "8", "--seconds", "12")
                    .start()) {
                app.waitForLine("^wrote ", Duration.ofSeconds(60));
                List<Instant> starts = new ArrayList<>();
                for (String line : AgentLog.lines(app, AgentLog.FLUSHED.pattern())) {
                    Matcher m = FLUSH.matcher(line);
                    assertTrue(m.find(), line);
                    starts.add(Instant.parse(m.group(1)).minusMillis(Long.parseLong(m.group(10))));
                }
                assertTrue(starts.size() >= 4, () -> "flushes: " + starts + "; " + app.report());
                for (int i = 1; i < starts.size(); i++) {
                    Duration apart = Duration.between(starts.get(i - 1), starts.get(i));
                    int at = i;
                    // The log's clock is the JVM's, to the millisecond: a little slack for the two readings.
                    assertTrue(apart.compareTo(PERIOD.minusMillis(15)) >= 0, () -> "flushes " + (at - 1) + " and " + at
                            + " started " + apart.toMillis() + " ms apart: " + starts + "; " + app.report());
                }
            }
        }
    }
}
