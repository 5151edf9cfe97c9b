package io.echoack.client.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.echoack.client.testing.CliRun;
import io.echoack.client.testing.TestServer;
import io.echoack.common.endpoint.EndpointKind;
import io.echoack.common.transport.Transport;
import io.echoack.server.config.ServerConfig;
import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Failures a script must be able to tell apart get their own exit code, at once: a datagram answered with
 * the wrong bytes (8, not a timeout after every retry), a UDP port nobody listens on (4, from the ICMP
 * error, not a timeout), a server's {@code ERROR:} reply (8, not success), and messages or replies longer
 * than {@code --max-frame} (named as the fix).
 */
@Timeout(60)
class FailureExitCodeIT {

    /**
     * A reply timeout long enough that a test can only pass by the exit code it asserts, never by a timeout
     * (and short enough that, before the fixes, a test failed by timing out within its own limit).
     */
    private static final String LONG_TIMEOUT = "10s";

    @TempDir
    static Path socketDir;

    private static TestServer server;
    private static TestServer strict;
    private static String udpAck;
    private static String unixgramAck;
    private static String tcpAck;
    private static String tcpEchoLength;
    private static String strictLineAck;
    private static String strictLineEcho;
    private static String udpOddAck;

    /** A datagram ack with a control character, longer than an error line should quote. */
    private static final String ODD_DATAGRAM_ACK = "odd\tack " + "x".repeat(300);

    @BeforeAll
    static void start() throws Exception {
        Transport transport = Transport.select(Transport.AUTO).transport();
        assumeTrue(transport.supports(EndpointKind.UNIXGRAM), "the Unix datagram endpoint needs epoll or kqueue");
        server = TestServer.start(transport, List.of(
                "udp://127.0.0.1:0",
                "unixgram://" + socketDir.resolve("ack-dgram.sock"),
                "tcp://127.0.0.1:0",
                "tcp://127.0.0.1:0?mode=echo&framing=length"));
        udpAck = server.endpoint(0).toString();
        unixgramAck = server.endpoint(1).toString();
        tcpAck = server.endpoint(2).toString();
        tcpEchoLength = server.endpoint(3).toString();
        strict = TestServer.start(ServerConfig.defaults().withTransport(transport).withMaxFrameLength(16)
                .withAckTexts("I got your message", ODD_DATAGRAM_ACK),
                List.of("tcp://127.0.0.1:0", "tcp://127.0.0.1:0?mode=echo&framing=line", "udp://127.0.0.1:0"));
        strictLineAck = strict.endpoint(0).toString();
        strictLineEcho = strict.endpoint(1).toString();
        udpOddAck = strict.endpoint(2).toString();
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
        if (strict != null) {
            strict.close();
        }
    }

    @Test
    void aDatagramAnsweredWithTheWrongBytesIsAWrongReplyNamingWhatCameBack() {
        for (String ackServer : List.of(udpAck, unixgramAck)) {
            CliRun run = CliRun.run("", patient("send", ackServer + "?mode=echo", "hello"));
            assertEquals(ExitCodes.WRONG_REPLY, run.exitCode(), ackServer + ": " + run.err());
            assertEquals("", run.out());
            assertTrue(run.err().startsWith("echoack: ") && run.err().contains("\"Got your message\""),
                    run.err());
            assertTrue(run.err().contains("not the echo"), run.err());
        }
    }

    @Test
    void aWrongDatagramReplyIsEscapedAndCutShort() {
        CliRun run = CliRun.run("", patient("send", udpOddAck + "?mode=echo", "hello"));
        assertEquals(ExitCodes.WRONG_REPLY, run.exitCode(), run.err());
        assertEquals(1, run.err().lines().count(), run.err());
        assertTrue(run.err().contains("\"odd\\tack xxx"), run.err());
        assertTrue(run.err().contains("(308 bytes)"), run.err());
        assertTrue(run.err().length() < 250, run.err());
    }

    @Test
    void chatAndCheckSeeTheWrongDatagramReplyToo() {
        CliRun chat = CliRun.run("hello\n", patient("chat", udpAck + "?mode=echo"));
        assertEquals(ExitCodes.WRONG_REPLY, chat.exitCode(), chat.err());
        for (String ackServer : List.of(udpAck, unixgramAck)) {
            CliRun check = CliRun.run("", patient("check", ackServer, "--expect", "echo", "-v"));
            assertEquals(ExitCodes.WRONG_REPLY, check.exitCode(), check.err());
            assertTrue(check.err().contains("\"Got your message\""), check.err());
        }
    }

    @Test
    void aRefusedUdpPortIsRefusedInSendChatAndCheck() throws IOException {
        String nobody = "udp://127.0.0.1:" + closedUdpPort();
        CliRun send = CliRun.run("", patient("send", nobody, "hello"));
        assertEquals(ExitCodes.REFUSED, send.exitCode(), send.err());
        assertTrue(send.err().startsWith("echoack: connection refused by " + nobody), send.err());
        CliRun chat = CliRun.run("hello\n", patient("chat", nobody));
        assertEquals(ExitCodes.REFUSED, chat.exitCode(), chat.err());
        CliRun check = CliRun.run("", patient("check", nobody, "-v"));
        assertEquals(ExitCodes.REFUSED, check.exitCode(), check.err());
        assertTrue(check.err().contains("connection refused by " + nobody), check.err());
    }

    @Test
    void aRefusedUdpPortIsRefusedOnNioToo() throws IOException {
        String nobody = "udp://127.0.0.1:" + closedUdpPort();
        CliRun send = CliRun.run("", patient("send", nobody, "hello", "--transport", "nio"));
        assertEquals(ExitCodes.REFUSED, send.exitCode(), send.err());
    }

    @Test
    void aServerErrorReplyIsAWrongReplyQuotingTheServer() {
        String error = "ERROR: message longer than 16 bytes";
        CliRun argument = CliRun.run("", "send", strictLineAck, "ok", "seventeen bytes!!", "not sent");
        assertEquals(ExitCodes.WRONG_REPLY, argument.exitCode(), argument.err());
        assertEquals("I got your message\n", argument.out(), "the replies before the error are printed");
        assertTrue(argument.err().startsWith("echoack: ") && argument.err().contains("\"" + error + "\""),
                argument.err());
        CliRun piped = CliRun.run("short\nthis line is too long\n", "send", strictLineEcho);
        assertEquals(ExitCodes.WRONG_REPLY, piped.exitCode(), piped.err());
        assertEquals("short\n", piped.out());
        assertTrue(piped.err().contains(error), piped.err());
        CliRun chat = CliRun.run("this line is too long\n", "chat", strictLineAck);
        assertEquals(ExitCodes.WRONG_REPLY, chat.exitCode(), chat.err());
    }

    @Test
    void anEchoedLineThatLooksLikeAnErrorIsNoError() {
        CliRun run = CliRun.run("", "send", strictLineEcho, "ERROR: just text");
        assertEquals(ExitCodes.OK, run.exitCode(), run.err());
        assertEquals("ERROR: just text\n", run.out());
    }

    @Test
    void aMessageLongerThanMaxFrameNamesTheFlag() {
        CliRun argument = CliRun.run("", "send", tcpEchoLength, "hello", "--max-frame", "4");
        assertTrue(argument.err().contains("exceeds the max frame length") && argument.err().contains("--max-frame"),
                argument.err());
        assertEquals(ExitCodes.USAGE, argument.exitCode());
    }

    @Test
    void aReplyLongerThanMaxFrameNamesTheFlag() {
        for (String ackServer : List.of(tcpAck, udpAck)) {
            CliRun run = CliRun.run("", patient("send", ackServer, "hi", "--max-frame", "8"));
            assertEquals(ExitCodes.WRONG_REPLY, run.exitCode(), ackServer + ": " + run.err());
            assertTrue(run.err().contains("--max-frame"), run.err());
        }
    }

    /** {@code args} with {@link #LONG_TIMEOUT} and one datagram retry. */
    private static String[] patient(String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("--timeout", LONG_TIMEOUT, "--retries", "1"));
        return all.toArray(String[]::new);
    }

    private static int closedUdpPort() throws IOException {
        try (DatagramSocket probe = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            return probe.getLocalPort();
        }
    }
}
