package io.echoack.server.interop;

import static io.echoack.server.interop.Bytes.ascii;
import static io.echoack.server.interop.Bytes.assertBytes;

import io.echoack.server.EchoAckServer;
import io.echoack.server.RunningServer;
import io.echoack.server.config.ServerConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import io.echoack.server.testing.Tools;

/**
 * OpenBSD netcat as the client, in ack and echo mode, over TCP, UDP, Unix stream and Unix datagram
 * sockets. Streams use {@code nc -N}: at the end of its input nc shuts down its sending side, the server
 * answers everything it received and then closes, and nc exits; so the whole output can be compared.
 */
@Timeout(60)
class NetcatInteropIT {

    private static final byte[] ACK = ascii("I got your message\n");
    private static final byte[] DATAGRAM_ACK = ascii("Got your message");
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    @TempDir
    static Path dir;

    private static String nc;
    private static InteropServer server;

    @BeforeAll
    @Timeout(60)
    static void startServer() throws Exception {
        nc = Tools.openBsdNetcat();

        Map<String, String> endpoints = InteropServer.ackAndEchoOfEachKind(dir);
        endpoints.put("tcp-echo-lines", "tcp://127.0.0.1:0?mode=echo&framing=line");
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
        assertBytes(ACK, tcp("tcp-ack", ascii("hello\n")));
    }

    @Test
    void tcpAckAnswersThreePipelinedLines() throws Exception {
        assertBytes(Bytes.repeat("I got your message\n", 3), tcp("tcp-ack", ascii("one\ntwo\nthree\n")));
    }

    @Test
    void tcpAckAcceptsCrlfAndAnswersALastLineWithoutTerminator() throws Exception {
        assertBytes(Bytes.repeat("I got your message\n", 3), tcp("tcp-ack", ascii("one\r\ntwo\r\nthree")));
    }

    @Test
    void tcpAckAnswersTenThousandPipelinedLines() throws Exception {
        assertBytes(Bytes.repeat("I got your message\n", 10_000), tcp("tcp-ack", Bytes.repeat("ping\n", 10_000)));
    }

    @Test
    void tcpAckAnswersAnOverlongLineWithAnErrorAndGoesOn() throws Exception {
        byte[] input = ascii("x".repeat(ServerConfig.DEFAULT_MAX_FRAME_LENGTH + 5_000) + "\nhello\n");
        byte[] expected = ascii("ERROR: message longer than " + ServerConfig.DEFAULT_MAX_FRAME_LENGTH
                + " bytes\nI got your message\n");
        assertBytes(expected, tcp("tcp-ack", input));
    }

    @Test
    void tcpEchoReturnsBinaryBytesUnchanged() throws Exception {
        assertBytes(Bytes.binary(), tcp("tcp-echo", Bytes.binary()));
    }

    @Test
    void tcpEchoReturnsAMegabyteUnchanged() throws Exception {
        byte[] megabyte = Bytes.random(1 << 20, 862);
        assertBytes(megabyte, tcp("tcp-echo", megabyte));
    }

    @Test
    void tcpLineEchoReturnsPipelinedLinesInOrderWithTheirTerminators() throws Exception {
        byte[] lines = ascii("one\ntwo\r\nthree\n\nfive");
        assertBytes(lines, tcp("tcp-echo-lines", lines));
    }

    // ---- UDP

    @Test
    void udpAckAnswersADatagram() throws Exception {
        assertBytes(DATAGRAM_ACK, datagrams(udpClient("udp-ack"), List.of(ascii("hello\n")), DATAGRAM_ACK.length));
    }

    @Test
    void udpAckAnswersEachDatagramOfAConversation() throws Exception {
        List<byte[]> requests = List.of(ascii("one\n"), ascii("two\n"), ascii("three\n"));
        assertBytes(Bytes.repeat("Got your message", 3),
                datagrams(udpClient("udp-ack"), requests, DATAGRAM_ACK.length));
    }

    @Test
    void udpEchoReturnsBinaryBytesUnchanged() throws Exception {
        byte[] binary = Bytes.binary();
        assertBytes(binary, datagrams(udpClient("udp-echo"), List.of(binary), binary.length));
    }

    // ---- Unix stream

    @Test
    void unixAckAnswersThreePipelinedLines() throws Exception {
        assertBytes(Bytes.repeat("I got your message\n", 3), unix("unix-ack", ascii("one\ntwo\nthree\n")));
    }

    @Test
    void unixEchoReturnsBinaryBytesUnchanged() throws Exception {
        assertBytes(Bytes.binary(), unix("unix-echo", Bytes.binary()));
    }

    // ---- Unix datagram (nc binds the client path given with -s, so the server can answer)

    @Test
    void unixDatagramAckAnswersADatagram() throws Exception {
        List<String> client = unixgramClient("unixgram-ack", "nca.sock");
        assertBytes(DATAGRAM_ACK, datagrams(client, List.of(ascii("hello\n")), DATAGRAM_ACK.length));
    }

    @Test
    void unixDatagramEchoReturnsBinaryBytesUnchanged() throws Exception {
        byte[] binary = Bytes.binary();
        List<String> client = unixgramClient("unixgram-echo", "nce.sock");
        assertBytes(binary, datagrams(client, List.of(binary), binary.length));
    }

    // ---- one server, several port-0 listeners

    @Test
    void ackAndEchoListenersOnPortZeroShareOneServer() throws Exception {
        ServerConfig config = ServerConfig.defaults().withThreads(1)
                .withListen("tcp://127.0.0.1:0", "tcp://127.0.0.1:0?mode=echo");
        try (RunningServer both = EchoAckServer.start(config)) {
            String ackPort = Integer.toString(both.boundEndpoints().get(0).port());
            String echoPort = Integer.toString(both.boundEndpoints().get(1).port());
            assertBytes(ACK, stream(List.of(nc, "-N", "127.0.0.1", ackPort), ascii("hello\n")));
            assertBytes(ascii("hello\n"), stream(List.of(nc, "-N", "127.0.0.1", echoPort), ascii("hello\n")));
        }
    }

    // ---- helpers

    private static byte[] tcp(String endpoint, byte[] input) throws Exception {
        return stream(List.of(nc, "-N", "127.0.0.1", server.port(endpoint)), input);
    }

    private static byte[] unix(String endpoint, byte[] input) throws Exception {
        return stream(List.of(nc, "-N", "-U", server.path(endpoint)), input);
    }

    /** Runs a stream client to its end: nc exits once the server has answered and closed. */
    private static byte[] stream(List<String> command, byte[] input) throws Exception {
        return ClientTool.runCleanly(command, input, TIMEOUT).stdout();
    }

    private static List<String> udpClient(String endpoint) {
        return List.of(nc, "-u", "-w1", "127.0.0.1", server.port(endpoint));
    }

    private static List<String> unixgramClient(String endpoint, String clientSocket) {
        return List.of(nc, "-u", "-U", "-w1", "-s", Tools.socketPath(dir, clientSocket).toString(),
                server.path(endpoint));
    }

    /**
     * A datagram conversation ({@link ClientTool#converse}); nc exits after its -w1 idle second once its stdin is
     * closed.
     */
    private static byte[] datagrams(List<String> command, List<byte[]> requests, int replyLength) throws Exception {
        return ClientTool.converse(command, requests, replyLength, TIMEOUT).stdout();
    }
}
