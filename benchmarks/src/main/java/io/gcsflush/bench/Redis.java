package io.gcsflush.bench;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import redis.clients.jedis.Jedis;

/**
 * A redis-server from the PATH (or {@code -Dredis.server=PATH}) on a free loopback port, no persistence; adapted,
 * much shortened, from the integration tests' RedisServer.
 */
final class Redis implements AutoCloseable {
    final String host = "127.0.0.1";
    final int port;
    private final Process process;
    private final Path dir;

    private Redis(int port, Process process, Path dir) {
        this.port = port;
        this.process = process;
        this.dir = dir;
    }

    static String binary() {
        return System.getProperty("redis.server", "redis-server");
    }

    static Redis start(Path logDir, String name, String... extra) throws Exception {
        for (int attempt = 0; attempt < 5; attempt++) {
            int port;
            try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
                port = s.getLocalPort();
            }
            Path dir = Files.createTempDirectory("gcsflush-bench-redis-");
            List<String> cmd = new ArrayList<>(List.of(binary(), "--save", "", "--appendonly", "no", "--bind",
                    "127.0.0.1", "--port", Integer.toString(port), "--dir", dir.toString(), "--daemonize", "no"));
            cmd.addAll(List.of(extra));
            Path log = logDir.resolve("redis-" + name + "-" + port + ".log");
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
            Redis r = new Redis(port, p, dir);
            Runtime.getRuntime().addShutdownHook(new Thread(p::destroyForcibly));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (System.nanoTime() < deadline && p.isAlive()) {
                try (Jedis j = r.jedis()) {
                    if ("PONG".equals(j.ping())) return r;
                } catch (Exception e) {
                    Thread.sleep(20);
                }
            }
            r.close();
            if (!Files.readString(log).contains("Address already in use")) {
                throw new IllegalStateException("redis-server did not start; see " + log);
            }
        }
        throw new IllegalStateException("no free port for redis-server");
    }

    Jedis jedis() {
        Jedis j = new Jedis(host, port, 60_000);
        return j;
    }

    Map<String, String> info(String section) {
        try (Jedis j = jedis()) {
            return parseInfo(j.info(section));
        }
    }

    static Map<String, String> parseInfo(String text) {
        Map<String, String> m = new HashMap<>();
        for (String line : text.split("\r?\n")) {
            int c = line.indexOf(':');
            if (c > 0) m.put(line.substring(0, c), line.substring(c + 1).trim());
        }
        return m;
    }

    long usedMemory() {
        return Long.parseLong(info("memory").get("used_memory"));
    }

    String version() {
        return info("server").get("redis_version");
    }

    long dbSize() {
        try (Jedis j = jedis()) {
            return j.dbSize();
        }
    }

    void flushAll() {
        try (Jedis j = jedis()) {
            j.flushAll();
        }
    }

    @Override
    public void close() {
        try (Jedis j = jedis()) {
            j.shutdown();
        } catch (Exception ignored) {
            // it is gone, or going
        }
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try (var files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        } catch (IOException ignored) {
            // a temp directory left behind
        }
    }
}
