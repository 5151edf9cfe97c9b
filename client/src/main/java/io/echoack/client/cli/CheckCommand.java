package io.echoack.client.cli;

import io.echoack.cli.SettingsHelp;
import io.echoack.client.net.AckTexts;
import io.echoack.client.net.EchoAckClient;
import io.echoack.client.net.EchoAckClientException;
import io.echoack.client.net.ReplyText;
import io.echoack.common.codec.ReplyMode;
import io.echoack.common.endpoint.Endpoint;
import io.echoack.common.text.Durations;
import io.echoack.common.tls.TlsProviderUnavailableException;
import io.echoack.common.transport.TransportUnavailableException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code echoack check}: a health probe for Docker, Kubernetes and CI. Sends one probe message
 * ({@code echoack-check <nonce>}) and exits 0 when the expected reply comes back, else with the code of the
 * failure's kind ({@link ExitCodes}: 3 timeout, 4 refused, 8 wrong reply...); silent unless
 * {@code --verbose}, since the exit code says it all. With {@code --idle} it sends a second probe on the same
 * connection after a silence, to prove that the path keeps idle connections ({@link IdleCheck}).
 */
@Command(name = "check",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        defaultValueProvider = ClientDefaults.class,
        usageHelpWidth = SettingsHelp.WIDTH,
        description = {"Sends one probe message and exits 0 if the expected reply arrives; otherwise the exit "
                + "code says why (timeout, refused, reset, resolve, wrong reply...). Prints nothing unless "
                + "--verbose."},
        customSynopsis = {"echoack check [OPTIONS] ENDPOINT [--expect ack|echo|TEXT] [--idle DURATION "
                + "[--keepalive DURATION]]"},
        footerHeading = "%nExamples:%n",
        footer = {"  echoack check tcp://127.0.0.1:51717 --expect ack",
                "  echoack check 'udp://127.0.0.1:7?mode=echo' --expect echo -v",
                "  echoack check tcp://nlb.example:7 --idle 6m --keepalive 60s -v",
                "  HEALTHCHECK CMD echoack check unix:///run/echoack.sock --timeout 1s"},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:the expected reply arrived", ExitCodes.FAILURE_HELP, ExitCodes.USAGE_HELP,
                ExitCodes.TIMEOUT_HELP, ExitCodes.REFUSED_HELP, ExitCodes.RESET_HELP, ExitCodes.RESOLVE_HELP,
                ExitCodes.TLS_HELP, ExitCodes.WRONG_REPLY_HELP})
final class CheckCommand implements Callable<Integer> {

    /** Every probe starts with this, followed by a random nonce. */
    static final String PROBE_PREFIX = "echoack-check ";

    private static final SecureRandom NONCES = new SecureRandom();

    @Parameters(arity = "1..2", paramLabel = "ENDPOINT",
            description = "Where to probe: ENDPOINT, or HOST PORT for TCP.")
    List<String> arguments;

    @Option(names = "--expect", paramLabel = "ack|echo|TEXT",
            description = {"What counts as healthy: 'ack' (the default ack text of the endpoint kind: "
                    + "\"" + AckTexts.STREAM + "\" on streams, \"" + AckTexts.DATAGRAM + "\" on datagrams), "
                    + "'echo' (the probe itself), or any other TEXT (exactly that reply).",
                    "Default: any reply."})
    String expect;

    @Option(names = {"-v", "--verbose"}, description = "Print the outcome (success on stdout, failure on stderr).")
    boolean verbose;

    @Option(names = "--idle", paramLabel = "DURATION", converter = DurationConverter.class,
            description = {"Does the path keep an idle connection? After the first probe's reply, stay silent this "
                    + "long on the same connection, then send a second probe: exit 0 if it is answered, else the "
                    + "code of where the connection died (5 closed or reset while idle or at the second probe, 3 no "
                    + "reply: dropped silently). --timeout is for each probe's reply, not for the wait, so DURATION "
                    + "may be longer. On udp:// and unixgram:// the two probes go from one local port, DURATION "
                    + "apart."})
    Duration idle;

    @Option(names = "--keepalive", paramLabel = "DURATION", converter = WholeSecondsConverter.class,
            description = {"With --idle, tcp:// and tls:// only: turn TCP keepalive on, a probe after DURATION idle "
                    + "and every DURATION after that (whole seconds), so that a balancer or NAT that drops idle "
                    + "flows keeps this one."})
    Duration keepalive;

    @Mixin
    ClientOptionsMixin options;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        Endpoint endpoint = Target.parseEndpointOnly(arguments, spec.commandLine(), "check sends its own probe");
        checkKeepalive(endpoint);
        Expectation expectation = Expectation.of(expect, endpoint);
        EchoAckClient.Builder builder = options.clientBuilder(spec.commandLine()).keepalive(keepalive);
        if (verbose) {
            options.connection.tls.warn(spec.commandLine(), endpoint);
        }
        expectation.configure(builder, options);
        if (idle != null) {
            return idleCheck(builder, endpoint, expectation);
        }
        String probe = newProbe();
        byte[] probeBytes = probe.getBytes(StandardCharsets.US_ASCII);
        Exchange exchange;
        try {
            exchange = Exchange.once(builder, endpoint, probeBytes);
        } catch (EchoAckClientException e) {
            return fail(Failures.message(spec.commandLine(), e), ExitCodes.of(e.kind()));
        } catch (TransportUnavailableException | TlsProviderUnavailableException | IllegalArgumentException e) {
            return Failures.report(spec.commandLine(), e);
        }
        byte[] reply = Replies.withoutLineEnd(exchange.reply());
        double millis = exchange.nanos() / 1e6;
        if (!expectation.matches(reply, probeBytes)) {
            return fail("unexpected reply from " + endpoint.address() + ": " + ReplyText.quote(reply)
                    + " (expected " + expectation.describe(probe) + ")", ExitCodes.WRONG_REPLY);
        }
        if (verbose) {
            PrintWriter out = spec.commandLine().getOut();
            out.printf("ok: %s answered %s in %.1f ms%n", endpoint.address(), ReplyText.quote(reply), millis);
            out.flush();
        }
        return ExitCodes.OK;
    }

    /** {@code --keepalive} needs {@code --idle} and TCP; usage errors naming the flag (and the endpoint). */
    private void checkKeepalive(Endpoint endpoint) {
        if (keepalive == null) {
            return;
        }
        if (idle == null) {
            throw new ParameterException(spec.commandLine(), "--keepalive keeps the connection of --idle alive; "
                    + "give --idle DURATION too");
        }
        if (endpoint.kind().isDatagram() || endpoint.kind().isUnixDomain()) {
            throw new ParameterException(spec.commandLine(), "--keepalive is TCP keepalive: it works on tcp:// and "
                    + "tls:// only, and " + endpoint.address() + " has no TCP");
        }
    }

    /** {@code --idle}: two probes on one connection, {@link #idle} apart ({@link IdleCheck}). */
    private int idleCheck(EchoAckClient.Builder builder, Endpoint endpoint, Expectation expectation) {
        String first = newProbe();
        String second = newProbe();
        IdleCheck check = new IdleCheck(endpoint, idle, builder.options().timeout(),
                failure -> Failures.message(spec.commandLine(), failure));
        IdleCheck.ReplyJudge judge = (probe, reply) -> {
            byte[] payload = Replies.withoutLineEnd(reply);
            return expectation.matches(payload, probe) ? null : "unexpected reply from " + endpoint.address() + ": "
                    + ReplyText.quote(payload) + " (expected "
                    + expectation.describe(new String(probe, StandardCharsets.US_ASCII)) + ")";
        };
        IdleCheck.Result result;
        try {
            result = check.run(builder, first.getBytes(StandardCharsets.US_ASCII),
                    second.getBytes(StandardCharsets.US_ASCII), judge, this::progress);
        } catch (EchoAckClientException e) {
            return fail(Failures.message(spec.commandLine(), e), ExitCodes.of(e.kind()));
        } catch (TransportUnavailableException | TlsProviderUnavailableException | IllegalArgumentException e) {
            return Failures.report(spec.commandLine(), e);
        }
        if (!result.ok()) {
            return fail(result.message(), result.exitCode());
        }
        if (verbose) {
            PrintWriter out = spec.commandLine().getOut();
            out.println("ok: " + result.message());
            out.flush();
        }
        return ExitCodes.OK;
    }

    /** With {@code -v}, a line on stderr while the check waits. */
    private void progress(String line) {
        if (verbose) {
            PrintWriter err = spec.commandLine().getErr();
            err.println("echoack: check: " + line + (keepalive == null ? ""
                    : " (TCP keepalive every " + Durations.format(keepalive) + ")"));
            err.flush();
        }
    }

    private static String newProbe() {
        return PROBE_PREFIX + HexFormat.of().formatHex(nonce());
    }

    private int fail(String why, int exitCode) {
        if (verbose) {
            PrintWriter err = spec.commandLine().getErr();
            err.println("echoack: check failed: " + why);
            err.flush();
        }
        return exitCode;
    }

    private static byte[] nonce() {
        byte[] nonce = new byte[6];
        NONCES.nextBytes(nonce);
        return nonce;
    }

    /** What {@code --expect} asked for. */
    private record Expectation(Kind kind, String text) {

        enum Kind { ANY, ACK, ECHO, TEXT }

        static Expectation of(String expect, Endpoint endpoint) {
            if (expect == null) {
                return new Expectation(Kind.ANY, null);
            }
            return switch (expect) {
                case "ack" -> new Expectation(Kind.ACK, AckTexts.defaultFor(endpoint.kind()));
                case "echo" -> new Expectation(Kind.ECHO, null);
                default -> new Expectation(Kind.TEXT, expect);
            };
        }

        /** Tells the client where a reply ends (raw framing) and what the server is expected to do. */
        void configure(EchoAckClient.Builder builder, ClientOptionsMixin options) {
            switch (kind) {
                case ECHO -> {
                    if (options.connection.mode == null) {
                        builder.mode(ReplyMode.ECHO);
                    }
                }
                case ACK, TEXT -> builder.ackText(text);
                case ANY -> { }
            }
        }

        boolean matches(byte[] reply, byte[] probe) {
            return switch (kind) {
                case ANY -> true;
                case ECHO -> Arrays.equals(reply, probe);
                case ACK, TEXT -> Arrays.equals(reply, text.getBytes(StandardCharsets.UTF_8));
            };
        }

        String describe(String probe) {
            return switch (kind) {
                case ANY -> "any reply";
                case ECHO -> "the probe echoed: \"" + probe + "\"";
                case ACK -> "the ack \"" + text + "\"";
                case TEXT -> "\"" + text + "\"";
            };
        }
    }
}
