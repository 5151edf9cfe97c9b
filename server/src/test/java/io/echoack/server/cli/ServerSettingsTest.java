package io.echoack.server.cli;

import static io.echoack.common.text.FieldMessage.field;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.echoack.cli.SettingsHelp;
import io.echoack.cli.testing.CommandRun;
import io.echoack.cli.testing.SettingsAssertions;
import io.echoack.common.codec.Framing;
import io.echoack.common.codec.ReplyMode;
import io.echoack.common.endpoint.Endpoint;
import io.echoack.common.endpoint.ProxyProtocol;
import io.echoack.common.testing.TestPki;
import io.echoack.common.text.FieldMessage;
import io.echoack.common.tls.TlsProvider;
import io.echoack.common.tls.TlsProviderUnavailableException;
import io.echoack.common.transport.Transport;
import io.echoack.server.config.AdminControl;
import io.echoack.server.config.ServerConfig;
import io.echoack.server.connectionlog.ConnectionLogFormat;
import io.echoack.server.limits.ConnectionLimits;
import io.echoack.server.limits.ReflectionGuardSettings;
import io.echoack.server.limits.Timeouts;
import io.echoack.server.proxy.header.ProxySettings;
import io.echoack.server.rollout.RolloutDelays;
import io.echoack.server.proxy.header.TrustedProxies;
import io.echoack.server.startup.ServerStartException;
import io.echoack.server.tls.TlsSettings;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import picocli.CommandLine;

/**
 * Every setting of echoack-server, by flag and by environment variable: where its value comes from, and that a
 * bad value is one line naming what the user gave (the flag, or the variable) and nothing else.
 */
@Timeout(60)
class ServerSettingsTest {

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

    /** A value the setting refuses, and the other flags it needs before it is read. */
    record Bad(String value, List<String> context) {
        Bad(String value, String... context) {
            this(value, List.of(context));
        }
    }

    /** One bad value per setting: the test below fails for a setting added without one. */
    static Map<ServerSetting, Bad> badValues() {
        String tls = "tls://127.0.0.1:0";
        String cert = pki.serverCert().toString();
        String key = pki.serverKey().toString();
        Map<ServerSetting, Bad> bad = new EnumMap<>(ServerSetting.class);
        bad.put(ServerSetting.LISTEN, new Bad("tcp://nowhere"));
        bad.put(ServerSetting.MODE, new Bad("loud"));
        bad.put(ServerSetting.FRAMING, new Bad("zigzag"));
        bad.put(ServerSetting.ACK_TEXT, new Bad("two\nlines"));
        bad.put(ServerSetting.DATAGRAM_ACK_TEXT, new Bad("x".repeat(65_508)));
        bad.put(ServerSetting.IDENTITY, new Bad("seq=1"));
        bad.put(ServerSetting.MAX_FRAME, new Bad("lots"));
        bad.put(ServerSetting.TRANSPORT, new Bad("pigeon"));
        bad.put(ServerSetting.THREADS, new Bad("-1"));
        bad.put(ServerSetting.PRINT_MESSAGES, new Bad("yes"));
        bad.put(ServerSetting.CONNECTION_LOG, new Bad("xml"));
        bad.put(ServerSetting.FAULT_SEED, new Bad("lucky"));
        bad.put(ServerSetting.ADMIN, new Bad("ftp://x:1"));
        bad.put(ServerSetting.ADMIN_CONTROL, new Bad("on"));
        bad.put(ServerSetting.ADMIN_TOKEN_FILE, new Bad(dir.resolve("unused-token").toString())); // control off
        bad.put(ServerSetting.DRAIN_TIMEOUT, new Bad("soon"));
        bad.put(ServerSetting.DRAIN_DELAY, new Bad("2h"));
        bad.put(ServerSetting.START_DELAY, new Bad("later"));
        bad.put(ServerSetting.REUSE_PORT, new Bad("on"));
        bad.put(ServerSetting.MAX_CONNECTIONS, new Bad("-1"));
        bad.put(ServerSetting.MAX_CONNECTIONS_PER_IP, new Bad("abc"));
        bad.put(ServerSetting.IDLE_TIMEOUT, new Bad("forever"));
        bad.put(ServerSetting.FRAME_TIMEOUT, new Bad("1441m"));
        bad.put(ServerSetting.ALLOW, new Bad("10.0.0.0/33"));
        bad.put(ServerSetting.TRUSTED_PROXY, new Bad("balancer.local"));
        bad.put(ServerSetting.PROXY_HEADER_TIMEOUT, new Bad("6m"));
        bad.put(ServerSetting.UDP_GUARD, new Bad("maybe"));
        bad.put(ServerSetting.UDP_RATE, new Bad("0"));
        bad.put(ServerSetting.UDP_BURST, new Bad("0"));
        bad.put(ServerSetting.UDP_ALLOW_PORTS, new Bad("2000"));
        bad.put(ServerSetting.SOCKET_MODE, new Bad("0777"));
        bad.put(ServerSetting.SOCKET_GROUP, new Bad("no-such-group-of-echoack"));
        bad.put(ServerSetting.TLS_CERT, new Bad(missing.toString(), "--listen", tls, "--tls-key", key));
        bad.put(ServerSetting.TLS_KEY, new Bad(garbage.toString(), "--listen", tls, "--tls-cert", cert));
        bad.put(ServerSetting.TLS_KEY_PASSWORD, new Bad("s3cret"));
        bad.put(ServerSetting.TLS_CLIENT_CA, new Bad(missing.toString(), "--listen", tls, "--tls-cert", cert,
                "--tls-key", key));
        bad.put(ServerSetting.TLS_PROVIDER, new Bad("nss"));
        bad.put(ServerSetting.TLS_HANDSHAKE_TIMEOUT, new Bad("6m"));
        bad.put(ServerSetting.LOG_LEVEL, new Bad("chatty"));
        bad.put(ServerSetting.LOG_FORMAT, new Bad("xml"));
        bad.put(ServerSetting.VERBOSE, new Bad("yes"));
        bad.put(ServerSetting.CONFIG, new Bad(missing.toString()));
        return bad;
    }

    @Test
    void everySettingHasABadValueToTry() {
        assertEquals(EnumSet.allOf(ServerSetting.class), badValues().keySet());
    }

    @Test
    void theTableAndTheOptionsAreTheSameSet() {
        CommandLine cli = new CommandLine(new ServerCommand(new CompletableFuture<>()));
        SettingsAssertions.assertTableIsTheOptions(ServerSetting.class, List.of(cli.getCommandSpec()));
    }

    @ParameterizedTest
    @EnumSource(ServerSetting.class)
    void aBadValueByFlagIsOneLineNamingTheFlag(ServerSetting setting) {
        Bad bad = badValues().get(setting);
        List<String> args = new ArrayList<>(bad.context());
        args.add(setting.flag() + "=" + bad.value());
        CommandRun run = run(Map.of(), args.toArray(String[]::new));
        assertNamesOnly(setting.flag(), setting, run);
    }

    static Stream<ServerSetting> settingsWithAVariable() {
        return Arrays.stream(ServerSetting.values()).filter(s -> s.variable().isPresent());
    }

    @ParameterizedTest
    @MethodSource("settingsWithAVariable")
    void aBadValueByVariableIsOneLineNamingTheVariable(ServerSetting setting) {
        Bad bad = badValues().get(setting);
        String variable = setting.variable().orElseThrow();
        assertNamesOnly(variable, setting, run(Map.of(variable, bad.value()), bad.context().toArray(String[]::new)));
    }

    static Stream<ServerSetting> settingsWithAFileKey() {
        return Arrays.stream(ServerSetting.values()).filter(s -> s.fileKey().isPresent());
    }

    /** The bad value as the only key of a file, on line 2 (a list's item on line 3), named by file, line and key. */
    @ParameterizedTest
    @MethodSource("settingsWithAFileKey")
    void aBadValueInTheConfigFileIsOneLineNamingTheFileLineAndKey(ServerSetting setting) throws Exception {
        Bad bad = badValues().get(setting);
        String key = setting.fileKey().orElseThrow();
        Path file = dir.resolve("bad-" + key + ".yaml");
        String value = "\"" + bad.value().replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n") + "\"";
        boolean listeners = setting == ServerSetting.LISTEN;
        Files.writeString(file, "# echoack-server\n" + key + ":" + (listeners ? "\n  - " : " ") + value + "\n"
                + (listeners ? "" : "listeners: [tcp://127.0.0.1:0]\n"));
        List<String> args = new ArrayList<>(bad.context());
        args.addAll(List.of("--config", file.toString()));
        assertNamesOnly(file + ":" + (listeners ? 3 : 2) + ": " + key, setting, run(Map.of(),
                args.toArray(String[]::new)));
    }

    @Test
    void theFileIsReadWhereverConfigIsTypedAmongTheFlags() throws Exception {
        Path file = dir.resolve("order.yaml");
        Files.writeString(file, "mode: echo\n");
        ServerConfig before = config(Map.of(), "--reuse-port", "--config", file.toString());
        assertEquals(ReplyMode.ECHO, before.mode(), "a yes/no flag typed before --config");
        assertTrue(before.reusePort());
        assertEquals(ReplyMode.ECHO, config(Map.of(), "--config", file.toString(), "--reuse-port").mode());
        Path bad = dir.resolve("bad-order.yaml");
        Files.writeString(bad, "mode: loud\n");
        assertEquals(run(Map.of(), "--config", bad.toString(), "--reuse-port").errLines(),
                run(Map.of(), "--reuse-port", "--config", bad.toString()).errLines());
    }

    @Test
    void aFlagWinsOverAVariableWhichWinsOverTheFileWhichWinsOverTheDefault() throws Exception {
        Path file = dir.resolve("precedence.yaml");
        Files.writeString(file, String.join("\n",
                "mode: echo",
                "max-frame: 100",
                "drain-timeout: 3s",
                "listeners:",
                "  - tcp://127.0.0.1:7",
                "  - endpoint: udp://127.0.0.1:7",
                "    mode: ack",
                "identity: {pod: web-1, labels: 'a,b'}",
                "allow: [10.0.0.0/8, 192.168.0.0/16]",
                "print-messages: true",
                ""));
        ServerConfig fromFile = config(Map.of(), "--config", file.toString());
        assertEquals(ReplyMode.ECHO, fromFile.mode());
        assertEquals(100, fromFile.maxFrameLength());
        assertEquals(Duration.ofSeconds(3), fromFile.drainTimeout());
        assertEquals(List.of(Endpoint.parse("tcp://127.0.0.1:7"), Endpoint.parse("udp://127.0.0.1:7?mode=ack")),
                fromFile.listen());
        assertEquals(Map.of("pod", "web-1", "labels", "a,b"), fromFile.identity().pairs());
        assertTrue(fromFile.allow().toString().contains("192.168.0.0/16"), fromFile.allow().toString());
        assertTrue(fromFile.printMessages());
        assertEquals(ServerConfig.DEFAULT_ACK_TEXT, fromFile.ackText(), "the default where the file says nothing");

        Map<String, String> env = Map.of("ECHOACK_CONFIG", file.toString(), "ECHOACK_MODE", "info",
                "ECHOACK_LISTEN", "tcp://127.0.0.1:8");
        ServerConfig withVariables = config(env);
        assertEquals(ReplyMode.INFO, withVariables.mode(), "the variable wins over the file");
        assertEquals(List.of(Endpoint.parse("tcp://127.0.0.1:8")), withVariables.listen(), "and replaces its list");
        assertEquals(100, withVariables.maxFrameLength(), "the file read through ECHOACK_CONFIG");
        ServerConfig withFlags = config(env, "--mode", "ack", "--max-frame", "200");
        assertEquals(ReplyMode.ACK, withFlags.mode(), "the flag wins over the variable");
        assertEquals(200, withFlags.maxFrameLength(), "and over the file");
    }

    /** The README's example file is one the server takes, and means what the README says. */
    @Test
    void theReadmesConfigurationFileExampleBuilds() throws Exception {
        String readme = Files.readString(SettingsAssertions.readme());
        String section = readme.substring(readme.indexOf("### Configuration file"));
        String yaml = section.substring(section.indexOf("```yaml\n") + 8, section.indexOf("```\n", section.indexOf("```yaml")
                + 8));
        Path file = dir.resolve("readme-example.yaml");
        Files.writeString(file, yaml);
        ServerConfig c = config(Map.of(), "--config", file.toString());
        assertEquals(List.of(Endpoint.parse("tcp://0.0.0.0:51717"), Endpoint.parse("udp://0.0.0.0:51717"),
                Endpoint.parse("tcp://0.0.0.0:7?mode=echo"), Endpoint.parse("udp://0.0.0.0:7?mode=echo&drop=5%"),
                Endpoint.parse("tls://0.0.0.0:8443?mode=info&format=json"),
                Endpoint.parse("unix:///run/echoack/echo.sock?mode=echo&framing=line")), c.listen());
        assertEquals(16384, c.maxFrameLength());
        assertEquals(Duration.ofSeconds(60), c.timeouts().idleTimeout());
        assertEquals(Map.of("pod", "web-1", "zone", "eu-west-1a"), c.identity().pairs());
        assertEquals(Optional.of(Path.of("/etc/echoack/tls/tls.crt")), c.tls().certificate());
        assertTrue(c.allow().toString().contains("::1/128"), c.allow().toString());
        assertEquals(ReplyMode.ECHO, config(Map.of("ECHOACK_MODE", "echo"), "--config", file.toString()).mode(),
                "the variable beats the file, as the README says");
    }

    @Test
    void aCheckAcrossSettingsNamesTheFileLineAndKeyOfTheOneGiven() throws Exception {
        Path file = dir.resolve("cross.yaml");
        Files.writeString(file, "mode: echo\nlisteners:\n  - tls://127.0.0.1:0\n");
        assertEquals(List.of("echoack-server: " + file + ":2: listeners: tls://127.0.0.1:0 needs a certificate and "
                + "its key: set --tls-cert (or ECHOACK_TLS_CERT) and --tls-key (or ECHOACK_TLS_KEY)"),
                run(Map.of(), "--config", file.toString()).errLines());
    }

    @Test
    void aConfigFileThatCannotBeReadNamesTheFlagOrTheVariable() {
        assertEquals(List.of("echoack-server: --config: cannot read " + missing + ": no such file"),
                run(Map.of(), "--config", missing.toString()).errLines());
        assertEquals(List.of("echoack-server: ECHOACK_CONFIG: cannot read " + missing + ": no such file"),
                run(Map.of("ECHOACK_CONFIG", missing.toString())).errLines());
    }

    /** Exit 2 and one line, {@code echoack-server: NAME: ...}, that names no other variable or (for one) flag. */
    private static void assertNamesOnly(String name, ServerSetting setting, CommandRun run) {
        assertEquals(2, run.exitCode(), run.toString());
        SettingsAssertions.assertOneLineNaming("echoack-server", name, setting, run, ": ");
    }

    @Test
    void aBadValueNamesTheFlagWhenTypedElseTheVariable() {
        assertEquals(List.of("echoack-server: --max-connections-per-ip: 'abc' is not a whole number"),
                run(Map.of("ECHOACK_MAX_CONNECTIONS", "5"), "--max-connections-per-ip", "abc").errLines());
        assertEquals(List.of("echoack-server: --udp-burst: burstPackets must be >= 1, was 0"),
                run(Map.of(), "--udp-burst", "0").errLines());
        assertEquals(List.of("echoack-server: ECHOACK_FRAME_TIMEOUT: frameTimeout must be 0 (off) or 1ms..24h, "
                + "was PT24H1M"), run(Map.of("ECHOACK_FRAME_TIMEOUT", "1441m", "ECHOACK_IDLE_TIMEOUT", "1s")).errLines());
        assertEquals(List.of("echoack-server: ECHOACK_PRINT_MESSAGES: 'yes' is not a boolean (expected true or "
                + "false)"), run(Map.of("ECHOACK_PRINT_MESSAGES", "yes")).errLines());
        assertEquals(List.of("echoack-server: ECHOACK_TLS_CERT: cannot read " + missing + ": no such file"),
                run(Map.of("ECHOACK_TLS_CERT", missing.toString(), "ECHOACK_TLS_KEY", pki.serverKey().toString(),
                        "ECHOACK_LISTEN", "tls://127.0.0.1:0")).errLines());
        assertEquals(List.of("echoack-server: --tls-cert: cannot read " + missing + ": no such file"),
                run(Map.of("ECHOACK_TLS_CERT", pki.serverCert().toString(), "ECHOACK_TLS_KEY",
                        pki.serverKey().toString(), "ECHOACK_LISTEN", "tls://127.0.0.1:0"),
                        "--tls-cert", missing.toString()).errLines(), "the flag wins over the variable");
    }

    @Test
    void settingsThatGoTogetherNameTheOneGivenAndHowToSetTheOther() {
        assertEquals(List.of("echoack-server: ECHOACK_TLS_CERT: a certificate needs its key: set --tls-key (or "
                + "ECHOACK_TLS_KEY)"), run(Map.of("ECHOACK_TLS_CERT", "cert.pem"), "-l", "tls://:8443").errLines());
        assertEquals(List.of("echoack-server: --tls-key: a key needs its certificate: set --tls-cert (or "
                + "ECHOACK_TLS_CERT)"), run(Map.of(), "--tls-key", "key.pem").errLines());
        assertEquals(List.of("echoack-server: ECHOACK_LISTEN: tls://:8443 needs a certificate and its key: "
                + "set --tls-cert (or ECHOACK_TLS_CERT) and --tls-key (or ECHOACK_TLS_KEY)"),
                run(Map.of("ECHOACK_LISTEN", "tls://:8443")).errLines());
        assertEquals(List.of("echoack-server: ECHOACK_TLS_CLIENT_CA: client certificates need the server's own "
                + "certificate and key: set --tls-cert (or ECHOACK_TLS_CERT) and --tls-key (or ECHOACK_TLS_KEY)"),
                run(Map.of("ECHOACK_TLS_CLIENT_CA", "ca.pem")).errLines());
        assertEquals(List.of("echoack-server: --listen: listen names the same endpoint twice: [tcp://:7, "
                + "tcp://:7?mode=echo]"), run(Map.of(), "-l", "tcp://:7", "-l", "tcp://:7?mode=echo").errLines());
    }

    @Test
    void identityPairsComeFromFlagsOrFromOneVariableSplitWhereAKeyFollowsAComma() {
        ServerConfig env = config(Map.of("ECHOACK_IDENTITY", "pod=web-1,labels=a,b, node=n1"));
        assertEquals(Map.of("pod", "web-1", "labels", "a,b", "node", "n1"), env.identity().pairs());
        ServerConfig flags = config(Map.of("ECHOACK_IDENTITY", "pod=web-1"), "--identity", "host=backend-a",
                "--identity", "zone=eu");
        assertEquals(List.of("host", "zone"), List.copyOf(flags.identity().pairs().keySet()), "flags win");
        assertEquals(List.of("echoack-server: ECHOACK_IDENTITY: 'podname' is not KEY=VALUE"),
                run(Map.of("ECHOACK_IDENTITY", "podname")).errLines());
    }

    @Test
    void theFaultSeedComesFromTheFlagOrTheVariableAndIsRandomOtherwise() {
        assertEquals(java.util.OptionalLong.empty(), config(Map.of()).faultSeed());
        assertEquals(java.util.OptionalLong.of(-42), config(Map.of("ECHOACK_FAULT_SEED", "-42")).faultSeed());
        assertEquals(java.util.OptionalLong.of(7), config(Map.of("ECHOACK_FAULT_SEED", "-42"), "--fault-seed", "7")
                .faultSeed(), "the flag wins");
        assertEquals(List.of("echoack-server: --fault-seed: 'lucky' is not a whole number (a seed is a 64-bit "
                + "integer)"), run(Map.of(), "--fault-seed", "lucky").errLines());
    }

    @Test
    void faultsThatDoNotFitTheEndpointNameItAndTheKey() {
        assertEquals(List.of("echoack-server: --listen: invalid endpoint 'tcp://127.0.0.1:0?drop=5%': fault drop "
                + "applies to datagram endpoints only (udp, unixgram); tcp is a stream"),
                run(Map.of(), "-l", "tcp://127.0.0.1:0?drop=5%").errLines());
        assertEquals(List.of("echoack-server: --listen: invalid endpoint 'tcp://127.0.0.1:0?delay=fast': fault "
                + "delay=fast: 'fast' is not a duration (expected e.g. 500ms, 2s, 1.5s, 1m)"),
                run(Map.of(), "-l", "tcp://127.0.0.1:0?delay=fast").errLines());
    }

    @Test
    void aFormatNeedsInfoModeFromTheEndpointOrTheFlag() {
        assertEquals(List.of("echoack-server: --listen: invalid endpoint 'tcp://127.0.0.1:0?mode=ack&format=json': "
                + "format applies to mode=info only, not mode=ack"),
                run(Map.of(), "-l", "tcp://127.0.0.1:0?mode=ack&format=json").errLines());
        assertEquals(List.of("echoack-server: --listen: format applies to mode=info only, and the mode of "
                + "tcp://127.0.0.1:0?format=json is ack"), run(Map.of(), "-l", "tcp://127.0.0.1:0?format=json").errLines());
        assertEquals(ReplyMode.INFO, config(Map.of("ECHOACK_MODE", "info"), "-l", "tcp://127.0.0.1:0?format=json")
                .listenerSpec(Endpoint.parse("tcp://127.0.0.1:0?format=json")).mode());
    }

    @Test
    void proxyListenersAndTrustedProxiesNameTheOneGivenAndHowToSetTheOther() {
        assertEquals(List.of("echoack-server: --listen: tcp://127.0.0.1:0?proxy=v2 takes PROXY headers, but no "
                + "trusted proxy covers its peers: set --trusted-proxy (or ECHOACK_TRUSTED_PROXIES) to the load "
                + "balancer's addresses"), run(Map.of(), "-l", "tcp://127.0.0.1:0?proxy=v2").errLines());
        assertEquals(List.of("echoack-server: ECHOACK_LISTEN: unix:///tmp/e.sock?proxy=v1 takes PROXY headers, but "
                + "Unix-socket peers are not trusted: add unix to --trusted-proxy (or ECHOACK_TRUSTED_PROXIES)"),
                run(Map.of("ECHOACK_LISTEN", "unix:///tmp/e.sock?proxy=v1"), "--trusted-proxy", "10.0.0.0/8").errLines());
        assertEquals(List.of("echoack-server: ECHOACK_TRUSTED_PROXIES: no endpoint takes PROXY headers; add "
                + "?proxy=v1|v2|any|optional to a tcp://, tls:// or unix:// endpoint (e.g. -l "
                + "'tcp://0.0.0.0:51717?proxy=v2'), or drop the setting"),
                run(Map.of("ECHOACK_TRUSTED_PROXIES", "10.0.0.0/8")).errLines());
        assertEquals(List.of("echoack-server: --trusted-proxy: invalid CIDR 'balancer.local': 'balancer.local' is "
                + "not an IPv4 or IPv6 address (host names are not allowed) (or unix, to trust Unix-socket peers)"),
                run(Map.of(), "--trusted-proxy", "10.0.0.0/8,balancer.local").errLines());
    }

    @Test
    void proxySettingsComeFromVariablesAndFlags() {
        Map<String, String> env = Map.of("ECHOACK_LISTEN", "tcp://127.0.0.1:7?proxy=v2,unix:///tmp/e.sock?proxy=any",
                "ECHOACK_TRUSTED_PROXIES", "10.0.0.0/8, unix", "ECHOACK_PROXY_HEADER_TIMEOUT", "2s");
        ServerConfig c = config(env);
        assertEquals(TrustedProxies.parse(List.of("10.0.0.0/8", "unix")), c.proxy().trustedProxies());
        assertEquals(Duration.ofSeconds(2), c.proxy().headerTimeout());
        assertEquals(Optional.of(ProxyProtocol.ANY), c.listen().get(1).proxy());
        ServerConfig flags = config(env, "--trusted-proxy", "192.0.2.0/24", "--trusted-proxy", "unix",
                "--proxy-header-timeout", "750ms");
        assertEquals(TrustedProxies.parse(List.of("192.0.2.0/24", "unix")), flags.proxy().trustedProxies(),
                "the flags replace the variable's list");
        assertEquals(Duration.ofMillis(750), flags.proxy().headerTimeout());
    }

    @Test
    void adminControlNeedsItsTokenFileAndTheAdminEndpointAndATokenFileNeedsControl() {
        assertEquals(List.of("echoack-server: --admin-control: control needs a bearer token: set --admin-token-file "
                + "(or ECHOACK_ADMIN_TOKEN_FILE) to a file holding one (e.g. made with: openssl rand -hex 32 > FILE)"),
                run(Map.of(), "--admin", "http://127.0.0.1:0", "--admin-control").errLines());
        assertEquals(List.of("echoack-server: ECHOACK_ADMIN_CONTROL: control is served by the admin endpoint: set "
                + "--admin (or ECHOACK_ADMIN) (e.g. http://127.0.0.1:9090)"),
                run(Map.of("ECHOACK_ADMIN_CONTROL", "true", "ECHOACK_ADMIN_TOKEN_FILE", "/run/secrets/t")).errLines());
        assertEquals(List.of("echoack-server: --admin-token-file: a token file is set but control is off: set "
                + "--admin-control (or ECHOACK_ADMIN_CONTROL), or drop the token file"),
                run(Map.of(), "--admin", "http://127.0.0.1:0", "--admin-token-file", "/run/secrets/t").errLines());
        assertEquals(List.of("echoack-server: ECHOACK_ADMIN_CONTROL: 'yes' is not a boolean (expected true or false)"),
                run(Map.of("ECHOACK_ADMIN_CONTROL", "yes")).errLines());
        assertEquals(AdminControl.off(), config(Map.of()).adminControl());
        ServerConfig on = config(Map.of("ECHOACK_ADMIN", "http://127.0.0.1:0", "ECHOACK_ADMIN_CONTROL", "true",
                "ECHOACK_ADMIN_TOKEN_FILE", "/run/secrets/admin-token"));
        assertEquals(AdminControl.withToken(Path.of("/run/secrets/admin-token")), on.adminControl());
    }

    /** Read at startup: the server does not start, and the message never quotes the file's content. */
    @Test
    void aMissingOrWeakTokenFileStopsTheStartNamingTheSetting() throws Exception {
        Path missing = dir.resolve("no-such-token");
        CommandRun none = run(Map.of("ECHOACK_ADMIN_TOKEN_FILE", missing.toString()), "--admin", "http://127.0.0.1:0",
                "--admin-control");
        assertEquals(2, none.exitCode());
        assertEquals(List.of("echoack-server: ECHOACK_ADMIN_TOKEN_FILE: cannot read " + missing + ": no such file"),
                none.errLines());
        Path weak = Files.writeString(dir.resolve("weak-token"), "hunter2\n");
        CommandRun shortToken = run(Map.of(), "--admin", "http://127.0.0.1:0", "--admin-control",
                "--admin-token-file", weak.toString());
        assertEquals(List.of("echoack-server: --admin-token-file: the token in " + weak + " is 7 characters long; "
                + "use at least 16, e.g. from: openssl rand -hex 32"), shortToken.errLines());
        assertFalse(shortToken.toString().contains("hunter2"), shortToken::toString);
        Path spaced = Files.writeString(dir.resolve("spaced-token"), "correct horse battery staple\n");
        CommandRun words = run(Map.of(), "--admin", "http://127.0.0.1:0", "--admin-control",
                "--admin-token-file", spaced.toString());
        assertEquals(List.of("echoack-server: --admin-token-file: the token in " + spaced + " must be one word of "
                + "letters, digits and -._~+/ (a bearer token), e.g. from: openssl rand -hex 32"), words.errLines());
        Path empty = Files.writeString(dir.resolve("empty-token"), " \n");
        assertEquals(List.of("echoack-server: --admin-token-file: the token in " + empty + " is empty"),
                run(Map.of(), "--admin", "http://127.0.0.1:0", "--admin-control", "--admin-token-file",
                        empty.toString()).errLines());
    }

    @Test
    void drainAndStartDelaysComeFromTheirFlagsOrVariablesAndDefaultToNone() throws Exception {
        assertEquals(RolloutDelays.none(), config(Map.of()).rollout());
        ServerConfig fromEnv = config(Map.of("ECHOACK_DRAIN_DELAY", "15s", "ECHOACK_START_DELAY", "2s"));
        assertEquals(new RolloutDelays(Duration.ofSeconds(2), Duration.ofSeconds(15)), fromEnv.rollout());
        ServerConfig flags = config(Map.of("ECHOACK_DRAIN_DELAY", "15s"), "--drain-delay", "500ms");
        assertEquals(Duration.ofMillis(500), flags.rollout().drainDelay(), "the flag wins");
    }

    @Test
    void everyLibraryFieldInTheTableIsOne() {
        SettingsAssertions.assertEveryFieldIsOne(ServerSetting.class, ServerSetting::field, ServerSetting::ofField,
                ServerConfig.class, ConnectionLimits.class, Timeouts.class, ReflectionGuardSettings.class,
                TlsSettings.class, ProxySettings.class, RolloutDelays.class, AdminControl.class);
    }

    /** The library says {@code transport}; the command line says what its user gave. */
    @Test
    void anUnavailableTransportNamesTheFlagOrTheVariable() {
        Transport missing = Stream.of(Transport.KQUEUE, Transport.EPOLL).filter(t -> !t.isAvailable()).findFirst()
                .orElse(null);
        assumeTrue(missing != null, "needs a native transport this platform does not have");
        String id = missing.id();
        List<String> typed = run(Map.of(), "--transport", id).errLines();
        assertEquals(1, typed.size(), typed::toString);
        assertTrue(typed.get(0).startsWith("echoack-server: --transport: transport " + id + " is not available here: "),
                typed.get(0));
        assertTrue(typed.get(0).endsWith(" (use --transport auto or nio)"), typed.get(0));
        List<String> fromVariable = run(Map.of("ECHOACK_TRANSPORT", id)).errLines();
        assertEquals(1, fromVariable.size(), fromVariable::toString);
        assertTrue(fromVariable.get(0).startsWith("echoack-server: ECHOACK_TRANSPORT: transport " + id
                + " is not available here: "), fromVariable.get(0));
        assertTrue(fromVariable.get(0).endsWith(" (use ECHOACK_TRANSPORT auto or nio)"), fromVariable.get(0));
    }

    /** OpenSSL loads here, so the failure is made as the server's TLS setup makes it. */
    @Test
    void anUnavailableTlsProviderNamesTheFlagOrTheVariable() {
        TlsProviderUnavailableException cause = new TlsProviderUnavailableException(
                new UnsatisfiedLinkError("no netty_tcnative"));
        ServerStartException failure = new ServerStartException(cause.fieldMessage().orElseThrow(), cause);
        assertFalse(failure.getMessage().contains("--"), failure.getMessage());
        assertEquals("--tls-provider: TLS provider openssl is not available here: UnsatisfiedLinkError: "
                + "no netty_tcnative (use --tls-provider auto or jdk)",
                command(Map.of(), "--tls-provider", "openssl").startFailure(failure));
        assertEquals("ECHOACK_TLS_PROVIDER: TLS provider openssl is not available here: UnsatisfiedLinkError: "
                + "no netty_tcnative (use ECHOACK_TLS_PROVIDER auto or jdk)",
                command(Map.of("ECHOACK_TLS_PROVIDER", "openssl")).startFailure(failure));
    }

    @Test
    void libraryMessagesNameTheFlagOrTheVariableThatGaveEachField() {
        FieldMessage message = FieldMessage.of(field("transport"), " and ", field("provider"), " and ",
                field("maxSources"));
        assertEquals("ECHOACK_TRANSPORT and --tls-provider and maxSources",
                command(Map.of("ECHOACK_TRANSPORT", "nio")).inCliWords(message));
        assertEquals("--transport and ECHOACK_TLS_PROVIDER and maxSources",
                command(Map.of("ECHOACK_TRANSPORT", "nio", "ECHOACK_TLS_PROVIDER", "jdk"), "--transport", "epoll")
                        .inCliWords(message));
    }

    @Test
    void aCommandLineErrorPointsAtTheHelp() {
        CommandRun unknown = run(Map.of(), "--no-such-flag");
        assertEquals(2, unknown.exitCode());
        assertEquals(List.of("echoack-server: Unknown option: '--no-such-flag'",
                "Try 'echoack-server --help' for more information."), unknown.errLines());
        CommandRun missingValue = run(Map.of(), "--listen");
        assertEquals(2, missingValue.exitCode());
        assertEquals(2, missingValue.errLines().size(), missingValue.toString());
    }

    @Test
    void withNothingGivenTheTableGivesTheLibrarysDefaults() {
        ServerConfig expected = ServerConfig.defaults();
        assertEquals(expected.toString(), config(Map.of()).toString()); // SourceFilter has no equals
        assertEquals(expected.toString(), config(Map.of("ECHOACK_LISTEN", "", "ECHOACK_TLS_CERT", "",
                "ECHOACK_MODE", "")).toString(), "an empty variable counts as unset");
    }

    @Test
    void variablesSetValuesAndFlagsWinOverThem() {
        Map<String, String> env = new HashMap<>();
        env.put("ECHOACK_LISTEN", "tcp://127.0.0.1:7,udp://127.0.0.1:7");
        env.put("ECHOACK_MODE", "echo");
        env.put("ECHOACK_FRAMING", "length");
        env.put("ECHOACK_MAX_FRAME", "100");
        env.put("ECHOACK_TRANSPORT", "nio");
        env.put("ECHOACK_PRINT_MESSAGES", "TRUE");
        env.put("ECHOACK_REUSE_PORT", "true");
        env.put("ECHOACK_UDP_GUARD", "false");
        env.put("ECHOACK_MAX_CONNECTIONS_PER_IP", "7");
        env.put("ECHOACK_FRAME_TIMEOUT", "2s");
        env.put("ECHOACK_TLS_PROVIDER", "jdk");
        env.put("ECHOACK_CONNECTION_LOG", "json");
        ServerConfig c = config(env);
        assertEquals(List.of(Endpoint.parse("tcp://127.0.0.1:7"), Endpoint.parse("udp://127.0.0.1:7")), c.listen());
        assertEquals(ReplyMode.ECHO, c.mode());
        assertEquals(Framing.LENGTH, c.framing().orElseThrow());
        assertEquals(100, c.maxFrameLength());
        assertEquals(Transport.NIO, c.transport());
        assertTrue(c.printMessages());
        assertTrue(c.reusePort());
        assertFalse(c.udpGuard().enabled());
        assertEquals(7, c.limits().maxConnectionsPerIp());
        assertEquals(Duration.ofSeconds(2), c.timeouts().frameTimeout());
        assertEquals(TlsProvider.JDK, c.tls().provider());
        assertEquals(ConnectionLogFormat.JSON, c.connectionLog());

        ServerConfig flags = config(env, "--mode", "ack", "--udp-guard", "--max-frame", "200", "-l", "tcp://127.0.0.1:8");
        assertEquals(ReplyMode.ACK, flags.mode());
        assertTrue(flags.udpGuard().enabled());
        assertEquals(200, flags.maxFrameLength());
        assertEquals(List.of(Endpoint.parse("tcp://127.0.0.1:8")), flags.listen());
        assertFalse(config(Map.of(), "--no-udp-guard").udpGuard().enabled());
        assertEquals(ConnectionLogFormat.OFF, config(env, "--connection-log", "off").connectionLog());
    }

    @Test
    void helpShowsEachSettingsDefaultAndVariable() {
        String help = run(Map.of("ECHOACK_MODE", "echo"), "--help").out();
        for (ServerSetting setting : ServerSetting.values()) {
            for (String line : SettingsHelp.lines(setting)) {
                assertTrue(help.contains(line), setting + ": " + line + "\n" + help);
            }
        }
        assertTrue(help.contains("Default: ack; env ECHOACK_MODE"), "the default, not the variable's value");
        assertTrue(help.contains("Default: 0; env ECHOACK_MAX_CONNECTIONS_PER_IP"), help);
    }

    /** The README's option table says what the table says: each flag's variable and default. */
    @Test
    void theReadmeTableSaysEachSettingsVariableAndDefault() throws Exception {
        String readme = Files.readString(SettingsAssertions.readme());
        String section = readme.substring(readme.indexOf("## Server: `echoack-server`"), readme.indexOf("## Client"));
        for (ServerSetting setting : ServerSetting.values()) {
            String[] row = SettingsAssertions.readmeRow(section, setting);
            assertEquals(setting.variable().isPresent(), row[1].contains("`ECHOACK_"), setting + ": " + row[1]);
            setting.variable().ifPresent(v -> assertTrue(row[1].contains("`" + v + "`"), setting + ": " + row[1]));
            if (setting.defaultValue() != null && setting != ServerSetting.VERBOSE) {
                for (String value : setting.defaultValue().split(",")) {
                    assertTrue(row[2].contains("`" + value + "`"), setting + " default " + value + ": " + row[2]);
                }
            }
        }
    }

    /** Copying a URI or an example out of the help works: picocli breaks none of them across lines. */
    @Test
    void helpKeepsEveryUriAndExampleOnOneLine() {
        CommandLine cli = new CommandLine(new ServerCommand(new CompletableFuture<>()));
        String help = run(Map.of(), "--help").out();
        SettingsAssertions.assertHelpKeepsUrisAndExamplesWhole(cli.getCommandSpec(), ServerSetting.class, help,
                "  echoack-server", "  ECHOACK_");
        assertTrue(help.contains("unix:///tmp/echoack.sock"), help);
    }

    /** The configuration the command line builds from these variables and flags, without starting anything. */
    private static ServerConfig config(Map<String, String> env, String... args) {
        return command(env, args).config();
    }

    /** The command after parsing these variables and flags; nothing runs. */
    private static ServerCommand command(Map<String, String> env, String... args) {
        ServerCommand command = new ServerCommand(new CompletableFuture<>());
        CommandLine cli = new CommandLine(command).setDefaultValueProvider(new ServerDefaults(env));
        cli.parseArgs(args);
        return command;
    }

    /**
     * The real command line, in-process, with this environment; stops at once if it starts. Without an
     * endpoint or a configuration file given it listens on a free loopback port, so that a value wrongly accepted binds nothing fixed.
     */
    private static CommandRun run(Map<String, String> env, String... given) {
        List<String> args = new ArrayList<>(List.of(given));
        if (!env.containsKey("ECHOACK_LISTEN") && args.stream().noneMatch(a -> a.equals("-l")
                || a.startsWith("--listen") || a.equals("--config"))) {
            args.addAll(List.of("--listen", "tcp://127.0.0.1:0"));
        }
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.execute(CompletableFuture.completedFuture(null), new PrintWriter(out, true),
                new PrintWriter(err, true), env, args.toArray(String[]::new));
        return new CommandRun(code, out.toString(), err.toString());
    }
}
