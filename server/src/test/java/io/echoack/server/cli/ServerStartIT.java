package io.echoack.server.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the server process loads from its start until it has served a message, from the jar as a user runs it:
 * not the JDK's flight recorder machinery that Netty's allocator registers its events with on the first buffer
 * (about 100 classes and a generated handler per event: a quarter of the start on one core, bench/README.md
 * "Start time"), unless {@code -Dio.netty.jfr.enabled=true} asks for them. The class log is the JVM's own
 * (-Xlog:class+load); no timing here.
 */
@Timeout(120)
class ServerStartIT {

    private static final Path JAR = Path.of("target/echoack-server.jar");
    private static final Pattern LISTENING = Pattern.compile("listening on tcp://127\\.0\\.0\\.1:(\\d+)");

    @TempDir
    Path dir;

    @Test
    void aServerThatServedRegistersNoFlightRecorderEvents() throws Exception {
        List<String> loaded = serveOneMessage();
        assertTrue(loaded.contains("io.echoack.server.cli.Main"), "the log names the classes");
        assertEquals(List.of(), flightRecorderEvents(loaded));
    }

    @Test
    void askedForTheEventsAreRegistered() throws Exception {
        List<String> loaded = serveOneMessage("-Dio.netty.jfr.enabled=true");
        assertFalse(flightRecorderEvents(loaded).isEmpty(), "the same run with the events asked for loads them");
    }

    private static List<String> flightRecorderEvents(List<String> loaded) {
        return loaded.stream().filter(name -> name.startsWith("jdk.jfr.internal.handlers")
                || name.startsWith("io.netty.buffer.AllocateChunkEvent")).toList();
    }

    /** Starts the server jar, sends it one line over TCP, reads the reply, stops it; the classes it loaded. */
    private List<String> serveOneMessage(String... jvmOptions) throws Exception {
        assertTrue(Files.isRegularFile(JAR), JAR.toAbsolutePath() + " is missing: run 'mvn verify'");
        Path classes = dir.resolve("classes.log");
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-Xlog:class+load:file=" + classes));
        command.addAll(List.of(jvmOptions));
        command.addAll(List.of("-jar", JAR.toString(), "--drain-timeout", "1s", "--listen", "tcp://127.0.0.1:0"));
        ProcessBuilder builder = new ProcessBuilder(command).redirectOutput(ProcessBuilder.Redirect.DISCARD);
        builder.environment().keySet()
                .removeIf(name -> name.startsWith("ECHOACK_") || name.equals("JAVA_TOOL_OPTIONS"));
        Process server = builder.start();
        try {
            BufferedReader err = new BufferedReader(new InputStreamReader(server.getErrorStream(),
                    StandardCharsets.UTF_8));
            int port = -1;
            for (int i = 0; i < 20 && port < 0; i++) { // the transport line, then the listener's
                String line = err.readLine();
                assertTrue(line != null, "the server ended before it listened");
                Matcher listening = LISTENING.matcher(line);
                if (listening.find()) {
                    port = Integer.parseInt(listening.group(1));
                }
            }
            assertTrue(port > 0, "the server says where it listens");
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress("127.0.0.1", port), 10_000);
                socket.setSoTimeout(30_000);
                OutputStream out = socket.getOutputStream();
                out.write("hi\n".getBytes(StandardCharsets.US_ASCII));
                out.flush();
                String reply = new BufferedReader(new InputStreamReader(socket.getInputStream(),
                        StandardCharsets.US_ASCII)).readLine();
                assertEquals("I got your message", reply);
            }
            server.destroy(); // SIGTERM: an orderly stop
            assertTrue(server.waitFor(60, TimeUnit.SECONDS), "the server stops");
            assertEquals(0, server.exitValue());
        } finally {
            server.destroyForcibly();
        }
        return Files.readAllLines(classes).stream()
                .map(line -> line.replaceFirst("^\\[[^]]*]\\[info]\\[class,load] ", ""))
                .map(line -> line.substring(0, line.indexOf(' ')))
                .toList();
    }
}
