package io.echoack.client.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.echoack.client.testing.CliRun;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Everything the CLI decides before touching the network: help, version, and usage errors (exit 2). */
@Timeout(20)
class CliUsageTest {

    @Test
    void helpListsTheCommandsAndExitCodes() {
        CliRun run = CliRun.run("", "--help");
        assertEquals(ExitCodes.OK, run.exitCode());
        assertTrue(run.out().contains("send"), run.out());
        assertTrue(run.out().contains("chat"), run.out());
        assertTrue(run.out().contains("check"), run.out());
        assertTrue(run.out().contains("bench"), run.out());
        assertTrue(run.out().contains("merge"), run.out());
        assertTrue(run.out().contains("Exit codes:"), run.out());
        assertTrue(run.out().contains("usage error"), run.out());
    }

    @Test
    void helpDocumentsEveryExitCode() {
        for (String command : new String[] {"send", "chat", "check", "bench"}) {
            String help = CliRun.run("", command, "--help").out();
            for (String code : new String[] {"0", "1", "2", "3", "4", "5", "6", "7", "8"}) {
                assertTrue(help.matches("(?s).*\\R  +" + code + "   +\\S.*"), command + " exit code " + code + ":\n" + help);
            }
            assertTrue(help.contains("connection refused"), help);
            assertTrue(help.contains("wrong reply"), help);
        }
    }

    @Test
    void everySubcommandHasHelpAndVersion() {
        for (String command : new String[] {"send", "chat", "check", "bench"}) {
            CliRun help = CliRun.run("", command, "--help");
            assertEquals(ExitCodes.OK, help.exitCode(), command);
            assertTrue(help.out().contains("Exit codes:"), help.out());
            assertTrue(help.out().contains("--timeout"), help.out());
            CliRun version = CliRun.run("", command, "--version");
            assertEquals(ExitCodes.OK, version.exitCode(), command);
            assertTrue(version.out().startsWith("echoack "), version.out());
        }
        assertTrue(CliRun.run("", "send", "--help").out().contains("echoack send [OPTIONS] HOST PORT [MESSAGE...]"));
    }

    @Test
    void mergeHasHelpVersionAndItsExitCodes() {
        CliRun help = CliRun.run("", "merge", "--help");
        assertEquals(ExitCodes.OK, help.exitCode());
        for (String code : new String[] {"0", "1", "2", "3", "4", "5", "6", "7", "8"}) {
            assertTrue(help.out().matches("(?s).*\\R  +" + code + "   +\\S.*"), "exit code " + code + ":\n" + help.out());
        }
        assertTrue(help.out().contains("echoack merge [OPTIONS] FILE..."), help.out());
        assertTrue(CliRun.run("", "merge", "--version").out().startsWith("echoack "));
    }

    @Test
    void versionNamesEchoackNettyAndJava() {
        CliRun run = CliRun.run("", "--version");
        assertEquals(ExitCodes.OK, run.exitCode());
        assertTrue(run.out().matches("(?s)echoack \\d.*\\RNetty 4\\.2\\..*Java .*"), run.out());
    }

    @Test
    void commandLinesPicocliCannotReadPointAtHelpAndExit2() {
        assertUsageError(CliRun.run(""), "missing command", "echoack --help");
        assertUsageError(CliRun.run("", "send"), "Missing required parameter", "echoack send --help");
        assertUsageError(CliRun.run("", "send", "tcp://h:7", "--bogus"), "Unknown option: '--bogus'",
                "echoack send --help");
        assertUsageError(CliRun.run("", "frobnicate"), "Unmatched argument", "echoack --help");
    }

    @Test
    void badValuesAreOneLineAndExit2() {
        assertBadValue(CliRun.run("", "send", "nowhere"), "echoack: 'nowhere' is not an endpoint");
        assertBadValue(CliRun.run("", "send", "ftp://h:7", "x"), "unknown scheme 'ftp'");
        assertBadValue(CliRun.run("", "send", "tcp://h:7", "--timeout", "soon"),
                "echoack: --timeout: 'soon' is not a duration");
        assertBadValue(CliRun.run("", "send", "tcp://h:7", "--mode", "shout"), "echoack: --mode: unknown mode 'shout'");
        assertBadValue(CliRun.run("", "send", "tcp://h:7", "--retries", "-1"), "echoack: --retries: must be >= 0");
        assertBadValue(CliRun.run("", "chat", "tcp://h:7", "hello"), "chat reads its messages from standard input");
        assertBadValue(CliRun.run("", "check", "tcp://h:7", "extra"), "check sends its own probe");
        assertBadValue(CliRun.run("", "info", "tcp://h:7", "extra"),
                "echoack: info sends its own probe; unexpected argument 'extra'");
    }

    @Test
    void benchHelpListsItsOptions() {
        String help = CliRun.run("", "bench", "--help").out();
        for (String option : new String[] {"--connections", "--size", "--payload", "--pipeline", "--rate",
                "--duration", "--count", "--warmup", "--expect", "--connect-per-message", "--threads", "--json",
                "--timeout", "--mode", "--framing", "--transport"}) {
            assertTrue(help.contains(option), option + ":\n" + help);
        }
        assertTrue(help.contains("echoack bench [OPTIONS] ENDPOINT"), help);
        assertTrue(help.contains("lost counts as timeout"), help);
        assertTrue(help.matches("(?s).*\\R  +130 +interrupted by SIGINT.*\\R  +143 +interrupted by SIGTERM.*"), help);
    }

    @Test
    void benchUsageErrorsExit2() {
        assertUsageError(CliRun.run("", "bench"), "Missing required parameter", "echoack bench --help");
        assertBadValue(CliRun.run("", "bench", "tcp://h:7", "--count", "5", "--duration", "1s"),
                "give either --duration or --count, not both");
        assertBadValue(CliRun.run("", "bench", "tcp://h:7", "--count", "0"), "--count must be >= 1");
        assertBadValue(CliRun.run("", "bench", "udp://h:7", "--connect-per-message"),
                "--connect-per-message needs a stream endpoint");
        assertBadValue(CliRun.run("", "bench", "udp://h:7?mode=echo", "--size", "4"),
                "each one carries its sequence number");
        assertBadValue(CliRun.run("", "bench", "tcp://h:7", "--rate", "0"), "--rate must be > 0");
        assertBadValue(CliRun.run("", "bench", "tcp://h:7", "--warmup", "-1s"), "negative duration");
        assertBadValue(CliRun.run("", "bench", "tcp://h:7", "--pipeline", "0"), "--pipeline must be 1..");
        assertBadValue(CliRun.run("", "bench", "tcp://h:7", "--payload", "zeros"),
                "unknown payload 'zeros' (expected pattern or random)");
        assertBadValue(CliRun.run("", "bench", "tcp://h:7", "hello"), "bench sends its own messages");
        CliRun nio = CliRun.run("", "bench", "unixgram:///tmp/echoack-none.sock", "--transport", "nio", "-n", "1");
        assertEquals(ExitCodes.USAGE, nio.exitCode());
        assertTrue(nio.err().contains("the nio transport has no Unix datagram sockets"), nio.err());
    }

    /** Exit 2, nothing on stdout, and one line on stderr that starts {@code echoack: } and says {@code message}. */
    private static void assertBadValue(CliRun run, String message) {
        assertEquals(ExitCodes.USAGE, run.exitCode(), run.err());
        assertEquals("", run.out());
        assertEquals(1, run.err().lines().count(), "one line: " + run.err());
        assertTrue(run.err().startsWith("echoack: "), run.err());
        assertTrue(run.err().contains(message), run.err());
    }

    private static void assertUsageError(CliRun run, String message, String helpHint) {
        assertEquals(ExitCodes.USAGE, run.exitCode(), run.err());
        assertEquals("", run.out());
        assertTrue(run.err().startsWith("echoack: "), run.err());
        assertTrue(run.err().contains(message), run.err());
        assertTrue(run.err().contains("Try '" + helpHint + "' for more information."), run.err());
        assertTrue(run.err().lines().count() <= 4, "short: " + run.err());
    }

    @Test
    void anEndpointTheTransportCannotServeIsAUsageError() {
        CliRun run = CliRun.run("", "send", "unixgram:///tmp/echoack-none.sock", "hi", "--transport", "nio");
        assertEquals(ExitCodes.USAGE, run.exitCode());
        assertTrue(run.err().contains("the nio transport has no Unix datagram sockets"), run.err());
    }

    @Test
    void thePlainCommandLineKeepsTheExitCodes() {
        assertEquals(ExitCodes.USAGE, CliRun.runPlain("", "send", "nowhere").exitCode());
        assertEquals(ExitCodes.USAGE, CliRun.runPlain("", "send", "unixgram:///tmp/x.sock", "hi", "--transport",
                "nio").exitCode());
    }
}
