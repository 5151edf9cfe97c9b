package io.echoack.client.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.echoack.client.testing.CliRun;
import io.echoack.client.testing.TestServer;
import io.echoack.common.endpoint.EndpointKind;
import io.echoack.common.transport.Transport;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code echoack send} is binary-safe: random files piped through it to an echo server come back on stdout
 * byte for byte (same SHA-256), whether they fit in one message or are cut into {@code --max-frame} chunks,
 * and lines of any bytes (invalid UTF-8 included) survive line framing and datagrams.
 */
@Timeout(120)
class SendBytesIT {

    private static final int TCP_LENGTH = 0;
    private static final int TCP_RAW = 1;
    private static final int UNIX_LENGTH = 2;
    private static final int UNIX_RAW = 3;
    private static final int TCP_LINE = 4;
    private static final int UDP_ECHO = 5;
    private static final int UNIXGRAM_ECHO = 6;

    @TempDir
    static Path socketDir;

    private static TestServer server;

    @BeforeAll
    static void start() throws Exception {
        Transport transport = Transport.select(Transport.AUTO).transport();
        assumeTrue(transport.supports(EndpointKind.UNIXGRAM), "the Unix datagram endpoint needs epoll or kqueue");
        server = TestServer.start(transport, List.of(
                "tcp://127.0.0.1:0?mode=echo&framing=length",
                "tcp://127.0.0.1:0?mode=echo&framing=raw",
                "unix://" + socketDir.resolve("length.sock") + "?mode=echo&framing=length",
                "unix://" + socketDir.resolve("raw.sock") + "?mode=echo&framing=raw",
                "tcp://127.0.0.1:0?mode=echo&framing=line",
                "udp://127.0.0.1:0?mode=echo",
                "unixgram://" + socketDir.resolve("dgram.sock") + "?mode=echo"));
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    static Stream<Arguments> filesAndEndpoints() {
        return Stream.of(TCP_LENGTH, TCP_RAW, UNIX_LENGTH, UNIX_RAW).flatMap(endpoint ->
                Stream.of(0, 1, 4095, 60_000, 200_000).map(size -> Arguments.of(endpoint, size)));
    }

    @ParameterizedTest(name = "endpoint {0}, {1} bytes")
    @MethodSource("filesAndEndpoints")
    void aRandomFileComesBackByteForByte(int endpoint, int size) {
        byte[] file = random(size, size);
        CliRun run = CliRun.run(file, "send", server.endpoint(endpoint).toString());
        assertEquals("", run.err());
        assertEquals(ExitCodes.OK, run.exitCode());
        assertEquals(sha256(file), sha256(run.outBytes()), "stdout is the file: " + run.outBytes().length
                + " bytes came back for " + size);
    }

    @Test
    void aFileLongerThanMaxFrameIsSentInMaxFrameChunks() {
        byte[] file = random(10_000, 7);
        for (int endpoint : List.of(TCP_LENGTH, TCP_RAW)) {
            CliRun run = CliRun.run(file, "send", server.endpoint(endpoint).toString(), "--max-frame", "1000");
            assertEquals("", run.err());
            assertEquals(ExitCodes.OK, run.exitCode());
            assertEquals(sha256(file), sha256(run.outBytes()));
        }
    }

    @Test
    void linesOfAnyBytesSurviveLineFramingAndDatagrams() {
        byte[] lines = bytes("caf\u00e9 in Latin-1: ", new byte[] {'c', 'a', 'f', (byte) 0xe9, '\n'},
                new byte[] {(byte) 0xff, (byte) 0xfe, (byte) 0x80, ' ', (byte) 0xc3, '(', '\n'},
                randomLine(300, 1), randomLine(2000, 2), randomLine(1, 3));
        for (int endpoint : List.of(TCP_LINE, UDP_ECHO, UNIXGRAM_ECHO)) {
            CliRun run = CliRun.run(lines, "send", server.endpoint(endpoint).toString());
            assertEquals("", run.err());
            assertEquals(ExitCodes.OK, run.exitCode());
            assertArrayEquals(lines, run.outBytes(), "endpoint " + server.endpoint(endpoint));
        }
    }

    @Test
    void chatPassesLinesOfAnyBytesThrough() {
        byte[] lines = bytes("", new byte[] {(byte) 0xe9, 't', (byte) 0xe9, '\n'}, randomLine(500, 4));
        for (int endpoint : List.of(TCP_LINE, UDP_ECHO)) {
            CliRun run = CliRun.run(lines, "chat", server.endpoint(endpoint).toString());
            assertEquals("", run.err());
            assertEquals(ExitCodes.OK, run.exitCode());
            assertArrayEquals(lines, run.outBytes(), "endpoint " + server.endpoint(endpoint));
        }
    }

    @Test
    void messagesGivenAsArgumentsStillGetOneReplyPerLine() {
        CliRun run = CliRun.run(new byte[0], "send", server.endpoint(TCP_LENGTH).toString(), "h\u00e9llo", "two");
        assertEquals("", run.err());
        assertEquals("h\u00e9llo\ntwo\n", run.out());
    }

    private static byte[] random(int size, long seed) {
        byte[] bytes = new byte[size];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }

    /** Random bytes without CR or LF, then LF. */
    private static byte[] randomLine(int length, long seed) {
        byte[] line = random(length + 1, seed);
        for (int i = 0; i < length; i++) {
            if (line[i] == '\n' || line[i] == '\r') {
                line[i] = (byte) 0x85;
            }
        }
        line[length] = '\n';
        return line;
    }

    private static byte[] bytes(String firstLine, byte[]... more) {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        if (!firstLine.isEmpty()) {
            all.writeBytes((firstLine + "\n").getBytes(StandardCharsets.UTF_8));
        }
        Stream.of(more).forEach(all::writeBytes);
        return all.toByteArray();
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }
}
