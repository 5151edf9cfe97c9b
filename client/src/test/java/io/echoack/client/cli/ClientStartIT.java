package io.echoack.client.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.echoack.client.testing.TestServer;
import io.echoack.common.transport.Transport;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * What {@code echoack send} loads to send one message, from the jar as a user runs it: not logback's XML
 * configuration (nor an XML parser), nor logback at all while nothing is logged ({@link DeferredNettyLoggers}),
 * not the JDK's flight recorder events that Netty's allocator registers, nor what {@code echoack merge} reads and
 * draws with (jackson, Java2D). The first two
 * were loaded on every run before (about 500 classes of 3,200, README.md "Performance"); that only the command
 * typed is built is {@link CommandLineForArgsTest}'s. The class log is the JVM's own (-Xlog:class+load); no
 * timing here.
 */
@Timeout(120)
class ClientStartIT {

    private static final Path CLIENT_JAR = Path.of("target/echoack.jar");

    @TempDir
    Path dir;

    @Test
    void aSendLoadsNeitherLoggingNorFlightRecorderEvents() throws Exception {
        assertTrue(Files.isRegularFile(CLIENT_JAR), CLIENT_JAR.toAbsolutePath() + " is missing: run 'mvn verify'");
        Path classes = dir.resolve("classes.log");
        try (TestServer server = TestServer.start(Transport.select(Transport.AUTO).transport(),
                List.of("tcp://127.0.0.1:0"))) {
            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            ProcessBuilder builder = new ProcessBuilder(java, "-Xlog:class+load:file=" + classes, "-jar",
                    CLIENT_JAR.toString(), "send", server.endpoint(0).toString(), "hi");
            builder.environment().keySet().removeIf(name -> name.startsWith("ECHOACK_"));
            Process client = builder.start();
            client.getOutputStream().close();
            CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> {
                try {
                    return new String(client.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
                } catch (java.io.IOException e) {
                    throw new IllegalStateException(e);
                }
            });
            String out = new String(client.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(client.waitFor(60, TimeUnit.SECONDS), "the client did not exit");
            assertEquals("I got your message\n", out);
            assertEquals("", err.get(10, TimeUnit.SECONDS));
            assertEquals(0, client.exitValue());
        }
        List<String> loaded = Files.readAllLines(classes).stream()
                .map(line -> line.replaceFirst("^\\[[^]]*]\\[info]\\[class,load] ", ""))
                .map(line -> line.substring(0, line.indexOf(' ')))
                .toList();
        assertTrue(loaded.contains("io.echoack.client.cli.SendCommand"), "the log names the classes");
        assertEquals(List.of(), loaded.stream().filter(name -> name.startsWith("ch.qos.logback.core.joran.action")
                || name.startsWith("ch.qos.logback.classic.joran")
                || name.startsWith("com.sun.org.apache.xerces")).toList(), "XML configuration");
        assertEquals(List.of(), loaded.stream().filter(name -> name.startsWith("ch.qos.logback")).toList(),
                "logback is set up when something is logged, and a send that succeeds logs nothing");
        assertEquals(List.of(), loaded.stream().filter(name -> name.startsWith("jdk.jfr.internal.handlers")
                || name.startsWith("jdk.jfr.internal.Metadata")
                || name.startsWith("io.netty.buffer.AllocateChunkEvent")).toList(), "flight recorder events");
        assertEquals(List.of(), loaded.stream().filter(name -> name.startsWith("com.fasterxml.jackson")
                || name.startsWith("io.echoack.client.merge") || name.startsWith("java.awt")
                || name.startsWith("javax.imageio")).toList(), "merge's JSON parser and its chart");
    }
}
