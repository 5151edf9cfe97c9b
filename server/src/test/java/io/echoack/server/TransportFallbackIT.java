package io.echoack.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The real server process on a JVM where native transports are switched off
 * ({@code -Dio.netty.transport.noNative=true}): auto falls back to NIO and says why; asking for epoll
 * explicitly is a startup error that names the cause.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class TransportFallbackIT {

    private static final Path JAR = Path.of("target/echoack-server.jar");

    private static Process start(String... args) throws Exception {
        assumeTrue(Files.isReadable(JAR), "needs the packaged jar (run through mvn verify)");
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dio.netty.transport.noNative=true", "-jar", JAR.toString()));
        cmd.addAll(List.of(args));
        return new ProcessBuilder(cmd).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    }

    @Test
    void autoFallsBackToNioAndSaysWhy() throws Exception {
        Process p = start("--listen", "tcp://127.0.0.1:0");
        try {
            BufferedReader err = new BufferedReader(new InputStreamReader(p.getErrorStream(), StandardCharsets.UTF_8));
            String transportLine = err.readLine();
            assertTrue(transportLine != null && transportLine.contains("transport nio (epoll is unavailable: "),
                    String.valueOf(transportLine));
            String listening = err.readLine();
            assertTrue(listening != null && listening.contains("listening on tcp://127.0.0.1:"), listening);
            p.destroy(); // SIGTERM
            assertTrue(p.waitFor(15, TimeUnit.SECONDS), "stops on SIGTERM");
            assertEquals(0, p.exitValue());
        } finally {
            p.destroyForcibly();
        }
    }

    @Test
    void explicitEpollIsAStartupError() throws Exception {
        Process p = start("--transport", "epoll", "--listen", "tcp://127.0.0.1:0");
        try {
            String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(p.waitFor(15, TimeUnit.SECONDS));
            assertEquals(2, p.exitValue(), err);
            assertTrue(err.strip().startsWith("echoack-server: --transport: transport epoll is not available here: "),
                    err);
            assertTrue(err.contains("(use --transport auto or nio)"), err);
            assertEquals(1, err.strip().lines().count(), "one line: " + err);
        } finally {
            p.destroyForcibly();
        }
    }
}
