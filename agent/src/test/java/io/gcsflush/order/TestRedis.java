package io.gcsflush.order;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.gcsflush.redis.RedisAccess;
import io.gcsflush.redis.RespConnection;
import io.gcsflush.redis.ServerAddress;
import java.io.File;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * A redis-server of a test's own, from the PATH, as the integration tests use it; the test is skipped where there is
 * none.
 */
final class TestRedis implements AutoCloseable {
    final ServerAddress address;
    private final Process process;

    private TestRedis(ServerAddress address, Process process) {
        this.address = address;
        this.process = process;
    }

    static TestRedis start(Path dir) throws IOException {
        String binary = null;
        for (String p : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            if (Files.isExecutable(Path.of(p, "redis-server"))) binary = Path.of(p, "redis-server").toString();
        }
        assumeTrue(binary != null, "no redis-server on the PATH");
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        Process process = new ProcessBuilder(binary, "--port", Integer.toString(port), "--bind", "127.0.0.1",
                "--save", "", "--appendonly", "no", "--dir", dir.toString()).redirectErrorStream(true)
                .redirectOutput(dir.resolve("redis.log").toFile()).start();
        return new TestRedis(new ServerAddress("127.0.0.1", InetAddress.getLoopbackAddress(), port, false), process);
    }

    /** A connection, once the server accepts one (10 s at most). */
    RespConnection connect() throws IOException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (true) {
            try {
                return RespConnection.open(address, null, RedisAccess.asTheApplication(), 1000, 5000);
            } catch (IOException e) {
                if (System.nanoTime() > deadline) throw e;
                Thread.sleep(20);
            }
        }
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        process.waitFor(10, TimeUnit.SECONDS);
    }
}
