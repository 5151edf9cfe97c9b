package io.echoack.client.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.echoack.client.testing.TestServer;
import io.echoack.common.transport.Transport;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A real {@code java -jar target/echoack.jar bench} process, interrupted by a real signal: it reports what it
 * measured, and its exit code and its JSON's {@code exit_code} are the same, 128 + the signal's number.
 */
@Timeout(120)
class BenchSignalIT {

    private static final Path JAR = Path.of("target/echoack.jar");
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @ParameterizedTest(name = "SIG{0} -> {1}")
    @CsvSource({"INT, 130", "TERM, 143"})
    void aSignalStopsTheRunWhichReportsAndExitsWithTheCodeItsJsonGives(String signal, int exitCode)
            throws Exception {
        assertTrue(Files.isRegularFile(JAR), JAR + " is built by `mvn package`, before the integration tests");
        try (TestServer server = TestServer.start(Transport.AUTO, List.of("tcp://127.0.0.1:0?mode=echo"))) {
            Path stdout = dir.resolve("stdout.json");
            String java = ProcessHandle.current().info().command().orElse("java");
            Process bench = new ProcessBuilder(java, "-jar", JAR.toString(), "bench", server.endpoint(0).toString(),
                    "--duration", "60s", "--warmup", "0", "--json", "-")
                    .redirectOutput(stdout.toFile())
                    .start();
            try {
                StringBuilder stderr = new StringBuilder();
                CountDownLatch progress = new CountDownLatch(1);
                Thread reader = new Thread(() -> {
                    try (BufferedReader lines = new BufferedReader(
                            new InputStreamReader(bench.getErrorStream(), StandardCharsets.UTF_8))) {
                        for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                            synchronized (stderr) {
                                stderr.append(line).append('\n');
                            }
                            if (line.startsWith("[  1s]")) {
                                progress.countDown();
                            }
                        }
                    } catch (IOException e) {
                        // the process ended; what was read tells
                    }
                }, "bench stderr");
                reader.setDaemon(true);
                reader.start();
                assertTrue(progress.await(30, TimeUnit.SECONDS), "no progress line: " + stderr);

                Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(bench.pid())).inheritIO().start();
                assertEquals(0, kill.waitFor());
                assertTrue(bench.waitFor(30, TimeUnit.SECONDS), "still running after SIG" + signal);
                reader.join(5_000);

                String err;
                synchronized (stderr) {
                    err = stderr.toString();
                }
                assertEquals(exitCode, bench.exitValue(), err);
                JsonNode json = JSON.readTree(Files.readString(stdout));
                assertEquals(exitCode, json.get("exit_code").asInt(), "the JSON says what the process exits with");
                assertTrue(json.get("stopped_early").asBoolean());
                assertEquals("interrupted", json.get("stop_reason").asText());
                assertTrue(json.get("messages").asLong() > 0, "what was measured is reported");
                assertEquals(0, json.get("errors").get("total").asLong(), err);
                assertTrue(err.contains("stopped early: interrupted"), err);
                assertTrue(err.contains("echoack: bench: interrupted by SIG" + signal + "; exit code " + exitCode),
                        err);
            } finally {
                bench.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

    /** Ctrl-C while connected and waiting for {@code --start-at}: the wait ends, nothing is sent, and bench reports. */
    @Test
    void aSignalDuringTheWaitForTheStartTimeEndsItAndReportsNothingSent() throws Exception {
        assertTrue(Files.isRegularFile(JAR), JAR + " is built by `mvn package`, before the integration tests");
        try (TestServer server = TestServer.start(Transport.AUTO, List.of("tcp://127.0.0.1:0?mode=echo"))) {
            Path stdout = dir.resolve("waiting.json");
            String java = ProcessHandle.current().info().command().orElse("java");
            Process bench = new ProcessBuilder(java, "-jar", JAR.toString(), "bench", server.endpoint(0).toString(),
                    "-c", "2", "--start-at", "+60s", "--json", "-")
                    .redirectOutput(stdout.toFile())
                    .start();
            try (BufferedReader stderr = new BufferedReader(
                    new InputStreamReader(bench.getErrorStream(), StandardCharsets.UTF_8))) {
                StringBuilder before = new StringBuilder();
                String line = stderr.readLine();
                for (int i = 0; line != null && !line.contains("connected; waiting until") && i < 50; i++) {
                    before.append(line).append('\n');
                    line = stderr.readLine();
                }
                assertTrue(line != null && line.contains("connected; waiting until"), "stderr: " + before + line);
                long signalled = System.nanoTime();
                Process kill = new ProcessBuilder("kill", "-INT", Long.toString(bench.pid())).inheritIO().start();
                assertEquals(0, kill.waitFor());
                assertTrue(bench.waitFor(30, TimeUnit.SECONDS), "still waiting after SIGINT");
                assertTrue(System.nanoTime() - signalled < TimeUnit.SECONDS.toNanos(20), "waited on for the start");
                StringBuilder rest = new StringBuilder();
                for (line = stderr.readLine(); line != null; line = stderr.readLine()) {
                    rest.append(line).append('\n');
                }
                assertEquals(130, bench.exitValue(), rest.toString());
                JsonNode json = JSON.readTree(Files.readString(stdout));
                assertEquals(130, json.get("exit_code").asInt());
                assertEquals("interrupted", json.get("stop_reason").asText());
                assertEquals(0, json.get("sent").asLong(), "nothing is sent once interrupted");
                assertEquals(0, json.get("late_ms").asLong());
                assertTrue(rest.toString().contains("echoack: bench: interrupted by SIGINT; exit code 130"), rest.toString());
            } finally {
                bench.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
    }
}
