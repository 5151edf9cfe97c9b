package io.echoack.client.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.echoack.client.net.ConnectionClosedException;
import io.echoack.client.net.ReplyTimeoutException;
import io.echoack.client.testing.CliRun;
import io.echoack.common.endpoint.Endpoint;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code check --idle D [--keepalive D]}: what the command line accepts and refuses (usage errors naming the flag
 * and what was typed, before any connection), and what the check says for each way a connection dies, at fixed
 * times.
 */
@Timeout(20)
class CheckIdleTest {

    /** Nothing listens there; a usage error is found before connecting. */
    private static final String NOWHERE = "tcp://127.0.0.1:1";

    @TempDir
    Path dir;

    @Test
    void idleIsAPositiveDurationOfAnyLengthAndKeepaliveWholeSeconds() {
        CommandSpec check = parse("check", NOWHERE, "--idle", "6m", "--keepalive", "60s", "--timeout", "1s");
        assertEquals(Duration.ofMinutes(6), check.findOption("--idle").getValue(), "longer than --timeout is fine");
        assertEquals(Duration.ofSeconds(60), check.findOption("--keepalive").getValue());
        assertEquals(Duration.ofSeconds(32767), parse("check", NOWHERE, "--idle", "1s", "--keepalive", "32767")
                .findOption("--keepalive").getValue());
        assertEquals(Duration.ofMillis(1500), parse("check", NOWHERE, "--idle", "1.5s").findOption("--idle").getValue());
        assertNull(parse("check", NOWHERE).findOption("--idle").getValue());
    }

    @Test
    void aBadIdleIsAUsageErrorNamingTheFlagAndTheValue() {
        assertUsage("echoack: --idle: '0' is not a positive duration", "--idle", "0");
        assertUsage("echoack: --idle: 'soon' is not a duration (expected e.g. 500ms, 2s, 1.5s, 1m)", "--idle", "soon");
    }

    @Test
    void keepaliveIsWholeSecondsFromOneTo32767() {
        assertUsage("echoack: --keepalive: '500ms' is less than 1s; TCP keepalive counts whole seconds",
                "--idle", "1s", "--keepalive", "500ms");
        assertUsage("echoack: --keepalive: '0' is less than 1s; TCP keepalive counts whole seconds",
                "--idle", "1s", "--keepalive", "0");
        assertUsage("echoack: --keepalive: '1.5s' is not a whole number of seconds; TCP keepalive counts whole "
                + "seconds", "--idle", "1s", "--keepalive", "1.5s");
        assertUsage("echoack: --keepalive: '32768s' is more than 32767s, the longest TCP keepalive time",
                "--idle", "1s", "--keepalive", "32768s");
    }

    @Test
    void keepaliveNeedsIdle() {
        assertUsage("echoack: --keepalive keeps the connection of --idle alive; give --idle DURATION too",
                "--keepalive", "60s");
    }

    @Test
    void keepaliveOnAnEndpointWithoutTcpIsAUsageErrorNamingTheFlagAndTheEndpoint() {
        for (String endpoint : List.of("udp://127.0.0.1:1", "unix://" + dir.resolve("s.sock"),
                "unixgram://" + dir.resolve("d.sock"))) {
            CliRun run = CliRun.run("", "check", endpoint, "--idle", "1s", "--keepalive", "60s");
            assertEquals(ExitCodes.USAGE, run.exitCode(), run.err());
            assertEquals("echoack: --keepalive is TCP keepalive: it works on tcp:// and tls:// only, and "
                    + Endpoint.parse(endpoint).address() + " has no TCP", run.err().strip());
        }
    }

    @Test
    void aResetWhileIdleSaysWhenAndIsExitCode5() {
        IdleCheck check = new IdleCheck(Endpoint.parse("tcp://127.0.0.1:7"), Duration.ofSeconds(30),
                Duration.ofSeconds(5), Throwable::getMessage);
        ConnectionClosedException reset = new ConnectionClosedException(Endpoint.parse("tcp://127.0.0.1:7"),
                "connection to tcp://127.0.0.1:7 failed: Connection reset by peer",
                new IOException("Connection reset by peer"));
        IdleCheck.Result result = check.closedWhileIdle(reset, 1_040_000_000L);
        assertEquals(ExitCodes.RESET, result.exitCode());
        assertEquals("the connection to tcp://127.0.0.1:7 was reset by the peer (RST) after 1.0 s idle, before the "
                + "second probe (--idle 30s)", result.message());
        result = check.secondProbeFailed(reset, 30_000_000_000L);
        assertEquals(ExitCodes.RESET, result.exitCode());
        assertEquals("the connection to tcp://127.0.0.1:7 was reset by the peer (RST) at the second probe, sent after "
                + "30.0 s idle (the peer no longer knew the connection)", result.message());
    }

    @Test
    void noReplyToTheSecondProbeIsATimeoutSayingWhenItWasSent() {
        Endpoint tcp = Endpoint.parse("tcp://nlb.example:7");
        IdleCheck.Result result = new IdleCheck(tcp, Duration.ofMinutes(6), Duration.ofSeconds(5), Throwable::getMessage)
                .secondProbeFailed(new ReplyTimeoutException(tcp, Duration.ofSeconds(5), 1), 360_000_000_000L);
        assertEquals(ExitCodes.TIMEOUT, result.exitCode());
        assertEquals("no reply to the second probe within 5s (--timeout), sent to tcp://nlb.example:7 after 360.0 s "
                + "idle: the connection was dropped silently, as a balancer or NAT that forgot an idle flow does",
                result.message());
        Endpoint udp = Endpoint.parse("udp://nat.example:7");
        result = new IdleCheck(udp, Duration.ofMinutes(2), Duration.ofSeconds(1), Throwable::getMessage)
                .secondProbeFailed(new ReplyTimeoutException(udp, Duration.ofSeconds(1), 3), 120_000_000_000L);
        assertEquals(ExitCodes.TIMEOUT, result.exitCode());
        assertEquals("no reply to the second probe within 1s (--timeout, 3 attempts), sent to udp://nat.example:7 "
                + "after 120.0 s idle: the reply no longer finds its way back, as when a NAT or balancer forgot the "
                + "flow", result.message());
    }

    @Test
    void aCloseSeenJustBeforeTheFirstReplyWasTimedIsZeroSecondsIdle() {
        assertEquals("0.0 s", IdleCheck.seconds(-2_000_000L));
        assertEquals("1.5 s", IdleCheck.seconds(1_450_000_000L));
    }

    private static void assertUsage(String line, String... options) {
        String[] args = new String[options.length + 2];
        args[0] = "check";
        args[1] = NOWHERE;
        System.arraycopy(options, 0, args, 2, options.length);
        CliRun run = CliRun.run("", args);
        assertEquals(ExitCodes.USAGE, run.exitCode(), run.err());
        assertEquals(line, run.err().strip());
        assertEquals("", run.out());
    }

    private static CommandSpec parse(String... args) {
        return new EchoAckCli(new ByteArrayInputStream(new byte[0]), OutputStream.nullOutputStream(), false)
                .newCommandLine().parseArgs(args).subcommand().commandSpec();
    }
}
