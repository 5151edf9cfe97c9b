package io.echoack.client.cli;

import static io.echoack.common.text.FieldMessage.field;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.echoack.cli.Setting;
import io.echoack.cli.testing.CommandRun;
import io.echoack.cli.testing.SettingsAssertions;
import io.echoack.client.bench.BenchConfig;
import io.echoack.client.bench.BenchReport;
import io.echoack.client.bench.BenchResult;
import io.echoack.client.bench.Counter;
import io.echoack.client.bench.StopReason;
import io.echoack.client.bench.PayloadKind;
import io.echoack.client.net.ClientOptions;
import io.echoack.client.net.ProxyHeader;
import io.echoack.client.net.TlsOptions;
import io.echoack.common.endpoint.Endpoint;
import io.echoack.common.text.FieldMessage;
import io.echoack.common.testing.TestPki;
import io.echoack.common.tls.TlsProvider;
import io.echoack.common.tls.TlsProviderUnavailableException;
import io.echoack.common.transport.Transport;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * Every option of every echoack command, by flag and (where it has one) by environment variable: where its value
 * comes from, and that a bad value is one line naming what the user gave (the flag, or the variable), exit 2.
 */
@Timeout(60)
class ClientSettingsTest {

    private static final List<String> COMMANDS = List.of("send", "chat", "check", "bench", "merge");

    @TempDir
    static Path dir;

    static TestPki pki;
    static Path garbage;
    static Path missing;

    @BeforeAll
    static void files() throws Exception {
        pki = TestPki.create(dir.resolve("pki"));
        garbage = dir.resolve("garbage.pem");
        Files.writeString(garbage, "not PEM at all\n");
        missing = dir.resolve("missing.pem");
    }

    /** A value the option refuses, the endpoint to try it with, and the other flags it needs to be read. */
    record Bad(String value, String endpoint, List<String> context) {
        Bad(String value, String... context) {
            this(value, "tcp://127.0.0.1:1", List.of(context));
        }

        static Bad overTls(String value, String... context) {
            return new Bad(value, "tls://127.0.0.1:1", List.of(context));
        }
    }

    /** One bad value per option; the options without one are in {@link #ANY_VALUE}, with the reason. */
    static Map<ClientSetting, Bad> badValues() {
        Map<ClientSetting, Bad> bad = new EnumMap<>(ClientSetting.class);
        bad.put(ClientSetting.TIMEOUT, new Bad("soon"));
        bad.put(ClientSetting.RETRIES, new Bad("-1"));
        bad.put(ClientSetting.MODE, new Bad("shout"));
        bad.put(ClientSetting.FRAMING, new Bad("zigzag"));
        bad.put(ClientSetting.TRANSPORT, new Bad("pigeon"));
        bad.put(ClientSetting.MAX_FRAME, new Bad("0"));
        bad.put(ClientSetting.TLS_CA, Bad.overTls(missing.toString()));
        bad.put(ClientSetting.TLS_CERT, Bad.overTls(missing.toString(), "--tls-key", pki.clientKey().toString()));
        bad.put(ClientSetting.TLS_KEY, Bad.overTls(garbage.toString(), "--tls-cert", pki.clientCert().toString()));
        bad.put(ClientSetting.INSECURE, new Bad("maybe"));
        bad.put(ClientSetting.TLS_SERVER_NAME, new Bad("not a name"));
        bad.put(ClientSetting.TLS_PROVIDER, new Bad("nss"));
        bad.put(ClientSetting.EXPECT, new Bad(""));
        bad.put(ClientSetting.VERBOSE, new Bad("maybe"));
        bad.put(ClientSetting.IDLE, new Bad("0"));
        bad.put(ClientSetting.KEEPALIVE, new Bad("500ms", "--idle", "1s"));
        bad.put(ClientSetting.CONNECTIONS, new Bad("0"));
        bad.put(ClientSetting.SIZE, new Bad("0"));
        bad.put(ClientSetting.PAYLOAD, new Bad("zeros"));
        bad.put(ClientSetting.PIPELINE, new Bad("0"));
        bad.put(ClientSetting.RATE, new Bad("0"));
        bad.put(ClientSetting.DURATION, new Bad("soon"));
        bad.put(ClientSetting.COUNT, new Bad("0"));
        bad.put(ClientSetting.WARMUP, new Bad("-1s"));
        bad.put(ClientSetting.CONNECT_PER_MESSAGE, new Bad("maybe"));
        bad.put(ClientSetting.REUSE, new Bad("0:5"));
        bad.put(ClientSetting.CONNECT_RATE, new Bad("0"));
        bad.put(ClientSetting.START_AT, new Bad("tomorrow"));
        bad.put(ClientSetting.THREADS, new Bad("0"));
        bad.put(ClientSetting.QUIET, new Bad("maybe"));
        bad.put(ClientSetting.PROXY_HEADER, new Bad("v3"));
        bad.put(ClientSetting.PROXY_SOURCE, new Bad("example.com:80", "--proxy-header", "v1"));
        bad.put(ClientSetting.PROXY_DESTINATION, new Bad("192.0.2.1", "--proxy-header", "v1"));
        bad.put(ClientSetting.PROXY_TLV, new Bad("0x100=x", "--proxy-header", "v2"));
        bad.put(ClientSetting.COUNT_BY, new Bad("a b", "tcp://127.0.0.1:1?mode=info", List.of()));
        bad.put(ClientSetting.LABEL, new Bad(""));
        bad.put(ClientSetting.FORCE, new Bad("maybe"));
        return bad;
    }

    /** Options of a command that take any value: nothing to refuse before the command runs. */
    static final Map<String, String> ANY_VALUE = Map.of(
            "check --expect", "any TEXT is an expectation",
            "bench --json", "any FILE name; it is written after the run",
            "merge --json", "any FILE name; it is written after the merge",
            "merge --png", "any FILE name; it is written after the merge");

    @Test
    void everyOptionHasABadValueToTryOrASayWhyNot() {
        Set<String> untried = commandOptions().map(Arguments::get)
                .filter(a -> !badValues().containsKey((ClientSetting) a[1])
                        && !ANY_VALUE.containsKey(a[0] + " " + ((ClientSetting) a[1]).flag()))
                .map(a -> a[0] + " " + ((ClientSetting) a[1]).flag()).collect(Collectors.toCollection(TreeSet::new));
        assertEquals(Set.of(), untried);
    }

    @Test
    void theTableAndTheOptionsAreTheSameSet() {
        SettingsAssertions.assertTableIsTheOptions(ClientSetting.class, commands(cli(Map.of())));
    }

    /** Each command with each of its options (help and version aside). */
    static Stream<Arguments> commandOptions() {
        CommandLine cli = cli(Map.of());
        List<Arguments> all = new ArrayList<>();
        for (String name : COMMANDS) {
            for (OptionSpec option : cli.getSubcommands().get(name).getCommandSpec().options()) {
                if (!option.usageHelp() && !option.versionHelp()) {
                    all.add(Arguments.of(name, Setting.byFlag(ClientSetting.class, option.longestName()).orElseThrow(
                            () -> new AssertionError(name + " " + option.longestName() + " has no row"))));
                }
            }
        }
        return all.stream();
    }

    static Stream<Arguments> commandOptionsWithAVariable() {
        return commandOptions().filter(a -> ((ClientSetting) a.get()[1]).variable().isPresent());
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("commandOptions")
    void aBadValueByFlagIsOneLineNamingTheFlag(String command, ClientSetting setting) {
        Bad bad = badValues().get(setting);
        if (bad == null || ANY_VALUE.containsKey(command + " " + setting.flag())) {
            return; // nothing to refuse (see everyOptionHasABadValueToTryOrASayWhyNot)
        }
        List<String> args = new ArrayList<>(List.of(command, bad.endpoint()));
        args.addAll(bad.context());
        args.add(setting.flag() + "=" + bad.value());
        assertNamesOnly(setting.flag(), setting, run(Map.of(), args));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("commandOptionsWithAVariable")
    void aBadValueByVariableIsOneLineNamingTheVariable(String command, ClientSetting setting) {
        Bad bad = badValues().get(setting);
        List<String> args = new ArrayList<>(List.of(command, bad.endpoint()));
        args.addAll(bad.context());
        String variable = setting.variable().orElseThrow();
        assertNamesOnly(variable, setting, run(Map.of(variable, bad.value()), args));
    }

    /**
     * Exit 2 and one line, {@code echoack: NAME: ...} (or {@code echoack: --flag must ...}), that names no
     * variable but the one given and, when a variable gave the value, not the flag.
     */
    private static void assertNamesOnly(String name, ClientSetting setting, CommandRun run) {
        assertEquals(ExitCodes.USAGE, run.exitCode(), run.toString());
        SettingsAssertions.assertOneLineNaming("echoack", name, setting, run, ": ", " ");
    }

    @Test
    void aBadValueFromAVariableNamesTheVariableUnlessTheFlagIsTyped() {
        List<String> send = List.of("send", "tcp://127.0.0.1:1", "hi");
        assertEquals(List.of("echoack: ECHOACK_TIMEOUT: 'abc' is not a duration (expected e.g. 500ms, 2s, 1.5s, 1m)"),
                run(Map.of("ECHOACK_TIMEOUT", "abc"), send).errLines());
        assertEquals(List.of("echoack: ECHOACK_RETRIES: 'twice' is not a whole number"),
                run(Map.of("ECHOACK_RETRIES", "twice"), send).errLines());
        assertEquals(List.of("echoack: ECHOACK_TRANSPORT: unknown transport 'fast' (expected auto, epoll, kqueue, "
                + "io_uring or nio)"), run(Map.of("ECHOACK_TRANSPORT", "fast"), send).errLines());
        assertEquals(List.of("echoack: --timeout: 'abc' is not a duration (expected e.g. 500ms, 2s, 1.5s, 1m)"),
                run(Map.of("ECHOACK_TIMEOUT", "abc"), List.of("send", "tcp://127.0.0.1:1", "hi", "--timeout", "abc"))
                        .errLines(), "the flag, when both are given");
        assertEquals(List.of("echoack: ECHOACK_TLS_CA: cannot read " + missing + ": no such file"),
                run(Map.of("ECHOACK_TLS_CA", missing.toString()), List.of("check", "tls://127.0.0.1:1")).errLines());
        assertEquals(List.of("echoack: ECHOACK_TLS_CA: --insecure trusts any server certificate, so this CA would be "
                + "ignored; give one or the other"), run(Map.of("ECHOACK_TLS_CA", pki.caCert().toString()),
                List.of("send", "tls://127.0.0.1:1", "hi", "-k")).errLines());
        assertEquals(List.of("echoack: ECHOACK_TLS_CLIENT_KEY: a key needs its client certificate: set --tls-cert (or "
                + "ECHOACK_TLS_CLIENT_CERT)"), run(Map.of("ECHOACK_TLS_CLIENT_KEY", pki.clientKey().toString()),
                List.of("send", "tls://127.0.0.1:1", "hi")).errLines());
    }

    @Test
    void withNothingGivenTheTableGivesTheDefaults() {
        CommandSpec send = parse(Map.of(), "send", "tcp://h:1", "x");
        assertEquals(ClientOptions.DEFAULT_TIMEOUT, send.findOption("--timeout").getValue());
        assertEquals(ClientOptions.DEFAULT_RETRIES, (int) send.findOption("--retries").getValue());
        assertEquals(ClientOptions.DEFAULT_MAX_FRAME_LENGTH, (int) send.findOption("--max-frame").getValue());
        assertEquals(Transport.AUTO, send.findOption("--transport").getValue());
        assertEquals(TlsProvider.AUTO, send.findOption("--tls-provider").getValue());
        assertNull(send.findOption("--mode").getValue());
        CommandSpec bench = parse(Map.of("ECHOACK_RETRIES", "", "ECHOACK_TIMEOUT", ""), "bench", "tcp://h:1");
        assertEquals(ClientOptions.DEFAULT_TIMEOUT, bench.findOption("--timeout").getValue(), "empty counts as unset");
        assertEquals(BenchConfig.DEFAULT_CONNECTIONS, (int) bench.findOption("--connections").getValue());
        assertEquals(BenchConfig.DEFAULT_SIZE, (int) bench.findOption("--size").getValue());
        assertEquals(BenchConfig.DEFAULT_PIPELINE, (int) bench.findOption("--pipeline").getValue());
        assertEquals(BenchConfig.DEFAULT_WARMUP, bench.findOption("--warmup").getValue());
        assertEquals(PayloadKind.PATTERN, bench.findOption("--payload").getValue());
        assertNull(bench.findOption("--rate").getValue());
    }

    @Test
    void variablesSetValuesAndFlagsWinOverThem() {
        Map<String, String> env = Map.of("ECHOACK_TIMEOUT", "250ms", "ECHOACK_RETRIES", "7",
                "ECHOACK_TRANSPORT", "nio", "ECHOACK_TLS_PROVIDER", "jdk", "ECHOACK_TLS_CA", "/ca.pem");
        CommandSpec check = parse(env, "check", "tcp://h:1");
        assertEquals(Duration.ofMillis(250), check.findOption("--timeout").getValue());
        assertEquals(7, (int) check.findOption("--retries").getValue());
        assertEquals(Transport.NIO, check.findOption("--transport").getValue());
        assertEquals(TlsProvider.JDK, check.findOption("--tls-provider").getValue());
        assertEquals("/ca.pem", check.findOption("--tls-ca").getValue());
        CommandSpec flags = parse(env, "bench", "tcp://h:1", "--timeout", "3s", "--transport", "auto");
        assertEquals(Duration.ofSeconds(3), flags.findOption("--timeout").getValue());
        assertEquals(Transport.AUTO, flags.findOption("--transport").getValue());
    }

    @Test
    void theHelpShowsEachOptionsDefaultAndVariable() {
        for (String command : COMMANDS.subList(0, COMMANDS.indexOf("merge"))) { // merge connects nowhere
            String help = run(Map.of("ECHOACK_TIMEOUT", "9s"), List.of(command, "--help")).out();
            assertTrue(help.contains("Default: 5s; env ECHOACK_TIMEOUT"), "the default, not the variable's: " + help);
            assertTrue(help.contains("Default: auto; env ECHOACK_TLS_PROVIDER"), help);
        }
        assertTrue(run(Map.of(), List.of("send", "--help")).out().contains("Default: 2; env ECHOACK_RETRIES"));
    }

    /** The README's table of common options says what the table says: each variable and its default. */
    @Test
    void theReadmeSaysEachVariableAndItsDefault() throws Exception {
        String readme = Files.readString(SettingsAssertions.readme());
        String section = readme.substring(readme.indexOf("## Client: `echoack`"));
        section = section.substring(section.indexOf("### Options"), section.indexOf("#### Which framing?"));
        for (ClientSetting setting : ClientSetting.values()) {
            if (setting.variable().isEmpty()) {
                continue;
            }
            String[] row = SettingsAssertions.readmeRow(section, setting);
            assertTrue(row[1].contains("`" + setting.variable().get() + "`"), setting + ": " + row[1]);
            if (setting.defaultValue() != null) {
                assertTrue(row[1].startsWith("`" + setting.defaultValue() + "`"), setting + ": " + row[1]);
            }
        }
    }

    /** Copying a URI or an example out of any command's help works: none is broken across lines. */
    @Test
    void helpKeepsEveryUriAndExampleOnOneLine() {
        CommandLine cli = cli(Map.of());
        for (CommandSpec command : commands(cli)) {
            List<String> args = new ArrayList<>(List.of(command.qualifiedName().split(" ")).subList(1,
                    command.qualifiedName().split(" ").length));
            args.add("--help");
            String help = run(Map.of(), args).out();
            SettingsAssertions.assertHelpKeepsUrisAndExamplesWhole(command, ClientSetting.class, help,
                    "  echoack", "  printf");
        }
    }

    private static List<CommandSpec> commands(CommandLine cli) {
        List<CommandSpec> all = new ArrayList<>(List.of(cli.getCommandSpec()));
        for (String name : COMMANDS) {
            all.add(cli.getSubcommands().get(name).getCommandSpec());
        }
        return all;
    }

    @Test
    void everyLibraryFieldInTheTableIsOne() {
        SettingsAssertions.assertEveryFieldIsOne(ClientSetting.class, ClientSetting::field, ClientSetting::ofField,
                ClientOptions.class, TlsOptions.class, ProxyHeader.class, BenchConfig.class);
    }

    @Test
    void libraryMessagesNameTheFlagOrTheVariableThatGaveEachField() {
        FieldMessage message = FieldMessage.of(field("timeout"), " and ", field("maxFrameLength"), " and ",
                field("ioThreads"));
        CommandLine fromVariable = parse(Map.of("ECHOACK_TIMEOUT", "3s"), "send", "tcp://h:7", "hi").commandLine();
        assertEquals("ECHOACK_TIMEOUT and --max-frame and ioThreads", Failures.inCliWords(fromVariable, message));
        CommandLine typed = parse(Map.of("ECHOACK_TIMEOUT", "3s"), "send", "tcp://h:7", "hi", "--timeout", "1s")
                .commandLine();
        assertEquals("--timeout and --max-frame and ioThreads", Failures.inCliWords(typed, message));
    }

    /** common says {@code transport}; the command line says what its user gave. */
    @Test
    void anUnavailableTransportNamesTheFlagOrTheVariable() {
        Transport missing = Stream.of(Transport.KQUEUE, Transport.EPOLL).filter(t -> !t.isAvailable()).findFirst()
                .orElse(null);
        assumeTrue(missing != null, "needs a native transport this platform does not have");
        String id = missing.id();
        CommandRun typed = run(Map.of(), List.of("send", "tcp://127.0.0.1:1", "hi", "--transport", id));
        assertEquals(ExitCodes.USAGE, typed.exitCode());
        assertEquals(1, typed.errLines().size(), typed::toString);
        assertTrue(typed.errLines().get(0).startsWith("echoack: --transport: transport " + id
                + " is not available here: "), typed::toString);
        assertTrue(typed.errLines().get(0).endsWith(" (use --transport auto or nio)"), typed::toString);
        CommandRun fromVariable = run(Map.of("ECHOACK_TRANSPORT", id), List.of("send", "tcp://127.0.0.1:1", "hi"));
        assertEquals(ExitCodes.USAGE, fromVariable.exitCode());
        assertEquals(1, fromVariable.errLines().size(), fromVariable::toString);
        assertTrue(fromVariable.errLines().get(0).startsWith("echoack: ECHOACK_TRANSPORT: transport " + id
                + " is not available here: "), fromVariable::toString);
        assertTrue(fromVariable.errLines().get(0).endsWith(" (use ECHOACK_TRANSPORT auto or nio)"),
                fromVariable::toString);
    }

    /** OpenSSL loads here, so the failure is made as the TLS setup makes it. */
    @Test
    void anUnavailableTlsProviderNamesTheFlagOrTheVariable() {
        TlsProviderUnavailableException failure = new TlsProviderUnavailableException(
                new UnsatisfiedLinkError("no netty_tcnative"));
        CommandLine typed = parse(Map.of(), "send", "tls://h:7", "hi", "--tls-provider", "openssl").commandLine();
        assertEquals("--tls-provider: TLS provider openssl is not available here: UnsatisfiedLinkError: "
                + "no netty_tcnative (use --tls-provider auto or jdk)", Failures.named(typed, failure));
        CommandLine fromVariable = parse(Map.of("ECHOACK_TLS_PROVIDER", "openssl"), "send", "tls://h:7", "hi")
                .commandLine();
        assertEquals("ECHOACK_TLS_PROVIDER: TLS provider openssl is not available here: UnsatisfiedLinkError: "
                + "no netty_tcnative (use ECHOACK_TLS_PROVIDER auto or jdk)", Failures.named(fromVariable, failure));
    }

    @Test
    void anEndpointTheTransportCannotServeNamesTheVariableThatChoseIt() {
        List<String> err = run(Map.of("ECHOACK_TRANSPORT", "nio"), List.of("send", "unixgram:///tmp/echoack-none.sock",
                "hi")).errLines();
        assertEquals(List.of("echoack: unixgram:///tmp/echoack-none.sock: the nio transport has no Unix datagram "
                + "sockets; use ECHOACK_TRANSPORT epoll (Linux) or kqueue (macOS/BSD)"), err);
        err = run(Map.of(), List.of("send", "unixgram:///tmp/echoack-none.sock", "hi", "--transport", "nio"))
                .errLines();
        assertEquals(List.of("echoack: unixgram:///tmp/echoack-none.sock: the nio transport has no Unix datagram "
                + "sockets; use --transport epoll (Linux) or kqueue (macOS/BSD)"), err);
    }

    /** The bench library names settings by field; the table and the JSON say what the user gave. */
    @Test
    void theBenchReportNamesTheFlagOrTheVariable() throws Exception {
        BenchConfig config = BenchConfig.builder(Endpoint.parse("tcp://127.0.0.1:7")).count(10).build();
        BenchResult result = new BenchResult(config, "epoll", 1, Instant.now(), 0.1,
                Map.of(Counter.SENT, 1L, Counter.MISMATCH, 1L), Map.of(), 0, new Histogram(3),
                StopReason.NOTHING_ANSWERED, FieldMessage.of("a line of more than 64 bytes (", field("maxFrameLength"),
                        ")"), 1);
        CommandLine typed = parse(Map.of("ECHOACK_TIMEOUT", "3s"), "bench", "tcp://127.0.0.1:7", "--timeout", "2s")
                .commandLine();
        String table = BenchReport.table(result, Failures.settingNames(typed));
        assertTrue(table.contains("stopped early: nothing answered within --timeout"), table);
        assertTrue(table.contains("first wrong reply: a line of more than 64 bytes (--max-frame)"), table);
        assertTrue(table.contains("most likely a limit on connections (echoack-server: --max-connections-per-ip, "
                + "--max-connections; other servers have their own)"), table);
        assertTrue(BenchReport.json(result, 8, Failures.settingNames(typed)).contains(
                "\"wrong_reply\": \"a line of more than 64 bytes (--max-frame)\""),
                BenchReport.json(result, 8, Failures.settingNames(typed)));
        CommandLine fromVariable = parse(Map.of("ECHOACK_TIMEOUT", "3s"), "bench", "tcp://127.0.0.1:7").commandLine();
        String variableTable = BenchReport.table(result, Failures.settingNames(fromVariable));
        assertTrue(variableTable.contains("stopped early: nothing answered within ECHOACK_TIMEOUT"), variableTable);
    }

    @Test
    void aLibraryErrorReachesTheUserWithFlags() {
        List<String> err = run(Map.of(), List.of("bench", "tcp://127.0.0.1:1", "--size", "70000")).errLines();
        assertTrue(err.get(0).contains("--size 70000 exceeds --max-frame 65536"), err.toString());
    }

    /** The subcommand's options after parsing these arguments with this environment; nothing runs. */
    private static CommandSpec parse(Map<String, String> env, String... args) {
        return cli(env).parseArgs(args).subcommand().commandSpec();
    }

    /** The real command line, in-process, stdin empty and not a terminal, with this environment. */
    private static CommandRun run(Map<String, String> env, List<String> args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        StringWriter err = new StringWriter();
        CommandLine cli = new EchoAckCli(new ByteArrayInputStream(new byte[0]), out, false, env).newCommandLine()
                .setOut(new PrintWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8), true))
                .setErr(new PrintWriter(err, true));
        int code = cli.execute(args.toArray(String[]::new));
        cli.getOut().flush();
        return new CommandRun(code, out.toString(StandardCharsets.UTF_8), err.toString());
    }

    /** echoack's command line with this environment, stdin empty and not a terminal, stdout discarded. */
    private static CommandLine cli(Map<String, String> env) {
        return new EchoAckCli(new ByteArrayInputStream(new byte[0]), OutputStream.nullOutputStream(), false, env)
                .newCommandLine();
    }
}
