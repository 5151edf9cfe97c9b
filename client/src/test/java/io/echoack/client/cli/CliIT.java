package io.echoack.client.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.echoack.client.testing.CliRun;
import io.echoack.client.testing.TestServer;
import io.echoack.common.transport.Transport;
import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The echoack command against a real server: its forms, input modes, failures and the check probe. */
@Timeout(30)
class CliIT {

    @TempDir
    static Path socketDir;

    private static TestServer server;
    private static String tcpAck;
    private static String tcpEcho;
    private static String tcpRawAck;
    private static String udpAck;
    private static String udpEcho;
    private static String unixAck;
    private static String unixgramEcho;
    private static int tcpAckPort;

    @BeforeAll
    static void start() throws Exception {
        server = TestServer.start(Transport.AUTO, List.of(
                "tcp://127.0.0.1:0",
                "tcp://127.0.0.1:0?mode=echo",
                "tcp://127.0.0.1:0?framing=raw",
                "udp://127.0.0.1:0",
                "udp://127.0.0.1:0?mode=echo",
                "unix://" + socketDir.resolve("ack.sock"),
                "unixgram://" + socketDir.resolve("echo-dgram.sock") + "?mode=echo"));
        tcpAck = server.endpoint(0).toString();
        tcpAckPort = server.endpoint(0).port();
        tcpEcho = server.endpoint(1).toString();
        tcpRawAck = server.endpoint(2).toString();
        udpAck = server.endpoint(3).toString();
        udpEcho = server.endpoint(4).toString();
        unixAck = server.endpoint(5).toString();
        unixgramEcho = server.endpoint(6).toString();
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    private static void assertSuccess(CliRun run, String... lines) {
        assertEquals("", run.err());
        assertEquals(ExitCodes.OK, run.exitCode());
        assertEquals(List.of(lines), List.of(run.outLines()));
    }

    @Test
    void theTutorialsHostPortForm() {
        assertSuccess(CliRun.run("", "send", "127.0.0.1", String.valueOf(tcpAckPort), "hello"),
                "I got your message");
    }

    @Test
    void everyMessageArgumentGetsItsReplyOnItsOwnLine() {
        assertSuccess(CliRun.run("", "send", tcpEcho, "one", "two words", "three"), "one", "two words", "three");
        assertSuccess(CliRun.run("", "send", udpAck, "a", "b"), "Got your message", "Got your message");
    }

    @Test
    void pipedStdinSendsEachLine() {
        assertSuccess(CliRun.run("alpha\r\nbeta\ngamma", "send", tcpEcho), "alpha", "beta", "gamma");
        assertSuccess(CliRun.run("x\ny\n", "send", unixAck), "I got your message", "I got your message");
        assertSuccess(CliRun.run("", "send", tcpEcho));
    }

    @Test
    void onATerminalSendPromptsLikeTheTutorialClient() {
        CliRun run = CliRun.run("hello there\nnot read\n", true, "send", tcpAck);
        assertEquals(ExitCodes.OK, run.exitCode());
        assertEquals("Please enter the message: I got your message" + System.lineSeparator(), run.out());
    }

    @Test
    void chatAnswersEveryLineUntilEndOfInput() {
        assertSuccess(CliRun.run("one\ntwo\n", "chat", unixgramEcho), "one", "two");
        CliRun interactive = CliRun.run("hi\n", true, "chat", tcpAck);
        assertEquals(ExitCodes.OK, interactive.exitCode());
        assertEquals("> I got your message" + System.lineSeparator() + "> " + System.lineSeparator(),
                interactive.out());
    }

    @Test
    void aSilentUdpPortIsATimeoutWithOneClearLine() throws IOException {
        try (DatagramSocket silent = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            String endpoint = "udp://127.0.0.1:" + silent.getLocalPort();
            CliRun run = CliRun.run("", "send", endpoint, "hello", "--timeout", "200ms", "--retries", "2");
            assertEquals(ExitCodes.TIMEOUT, run.exitCode());
            assertEquals("", run.out());
            assertEquals("echoack: no reply from " + endpoint + " within 200ms (3 attempts)"
                    + System.lineSeparator(), run.err());
        }
    }

    @Test
    void aRefusedConnectionIsOneClearLine() throws IOException {
        int closedPort = closedTcpPort();
        CliRun run = CliRun.run("", "send", "127.0.0.1", String.valueOf(closedPort), "hello");
        assertEquals(ExitCodes.REFUSED, run.exitCode());
        assertEquals("echoack: connection refused by tcp://127.0.0.1:" + closedPort + System.lineSeparator(),
                run.err());
        CliRun unix = CliRun.run("", "send", "unix://" + socketDir.resolve("nobody.sock"), "hello");
        assertEquals(ExitCodes.REFUSED, unix.exitCode());
        assertTrue(unix.err().startsWith("echoack: connection refused by unix://"), unix.err());
    }

    @Test
    void withoutRetriesOneAttemptIsMadeAndTheMessageSaysNoMore() throws IOException {
        try (DatagramSocket silent = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            CliRun run = CliRun.run("", "send", "udp://127.0.0.1:" + silent.getLocalPort(), "a", "b",
                    "--timeout", "100ms", "--retries", "0");
            assertEquals(ExitCodes.TIMEOUT, run.exitCode());
            assertEquals("echoack: no reply from udp://127.0.0.1:" + silent.getLocalPort() + " within 100ms"
                    + System.lineSeparator(), run.err());
        }
    }

    private static int closedTcpPort() throws IOException {
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return probe.getLocalPort();
        }
    }

    @Test
    void checkAcceptsAnyReplyByDefaultAndPrintsNothing() {
        CliRun run = CliRun.run("", "check", tcpAck);
        assertEquals(ExitCodes.OK, run.exitCode());
        assertEquals("", run.out());
        assertEquals("", run.err());
        assertEquals(ExitCodes.OK, CliRun.run("", "check", udpEcho).exitCode());
    }

    @Test
    void checkExpectAck() {
        for (String endpoint : List.of(tcpAck, tcpRawAck, udpAck, unixAck)) {
            CliRun run = CliRun.run("", "check", endpoint, "--expect", "ack");
            assertEquals(ExitCodes.OK, run.exitCode(), endpoint + ": " + run.err());
            assertEquals("", run.out() + run.err());
        }
        assertEquals(ExitCodes.WRONG_REPLY, CliRun.run("", "check", tcpEcho, "--expect", "ack").exitCode());
    }

    @Test
    void checkExpectEcho() {
        for (String endpoint : List.of(tcpEcho, udpEcho, unixgramEcho)) {
            assertEquals(ExitCodes.OK, CliRun.run("", "check", endpoint, "--expect", "echo").exitCode(), endpoint);
        }
        CliRun mismatch = CliRun.run("", "check", tcpAck, "--expect", "echo");
        assertEquals(ExitCodes.WRONG_REPLY, mismatch.exitCode());
        assertEquals("", mismatch.out() + mismatch.err(), "silent without --verbose");
    }

    @Test
    void checkExpectText() {
        assertEquals(ExitCodes.OK, CliRun.run("", "check", tcpAck, "--expect", "I got your message").exitCode());
        assertEquals(ExitCodes.OK, CliRun.run("", "check", udpAck, "--expect", "Got your message").exitCode());
        assertEquals(ExitCodes.WRONG_REPLY, CliRun.run("", "check", tcpAck, "--expect", "All good").exitCode());
    }

    @Test
    void checkVerboseSaysWhatHappened() {
        CliRun ok = CliRun.run("", "check", tcpAck, "--expect", "ack", "-v");
        assertEquals(ExitCodes.OK, ok.exitCode());
        assertTrue(ok.out().startsWith("ok: " + server.endpoint(0).address() + " answered \"I got your message\" in "),
                ok.out());
        CliRun mismatch = CliRun.run("", "check", tcpAck, "--expect", "echo", "--verbose");
        assertEquals(ExitCodes.WRONG_REPLY, mismatch.exitCode());
        // --expect echo sets echo mode, so the client finds the wrong reply, as on datagrams
        assertTrue(mismatch.err().startsWith("echoack: check failed: " + server.endpoint(0).address()
                + " answered \"I got your message\", not the echo of the message sent (26 bytes)"), mismatch.err());
        CliRun text = CliRun.run("", "check", tcpAck, "--expect", "pong", "--verbose");
        assertEquals(ExitCodes.WRONG_REPLY, text.exitCode());
        assertTrue(text.err().startsWith("echoack: check failed: unexpected reply from " + server.endpoint(0).address()
                + ": \"I got your message\" (expected \"pong\")"), text.err());
    }

    @Test
    void checkWithNoServerFailsSilentlyUnlessVerbose() throws IOException {
        int closedPort = closedTcpPort();
        CliRun quiet = CliRun.run("", "check", "tcp://127.0.0.1:" + closedPort);
        assertEquals(ExitCodes.REFUSED, quiet.exitCode());
        assertEquals("", quiet.out() + quiet.err());
        CliRun verbose = CliRun.run("", "check", "tcp://127.0.0.1:" + closedPort, "-v");
        assertEquals(ExitCodes.REFUSED, verbose.exitCode());
        assertEquals("echoack: check failed: connection refused by tcp://127.0.0.1:" + closedPort
                + System.lineSeparator(), verbose.err());
    }

    @Test
    void thePlainCommandLineKeepsTheExitCodesForNetworkFailures() throws IOException {
        CliRun refused = CliRun.runPlain("", "send", "tcp://127.0.0.1:" + closedTcpPort(), "hi");
        assertEquals(ExitCodes.REFUSED, refused.exitCode());
        assertTrue(refused.err().startsWith("echoack: connection refused by"), refused.err());
        assertEquals(ExitCodes.OK, CliRun.runPlain("", "send", tcpAck, "hi").exitCode());
    }

    @Test
    void anUnresolvableHostIsExitCode6() {
        CliRun send = CliRun.run("", "send", "tcp://no-such-host.invalid:1", "hello", "--timeout", "2s");
        assertEquals(ExitCodes.RESOLVE, send.exitCode(), send.err());
        assertTrue(send.err().startsWith("echoack: cannot resolve host 'no-such-host.invalid'"), send.err());
        assertEquals(ExitCodes.RESOLVE, CliRun.run("", "check", "udp://no-such-host.invalid:1").exitCode());
    }

    @Test
    void aServerThatHangsUpIsExitCode5() throws Exception {
        try (ServerSocket rude = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Thread hangUp = new Thread(() -> {
                try (java.net.Socket accepted = rude.accept()) {
                    accepted.getInputStream().read(); // wait for the message, then close without a reply
                } catch (IOException e) {
                    // the test fails on the exit code if this goes wrong
                }
            });
            hangUp.start();
            CliRun run = CliRun.run("", "send", "tcp://127.0.0.1:" + rude.getLocalPort(), "hello");
            hangUp.join(10_000);
            assertEquals(ExitCodes.RESET, run.exitCode(), run.err());
            assertTrue(run.err().startsWith("echoack: connection closed by tcp://127.0.0.1:"), run.err());
        }
    }

    @Test
    void checkSaysWhyWithItsExitCode() throws IOException {
        try (DatagramSocket silent = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            assertEquals(ExitCodes.TIMEOUT, CliRun.run("", "check", "udp://127.0.0.1:" + silent.getLocalPort(),
                    "--timeout", "100ms", "--retries", "0").exitCode());
        }
        assertEquals(ExitCodes.REFUSED, CliRun.run("", "check", "unix://" + socketDir.resolve("none.sock")).exitCode());
    }
}
