package io.echoack.client.cli;

import io.echoack.cli.SettingsHelp;
import io.echoack.client.bench.BenchConfig;
import io.echoack.client.bench.BenchReport;
import io.echoack.client.bench.BenchResult;
import io.echoack.client.bench.BenchRunner;
import io.echoack.client.bench.Counter;
import io.echoack.client.bench.PayloadKind;
import io.echoack.client.bench.Reuse;
import io.echoack.client.bench.StartAt;
import io.echoack.common.endpoint.Endpoint;
import io.echoack.common.tls.TlsProviderUnavailableException;
import io.echoack.common.transport.TransportUnavailableException;
import io.netty.util.ResourceLeakDetector;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.TypeConversionException;

/**
 * {@code echoack bench}: a load generator and latency meter for any echo or ack server. Progress goes to
 * stderr once a second, the final table to stdout, and {@code --json} writes the same for machines. The
 * exit code is 0 when nothing failed, 8 after a wrong reply (which stops the run), else the code of the most
 * frequent failure kind.
 */
@Command(name = "bench",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        defaultValueProvider = ClientDefaults.class,
        usageHelpWidth = SettingsHelp.WIDTH,
        sortOptions = false,
        description = {"Measures throughput and latency of an echo or ack server: keeps --connections "
                + "connections (UDP: flows) busy with --pipeline messages each (closed loop), or sends at --rate "
                + "messages/s (open loop, latency from the intended send time), for --duration or --count "
                + "messages after a --warmup. Every reply is checked; timeouts, losses, wrong replies and "
                + "refused, reset or closed connections are counted and reported.",
                "Progress each second on stderr; a table at the end on stdout; --json for machines."},
        customSynopsis = {"echoack bench [OPTIONS] ENDPOINT", "echoack bench [OPTIONS] HOST PORT"},
        footerHeading = "%nExamples:%n",
        footer = {"  echoack bench tcp://127.0.0.1:7007 --connections 64 --duration 5s",
                "  echoack bench 'udp://127.0.0.1:7007?mode=echo' -c 4 -p 16 --timeout 200ms",
                "  echoack bench tcp://127.0.0.1:51717 --rate 20000 --count 100000 --json -",
                "  echoack bench unix:///tmp/echoack.sock --connect-per-message -c 8",
                "  echoack bench tls://localhost:8443 -c 16 --tls-ca ca.pem   # handshakes first, then measures",
                "  echoack bench 'tcp://lb:51717?mode=info' --connect-per-message -n 300 --count-by host",
                "  echoack bench tcp://lb:51717 -c 32 --reuse 100:1000 --connect-rate 500   # churn",
                "  echoack bench tcp://lb:51717 -c 8 --start-at +30s --json -   # begin with the others",
                "",
                "Errors: timeout, refused, reset (RST), closed (FIN), resolve, tls, mismatch",
                "(wrong reply), lost (datagrams) and other fail a run; reordered, duplicate and",
                "late datagram replies are reported but do not. The first wrong reply stops the",
                "run and is shown (exit code 8). Otherwise the exit code is 0 without errors,",
                "else the code of the most frequent failure kind (lost counts as timeout, reset",
                "and closed both as reset)."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:no errors", ExitCodes.FAILURE_HELP, ExitCodes.USAGE_HELP,
                "3:timeout: replies or connections too late; datagrams lost",
                ExitCodes.REFUSED_HELP, ExitCodes.RESET_HELP, ExitCodes.RESOLVE_HELP, ExitCodes.TLS_HELP,
                "8:wrong reply: not the expected one, or malformed; the first stops the run",
                "130:interrupted by SIGINT (Ctrl-C): what was measured is still reported",
                "143:interrupted by SIGTERM (129: SIGHUP), reported as well"})
final class BenchCommand implements Callable<Integer> {

    @Parameters(arity = "1..2", paramLabel = "ENDPOINT", description = "Where to send: ENDPOINT, or HOST PORT for TCP.")
    List<String> arguments;

    @Option(names = {"-c", "--connections"}, paramLabel = "N",
            description = "Connections (UDP and Unix datagram: flows, one socket each; --connect-per-message: "
                    + "concurrent workers).")
    int connections;

    @Option(names = {"-s", "--size"}, paramLabel = "BYTES",
            description = "Payload bytes per message, framing excluded.")
    int size;

    @Option(names = "--payload", paramLabel = "KIND", converter = PayloadConverter.class,
            description = "pattern (fixed printable bytes) or random (drawn once per run; printable with line "
                    + "framing).")
    PayloadKind payload;

    @Option(names = {"-p", "--pipeline"}, paramLabel = "K", description = "Messages in flight per connection.")
    int pipeline;

    @Option(names = {"-r", "--rate"}, paramLabel = "R",
            description = "Messages per second in all, spread over the connections: an open loop, with latency "
                    + "measured from each message's intended send time (corrects coordinated omission).")
    Double rate;

    @Option(names = {"-d", "--duration"}, paramLabel = "DURATION", converter = DurationConverter.class,
            description = "How long to measure, e.g. 30s, 2m.")
    Duration duration;

    @Option(names = {"-n", "--count"}, paramLabel = "N",
            description = "Measure this many messages in all, instead of a duration.")
    Long count;

    @Option(names = "--warmup", paramLabel = "DURATION", converter = DurationConverter.NonNegative.class,
            description = "Run the same load this long first, unmeasured; 0 for none.")
    Duration warmup;

    @Option(names = "--expect", paramLabel = "echo|ack|TEXT",
            description = {"What every reply must be: 'echo' (the message itself), 'ack' (the default ack of "
                    + "the endpoint kind), 'info' (an identity reply), or TEXT. Default: echo in echo mode, "
                    + "info in info mode, ack when --mode ack (or ?mode=ack) is given, else any reply counts."})
    String expect;

    @Option(names = "--connect-per-message",
            description = "Connect, send, read the reply and close for every message, as the sockets "
                    + "tutorial's client does: measures connection rate; latency includes the connect. "
                    + "Streams only.")
    boolean connectPerMessage;

    @Option(names = "--reuse", paramLabel = "MIN:MAX", converter = ReuseConverter.class,
            description = "Connection churn: each connection carries a random number of messages in MIN..MAX "
                    + "(uniform), then is closed and replaced by a new one (streams only; --connect-per-message is "
                    + "1:1). Connect and TLS handshake times get their own rows.")
    Reuse reuse;

    @Option(names = "--connect-rate", paramLabel = "R",
            description = "At most R new connections per second, over the whole run (the first connections, "
                    + "--reuse and --connect-per-message); streams only.")
    Double connectRate;

    @Option(names = "--start-at", paramLabel = "TIME", converter = StartAtConverter.class,
            description = "Connect, then wait until TIME to begin the warm-up: an ISO-8601 instant "
                    + "(2026-12-06T15:00:00Z, or with an offset) or +DURATION from now (+30s); within 24h. "
                    + "Clients started anywhere begin together; one that is ready only after TIME begins at once "
                    + "and says how late it is.")
    Instant startAt;

    @Option(names = "--threads", paramLabel = "N", description = "Event-loop threads.")
    Integer threads;

    @Option(names = "--count-by", paramLabel = "KEY",
            description = "Info mode: count the replies by their value of KEY (e.g. host, pod) and show the "
                    + "distribution: how a load balancer spread the messages (with --connect-per-message: the "
                    + "connections) over its backends.")
    String countBy;

    @Option(names = "--json", paramLabel = "FILE",
            description = "Also write the result as JSON to FILE; '-' writes it to stdout (the table then goes "
                    + "to stderr).")
    String json;

    @Option(names = "--label", paramLabel = "TEXT",
            description = "A short name for this client in the JSON, for 'echoack merge' to show results of many "
                    + "clients by (without it: the host name).")
    String label;

    @Option(names = {"-q", "--quiet"}, description = "No progress lines.")
    boolean quiet;

    @Mixin
    ConnectionOptionsMixin connection;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        Endpoint endpoint = Target.parseEndpointOnly(arguments, spec.commandLine(), "bench sends its own messages");
        BenchConfig config = config(endpoint);
        connection.tls.warn(spec.commandLine(), endpoint);
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        leakDetectionLevel(System::getProperty).ifPresent(ResourceLeakDetector::setLevel);
        Function<String, String> names = Failures.settingNames(spec.commandLine());
        BenchRunner runner = new BenchRunner(config, quiet ? null : progress -> {
            err.println(BenchReport.progressLine(progress));
            err.flush();
        }, notice -> {
            err.println("echoack: bench: " + notice.render(names));
            err.flush();
        });
        try (InterruptSignals signals = InterruptSignals.install(runner::stop)) {
            BenchResult result = runner.run();
            // One exit code, decided once, for the report and the process: a signal after this is ignored.
            Optional<InterruptSignals.Received> interrupted = signals.received();
            int exitCode = interrupted.map(InterruptSignals.Received::exitCode)
                    .orElseGet(() -> result.failureKind().map(ExitCodes::of).orElse(ExitCodes.OK));
            boolean jsonToStdout = "-".equals(json);
            PrintWriter tableOut = jsonToStdout ? err : out;
            Function<String, String> settingNames = Failures.settingNames(spec.commandLine());
            tableOut.print(BenchReport.table(result, settingNames));
            tableOut.flush();
            if (json != null) {
                String document = BenchReport.json(result, exitCode, settingNames);
                if (jsonToStdout) {
                    out.print(document);
                    out.flush();
                } else {
                    Files.writeString(Path.of(json), document, StandardCharsets.UTF_8);
                }
            }
            if (result.errors() + result.warmupErrors() > 0) {
                err.println("echoack: bench: " + summary(result)
                        + (interrupted.isPresent() ? "" : "; exit code " + exitCode));
                BenchReport.closedAfterAccept(result)
                        .ifPresent(text -> err.println("echoack: bench: " + text.render(settingNames)));
                if (result.wrongReply() != null) {
                    err.println("echoack: bench: first wrong reply: " + result.wrongReply().render(settingNames)
                            + "; expected " + config.expect().describe());
                }
            }
            interrupted.ifPresent(signal ->
                    err.println("echoack: bench: interrupted by " + signal.name() + "; exit code " + exitCode));
            err.flush();
            return exitCode;
        } catch (TransportUnavailableException | TlsProviderUnavailableException | IllegalArgumentException e) {
            return Failures.report(spec.commandLine(), e);
        } catch (IOException e) {
            err.println("echoack: cannot write " + json + ": " + e.getMessage());
            err.flush();
            return ExitCodes.FAILURE;
        }
    }

    /** The run's configuration from the parsed options (package-private: the deployment tests check theirs). */
    BenchConfig config(Endpoint endpoint) {
        BenchConfig.Builder builder = BenchConfig.builder(endpoint)
                .transport(connection.transport)
                .mode(connection.mode)
                .framing(connection.framing)
                .expect(expect)
                .connections(connections)
                .size(size)
                .payload(payload)
                .pipeline(pipeline)
                .duration(duration)
                .warmup(warmup)
                .timeout(connection.timeout)
                .connectPerMessage(connectPerMessage)
                .maxFrameLength(connection.maxFrameLength)
                .countBy(countBy)
                .label(label)
                .tls(connection.tls.options(spec.commandLine()))
                .proxyHeader(connection.proxy.header(spec.commandLine()).orElse(null))
                .reuse(reuse)
                .startAt(startAt);
        if (threads != null) {
            builder.threads(threads);
        }
        if (rate != null) {
            if (!(rate > 0)) {
                throw new ParameterException(spec.commandLine(), "--rate must be > 0, was " + rate);
            }
            builder.rate(rate);
        }
        if (count != null) {
            builder.count(count);
        }
        if (connectRate != null) {
            if (!(connectRate > 0)) {
                throw new ParameterException(spec.commandLine(), "--connect-rate must be > 0, was " + connectRate);
            }
            builder.connectRate(connectRate);
        }
        try {
            return builder.build();
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), Failures.message(spec.commandLine(), e));
        }
    }

    /**
     * The leak detection level a bench run sets: off, unless the JVM was started with Netty's property
     * ({@code -Dio.netty.leakDetection.level}, or its old name), which then stands. Netty's default samples one
     * buffer in 128 and records where it was allocated (a stack trace): with a buffer read and one written per
     * message, that was about 5% of the load generator's CPU per message, i.e. of what a user measures. The tests
     * run with the property set to paranoid, so the handlers stay checked for leaks.
     */
    static Optional<ResourceLeakDetector.Level> leakDetectionLevel(UnaryOperator<String> systemProperty) {
        boolean set = systemProperty.apply("io.netty.leakDetection.level") != null
                || systemProperty.apply("io.netty.leakDetectionLevel") != null;
        return set ? Optional.empty() : Optional.of(ResourceLeakDetector.Level.DISABLED);
    }

    /** E.g. {@code 50 errors (mismatch 50)}, warm-up included. */
    private static String summary(BenchResult result) {
        List<String> parts = new ArrayList<>();
        for (Counter counter : Counter.values()) {
            long n = result.count(counter) + result.warmupCount(counter);
            if (counter.isFailure() && n > 0) {
                parts.add(counter.id() + " " + n);
            }
        }
        long errors = result.errors() + result.warmupErrors();
        return errors + (errors == 1 ? " error (" : " errors (") + String.join(", ", parts) + ") against "
                + result.config().endpoint().address();
    }

    /** Reads {@code --reuse MIN:MAX}. */
    static final class ReuseConverter implements ITypeConverter<Reuse> {
        @Override
        public Reuse convert(String value) {
            try {
                return Reuse.parse(value);
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException(e.getMessage());
            }
        }
    }

    /** Reads {@code --start-at TIME} on the wall clock of the moment: a relative TIME starts from now. */
    static final class StartAtConverter implements ITypeConverter<Instant> {
        @Override
        public Instant convert(String value) {
            try {
                return StartAt.parse(value, Instant.now());
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException(e.getMessage());
            }
        }
    }

    static final class PayloadConverter implements ITypeConverter<PayloadKind> {
        @Override
        public PayloadKind convert(String value) {
            try {
                return PayloadKind.parse(value);
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException(e.getMessage());
            }
        }
    }
}
