package io.gcsflush.jmx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gcsflush.config.AgentConfig;
import io.gcsflush.ops.Control;
import io.gcsflush.ops.ServerStats;
import io.gcsflush.ops.Settings;
import io.gcsflush.redis.ServerAddress;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import javax.management.Attribute;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import javax.management.RuntimeMBeanException;
import org.junit.jupiter.api.Test;

class MbeansTest {
    @Test
    void registersOnceThePlatformServerExistsAndReadsWhatTheFlusherPublished() throws Exception {
        MBeanServer platform = ManagementFactory.getPlatformMBeanServer();
        Control control = new Control(Settings.of(AgentConfig.defaults()), () -> 3);
        ServerStats first = control.server(new ServerAddress("localhost", InetAddress.getLoopbackAddress(), 7001,
                false));
        first.usedMemory(1234);
        first.sizes(10, 1000, 9);
        first.flushed(4, 2);
        Mbeans mbeans = Mbeans.start(control, "9.9", true);
        try {
            ObjectName agent = new ObjectName(Mbeans.AGENT);
            ObjectName server = new ObjectName(Mbeans.DOMAIN + ":type=Server,name=localhost_7001");
            awaitRegistered(platform, server);
            assertEquals("9.9", platform.getAttribute(agent, "Version"));
            assertEquals(true, platform.getAttribute(agent, "Attached"));
            assertEquals(10L, platform.getAttribute(agent, "KeysTracked"));
            assertEquals(4L, platform.getAttribute(agent, "KeysRemoved"));
            assertEquals(3L, platform.getAttribute(agent, "EventsDropped"));
            assertArrayEquals(new String[] {"localhost:7001"}, (String[]) platform.getAttribute(agent, "Servers"));
            assertEquals(1234L, platform.getAttribute(server, "UsedMemory"));
            assertEquals(9L, platform.getAttribute(server, "KeysInOrder"));
            assertEquals("ok", platform.getAttribute(server, "State"));

            platform.setAttribute(agent, new Attribute("Threshold", 1L << 20));
            assertEquals(1L << 20, control.settings().thresholdBytes());
            assertEquals(1L << 20, platform.getAttribute(server, "Threshold"));
            platform.setAttribute(agent, new Attribute("LowWaterPercent", 90.0));
            assertEquals(0.9, control.settings().lowWater(), 1e-9);
            assertEquals("threshold=1.0 MiB, period=1s, batch=10000, policy=ray, dry-run=false, order=journal",
                    platform.invoke(agent, "set", new Object[] {"period", "1s"},
                            new String[] {String.class.getName(), String.class.getName()}));
            RuntimeMBeanException refused = org.junit.jupiter.api.Assertions.assertThrows(RuntimeMBeanException.class,
                    () -> platform.setAttribute(agent, new Attribute("Policy", "lru")));
            assertTrue(refused.getCause() instanceof IllegalArgumentException);

            platform.invoke(agent, "pause", new Object[0], new String[0]);
            assertTrue(control.paused());
            assertEquals("paused", platform.getAttribute(server, "State"));
            platform.invoke(agent, "resume", new Object[0], new String[0]);
            assertFalse(control.paused());

            // A server met later is registered as the flusher meets it.
            control.server(new ServerAddress("localhost", InetAddress.getLoopbackAddress(), 7002, false));
            awaitRegistered(platform, new ObjectName(Mbeans.DOMAIN + ":type=Server,name=localhost_7002"));
        } finally {
            mbeans.close();
        }
        assertTrue(platform.queryNames(new ObjectName(Mbeans.DOMAIN + ":*"), null).isEmpty());
    }

    private static void awaitRegistered(MBeanServer server, ObjectName name) throws InterruptedException {
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (!server.isRegistered(name)) {
            assertTrue(System.nanoTime() < deadline, name + " not registered within 5 s");
            Thread.sleep(20);
        }
    }

    @Test
    void serverNamesAreValidObjectNamesQuotedOnlyWhereNeeded() throws Exception {
        assertEquals("127.0.0.1_6379", Mbeans.serverKey("127.0.0.1", 6379));
        assertEquals("redis.example_6380", Mbeans.serverKey("redis.example", 6380));
        assertEquals("\"::1_6379\"", Mbeans.serverKey("::1", 6379));
        ObjectName ipv6 = new ObjectName(Mbeans.DOMAIN + ":type=Server,name=" + Mbeans.serverKey("::1", 6379));
        assertEquals("::1_6379", ObjectName.unquote(ipv6.getKeyProperty("name")));
    }
}
