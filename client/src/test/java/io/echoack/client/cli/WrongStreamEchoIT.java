package io.echoack.client.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.echoack.client.net.Connection;
import io.echoack.client.net.ConnectionClosedException;
import io.echoack.client.net.EchoAckClient;
import io.echoack.client.net.FailureKind;
import io.echoack.client.net.InvalidReplyException;
import io.echoack.client.net.TlsOptions;
import io.echoack.client.testing.CliRun;
import io.echoack.client.testing.TestServer;
import io.echoack.common.codec.ReplyMode;
import io.echoack.common.endpoint.Endpoint;
import io.echoack.common.testing.TestPki;
import io.echoack.common.transport.Transport;
import io.echoack.server.config.ServerConfig;
import io.echoack.server.tls.TlsSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * On streams (TCP, Unix stream, TLS) a client told that the server echoes ({@code ?mode=echo} or
 * {@code --mode echo}) checks every reply against its message: an ack server's answer is a wrong reply (exit
 * code 8) at once, naming what came back, in {@code send}, {@code chat} and the library, with line, length
 * and raw framing; a real echo still passes.
 */
@Timeout(60)
class WrongStreamEchoIT {

    /**
     * A reply timeout long enough that a test can only pass by the exit code it asserts, never by a timeout
     * (exit code 3).
     */
    private static final String LONG_TIMEOUT = "10s";

    /** A stream ack with a control character, longer than an error line should quote. */
    private static final String ODD_STREAM_ACK = "odd\tack " + "x".repeat(300);

    @TempDir
    static Path dir;

    private static TestServer acks;
    private static TestServer odd;
    private static TestServer tls;
    private static String ca;

    /** The ack server's stream endpoints, each with its framing: tcp line, length, raw, then the same on Unix. */
    private static final List<String> FRAMINGS = List.of("line", "length", "raw", "line", "length", "raw");

    @BeforeAll
    static void start() throws Exception {
        acks = TestServer.start(Transport.AUTO, List.of(
                "tcp://127.0.0.1:0",
                "tcp://127.0.0.1:0?framing=length",
                "tcp://127.0.0.1:0?framing=raw",
                "unix://" + dir.resolve("line.sock"),
                "unix://" + dir.resolve("length.sock") + "?framing=length",
                "unix://" + dir.resolve("raw.sock") + "?framing=raw",
                "tcp://127.0.0.1:0?mode=echo"));
        odd = TestServer.start(ServerConfig.defaults().withAckTexts(ODD_STREAM_ACK, "Got your message"),
                List.of("tcp://127.0.0.1:0"));
        TestPki pki = TestPki.create(dir.resolve("pki"));
        ca = pki.caCert().toString();
        tls = TestServer.startTls(TlsSettings.of(pki.serverCert(), pki.serverKey()), List.of("tls://127.0.0.1:0"));
    }

    @AfterAll
    static void stop() {
        for (TestServer server : new TestServer[] {acks, odd, tls}) {
            if (server != null) {
                server.close();
            }
        }
    }

    /** The i-th ack endpoint as the client is told it: the server's framing, echo mode. */
    private static String echoExpected(int i) {
        return acks.endpoint(i).address() + "?mode=echo&framing=" + FRAMINGS.get(i);
    }

    @Test
    void sendInEchoModeToAnAckServerIsAWrongReplyNamingWhatCameBack() {
        for (int i = 0; i < FRAMINGS.size(); i++) {
            String endpoint = echoExpected(i);
            CliRun run = CliRun.run("", patient("send", endpoint, "hello"));
            assertEquals(ExitCodes.WRONG_REPLY, run.exitCode(), endpoint + ": " + run.err());
            assertEquals("", run.out(), endpoint);
            assertTrue(run.err().startsWith("echoack: " + acks.endpoint(i).address() + " answered \"I got"),
                    endpoint + ": " + run.err());
            assertTrue(run.err().contains(", not the echo of the message sent (5 bytes)"), run.err());
            if (!FRAMINGS.get(i).equals("raw")) { // raw: what came in the reads so far, usually all of it
                assertTrue(run.err().contains("\"I got your message\""), run.err());
            }
        }
    }

    @Test
    void theModeFlagAsksForTheSameCheck() {
        CliRun run = CliRun.run("", patient("send", acks.endpoint(0).toString(), "hello", "--mode", "echo"));
        assertEquals(ExitCodes.WRONG_REPLY, run.exitCode(), run.err());
        assertTrue(run.err().contains("\"I got your message\""), run.err());
    }

    @Test
    void aRawMessageLongerThanTheAckFailsAtOnceInsteadOfWaitingForBytesThatNeverCome() {
        for (int raw : new int[] {2, 5}) {
            String endpoint = echoExpected(raw);
            CliRun run = CliRun.run("", patient("send", endpoint, "a message longer than the server's ack"));
            assertEquals(ExitCodes.WRONG_REPLY, run.exitCode(), endpoint + ": " + run.err());
            assertTrue(run.err().contains("not the echo of the message sent (38 bytes)"), run.err());
        }
    }

    @Test
    void pipedStdinStopsAtTheFirstReplyThatIsNotItsEcho() {
        for (int line : new int[] {0, 3}) { // length and raw framing send piped input as one message
            String endpoint = echoExpected(line);
            // "I got your message" is, by chance, its own echo; "hello" is not
            CliRun run = CliRun.run("I got your message\nhello\nnever sent\n", patient("send", endpoint));
            assertEquals(ExitCodes.WRONG_REPLY, run.exitCode(), endpoint + ": " + run.err());
            assertEquals("I got your message\n", run.out(), endpoint);
            assertTrue(run.err().contains("(5 bytes)"), run.err());
        }
    }

    @Test
    void chatInEchoModeToAnAckServerIsAWrongReply() {
        for (int i = 0; i < FRAMINGS.size(); i++) {
            String endpoint = echoExpected(i);
            CliRun run = CliRun.run("hello\nnever sent\n", patient("chat", endpoint));
            assertEquals(ExitCodes.WRONG_REPLY, run.exitCode(), endpoint + ": " + run.err());
            assertEquals("", run.out(), endpoint);
            assertTrue(run.err().contains("\"I got"), run.err());
        }
    }

    @Test
    void theWrongReplyIsEscapedAndCutShort() {
        CliRun run = CliRun.run("", patient("send", odd.endpoint(0).address() + "?mode=echo", "hello"));
        assertEquals(ExitCodes.WRONG_REPLY, run.exitCode(), run.err());
        assertEquals(1, run.err().lines().count(), run.err());
        assertTrue(run.err().contains("\"odd\\tack xxx"), run.err());
        assertTrue(run.err().contains("(308 bytes)"), run.err());
        assertTrue(run.err().length() < 250, run.err());
    }

    @Test
    void overTlsToo() {
        String endpoint = tls.endpoint(0).address() + "?mode=echo";
        CliRun run = CliRun.run("", patient("send", endpoint, "hello", "--tls-ca", ca));
        assertEquals(ExitCodes.WRONG_REPLY, run.exitCode(), run.err());
        assertTrue(run.err().contains("\"I got your message\""), run.err());
    }

    @Test
    void checkExpectingAnEchoFromAnAckServerIsAWrongReply() {
        CliRun run = CliRun.run("", patient("check", acks.endpoint(0).toString(), "--expect", "echo", "-v"));
        assertEquals(ExitCodes.WRONG_REPLY, run.exitCode(), run.err());
        assertTrue(run.err().contains("\"I got your message\""), run.err());
    }

    @Test
    void aRealEchoStillPassesAlsoForALineEndingInCarriageReturn() {
        String echo = acks.endpoint(6).toString();
        CliRun run = CliRun.run("", patient("send", echo, "hello", "ends in CR\r"));
        assertEquals(ExitCodes.OK, run.exitCode(), run.err());
        assertEquals("hello\nends in CR\n", run.out(), "the server reads \"ends in CR\\r\\n\" as a line");
    }

    @Test
    void theLibraryFailsTheRequestWithInvalidReplyAndClosesTheConnection() throws Exception {
        try (EchoAckClient client = EchoAckClient.builder().mode(ReplyMode.ECHO).timeout(Duration.ofSeconds(10))
                .tls(TlsOptions.defaults().withTrustedCertificates(Path.of(ca))).ioThreads(1).build()) {
            for (Endpoint endpoint : List.of(acks.endpoint(0), acks.endpoint(4), tls.endpoint(0))) {
                try (Connection connection = client.connect(endpoint)) {
                    InvalidReplyException wrong = assertThrows(InvalidReplyException.class,
                            () -> connection.send("hello"), endpoint.toString());
                    assertEquals(FailureKind.WRONG_REPLY, wrong.kind());
                    assertEquals(endpoint.address() + " answered \"I got your message\", not the echo of the message "
                            + "sent (5 bytes)", wrong.getMessage());
                    assertThrows(ConnectionClosedException.class, () -> connection.send("next"),
                            "later replies could not be matched to their requests");
                }
            }
        }
    }

    /** {@code args} with {@link #LONG_TIMEOUT}. */
    private static String[] patient(String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("--timeout", LONG_TIMEOUT));
        return all.toArray(String[]::new);
    }
}
