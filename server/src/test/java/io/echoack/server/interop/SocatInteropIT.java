package io.echoack.server.interop;

import static io.echoack.server.interop.Bytes.ascii;
import static io.echoack.server.interop.Bytes.assertBytes;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.echoack.server.config.ServerConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import io.echoack.server.testing.ChildProcess;
import io.echoack.server.testing.Tools;

/**
 * socat as the client, in ack and echo mode, over TCP (IPv4 and IPv6), UDP, Unix stream and Unix datagram
 * sockets. On a stream, socat shuts down its sending side at the end of its input; the server answers
 * everything and closes, and socat exits ({@code -t 30} only bounds how long it would wait for that).
 */
@Timeout(60)
class SocatInteropIT {

    private static final byte[] ACK = ascii("I got your message\n");
    private static final byte[] DATAGRAM_ACK = ascii("Got your message");
    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    /** Above the 2048-byte default datagram buffer of every Netty transport, below one 8 KiB socat read. */
    private static final int LARGE_DATAGRAM = 8_000;

    @TempDir
    static Path dir;

    private static String socat;
    private static InteropServer server;

    @BeforeAll
    @Timeout(60)
    static void startServer() throws Exception {
        socat = Tools.require("socat", "socat");
        Map<String, String> endpoints = InteropServer.ackAndEchoOfEachKind(dir);
        server = InteropServer.start(ServerConfig.defaults().withThreads(2), endpoints);
    }

    @AfterAll
    static void stopServer() {
        if (server != null) {
            server.close();
        }
    }

    // ---- TCP

    @Test
    void tcpAckAnswersALine() throws Exception {
        assertBytes(ACK, stream(tcp("tcp-ack"), ascii("hello\n")));
    }

    @Test
    void tcpAckAnswersThreePipelinedLines() throws Exception {
        assertBytes(Bytes.repeat("I got your message\n", 3), stream(tcp("tcp-ack"), ascii("one\ntwo\nthree\n")));
    }

    @Test
    void tcpAckAcceptsCrlfLineEndings() throws Exception {
        // socat's crlf option sends each "\n" as "\r\n", as telnet-style clients do.
        List<String> crlf = List.of(socat, "-t", "30", "-", "TCP:127.0.0.1:" + server.port("tcp-ack") + ",crlf");
        assertBytes(Bytes.repeat("I got your message\n", 3), stream(crlf, ascii("one\ntwo\nthree\n")));
    }

    @Test
    void tcpEchoReturnsBinaryBytesUnchanged() throws Exception {
        assertBytes(Bytes.binary(), stream(tcp("tcp-echo"), Bytes.binary()));
    }

    @Test
    void tcpEchoReturnsAMegabyteUnchanged() throws Exception {
        byte[] megabyte = Bytes.random(1 << 20, 7);
        assertBytes(megabyte, stream(tcp("tcp-echo"), megabyte));
    }

    @Test
    void tcpOverIpv6AnswersInBothModes() throws Exception {
        Tools.assumeIpv6Loopback();
        Map<String, String> endpoints = new LinkedHashMap<>();
        endpoints.put("tcp6-ack", "tcp://[::1]:0");
        endpoints.put("tcp6-echo", "tcp://[::1]:0?mode=echo");
        try (InteropServer v6 = InteropServer.start(ServerConfig.defaults().withThreads(1), endpoints)) {
            List<String> ack = List.of(socat, "-t", "30", "-", "TCP6:[::1]:" + v6.port("tcp6-ack"));
            List<String> echo = List.of(socat, "-t", "30", "-", "TCP6:[::1]:" + v6.port("tcp6-echo"));
            assertBytes(Bytes.repeat("I got your message\n", 2), stream(ack, ascii("one\ntwo\n")));
            assertBytes(Bytes.binary(), stream(echo, Bytes.binary()));
        }
    }

    // ---- UDP

    @Test
    void udpAckAnswersEachDatagramOfAConversation() throws Exception {
        List<String> client = List.of(socat, "-", "UDP:127.0.0.1:" + server.port("udp-ack"));
        assertBytes(Bytes.repeat("Got your message", 3),
                datagrams(client, List.of(ascii("one\n"), ascii("two\n"), ascii("three\n")), DATAGRAM_ACK.length));
    }

    @Test
    void udpEchoReturnsBinaryBytesUnchanged() throws Exception {
        byte[] binary = Bytes.binary();
        List<String> client = List.of(socat, "-", "UDP:127.0.0.1:" + server.port("udp-echo"));
        assertBytes(binary, datagrams(client, List.of(binary), binary.length));
    }

    @Test
    void udpEchoReturnsALargeDatagramWhole() throws Exception {
        byte[] large = Bytes.random(LARGE_DATAGRAM, 2048);
        Path input = Files.write(dir.resolve("large.bin"), large);
        // From a file, socat's one read gets all the bytes, so they leave as one datagram.
        List<String> client = List.of(socat, "-b", "65536", "-t", "30", "-",
                "UDP:127.0.0.1:" + server.port("udp-echo"));
        try (ChildProcess socatProcess = ChildProcess.startWithInputFile(client, input)) {
            assertTrue(socatProcess.awaitStdoutBytes(large.length, TIMEOUT), socatProcess::toString);
            assertBytes(large, socatProcess.stdoutBytes());
        }
    }

    @Test
    void udpOverIpv6EchoesADatagram() throws Exception {
        Tools.assumeIpv6Loopback();
        try (InteropServer v6 = InteropServer.start(ServerConfig.defaults().withThreads(1),
                Map.of("udp6-echo", "udp://[::1]:0?mode=echo"))) {
            List<String> client = List.of(socat, "-", "UDP6:[::1]:" + v6.port("udp6-echo"));
            assertBytes(ascii("hello\n"), datagrams(client, List.of(ascii("hello\n")), 6));
        }
    }

    // ---- Unix stream

    @Test
    void unixAckAnswersThreePipelinedLines() throws Exception {
        assertBytes(Bytes.repeat("I got your message\n", 3), stream(unix("unix-ack"), ascii("one\ntwo\nthree\n")));
    }

    @Test
    void unixEchoReturnsBinaryBytesUnchanged() throws Exception {
        assertBytes(Bytes.binary(), stream(unix("unix-echo"), Bytes.binary()));
    }

    // ---- Unix datagram (socat binds its own path, so the server has an address to answer to)

    @Test
    void unixDatagramAckAnswersEachDatagramOfAConversation() throws Exception {
        List<String> client = unixgram("unixgram-ack", "sa.sock");
        assertBytes(Bytes.repeat("Got your message", 2),
                datagrams(client, List.of(ascii("one\n"), ascii("two\n")), DATAGRAM_ACK.length));
    }

    @Test
    void unixDatagramEchoReturnsBinaryBytesUnchanged() throws Exception {
        byte[] binary = Bytes.binary();
        assertBytes(binary, datagrams(unixgram("unixgram-echo", "se.sock"), List.of(binary), binary.length));
    }

    // ---- helpers

    private static List<String> tcp(String endpoint) {
        return List.of(socat, "-t", "30", "-", "TCP:127.0.0.1:" + server.port(endpoint));
    }

    private static List<String> unix(String endpoint) {
        return List.of(socat, "-t", "30", "-", "UNIX-CONNECT:" + server.path(endpoint));
    }

    private static List<String> unixgram(String endpoint, String clientSocket) {
        return List.of(socat, "-", "UNIX-SENDTO:" + server.path(endpoint) + ",bind="
                + Tools.socketPath(dir, clientSocket));
    }

    /** Runs a stream client to its end: socat exits once the server has answered and closed. */
    private static byte[] stream(List<String> command, byte[] input) throws Exception {
        return ClientTool.runCleanly(command, input, TIMEOUT).stdout();
    }

    /**
     * A datagram conversation ({@link ClientTool#converse}: one small write to socat's stdin is one read, one
     * datagram); socat exits 0.5 s after its stdin is closed, and must say nothing on stderr.
     */
    private static byte[] datagrams(List<String> command, List<byte[]> requests, int replyLength) throws Exception {
        ChildProcess.Result result = ClientTool.converse(command, requests, replyLength, TIMEOUT);
        assertEquals("", result.stderr(), result::toString);
        return result.stdout();
    }
}
