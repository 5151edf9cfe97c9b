package io.echoack.client.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.echoack.client.testing.CliRun;
import io.echoack.client.testing.TestServer;
import io.echoack.common.endpoint.Endpoint;
import io.echoack.common.endpoint.EndpointKind;
import io.echoack.common.testing.TestPki;
import io.echoack.server.config.ServerConfig;
import io.echoack.server.tls.TlsSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code echoack info} and {@code bench --mode info --count-by} against two real echoack servers in info mode,
 * one calling itself {@code backend-a} (with a pod), the other {@code backend-b} (without), over every endpoint
 * kind; and what either says to a server that is not in info mode.
 */
@Timeout(60)
class InfoCliIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String[] LISTEN = {
            "tcp://127.0.0.1:0?mode=info",
            "udp://127.0.0.1:0?mode=info",
            "unix://%s/info.sock?mode=info",
            "tcp://127.0.0.1:0?mode=info&framing=length",
            "tcp://127.0.0.1:0?mode=info&framing=raw",
            "tcp://127.0.0.1:0?mode=ack",
            "tls://127.0.0.1:0?mode=info",
            "tcp://127.0.0.1:0?mode=info&format=json",
    };
    private static final int TCP = 0;
    private static final int UDP = 1;
    private static final int UNIX = 2;
    private static final int LENGTH = 3;
    private static final int RAW = 4;
    private static final int ACK = 5;
    private static final int TLS = 6;
    private static final int JSON_LINES = 7;

    @TempDir
    static Path dir;

    private static TestPki pki;
    private static TestServer a;
    private static TestServer b;

    @BeforeAll
    static void start() throws Exception {
        pki = TestPki.create(dir.resolve("pki"));
        TlsSettings tls = TlsSettings.of(pki.serverCert(), pki.serverKey()).withClientCa(pki.caCert());
        a = server(tls, "a", "host=backend-a", "pod=a-1");
        b = server(tls, "b", "host=backend-b");
    }

    private static TestServer server(TlsSettings tls, String name, String... identity) throws Exception {
        List<String> listen = Arrays.stream(LISTEN).map(uri -> uri.replace("%s", dir.resolve(name).toString()))
                .toList();
        Files.createDirectories(dir.resolve(name));
        ServerConfig config = ServerConfig.defaults().withIdentity(identity).toBuilder().tls(tls)
                .listen(listen.stream().map(Endpoint::parse).toList()).build();
        return TestServer.start(config, listen);
    }

    @AfterAll
    static void stop() {
        if (a != null) {
            a.close();
        }
        if (b != null) {
            b.close();
        }
    }

    private static String uri(TestServer server, int i) {
        return server.endpoint(i).toString();
    }

    /** The table {@code echoack info} printed, as key to value; every line must be {@code key  value}. */
    private static Map<String, String> table(CliRun run) {
        assertEquals(0, run.exitCode(), run.err());
        Map<String, String> fields = new LinkedHashMap<>();
        String[] lines = run.outLines();
        int column = lines[0].indexOf("backend-");
        for (String line : lines) {
            assertTrue(line.length() > column && !line.substring(0, column).isBlank()
                    && line.charAt(column - 1) == ' ', "a key, then the values in one column: " + line);
            fields.put(line.substring(0, column).strip(), line.substring(column));
        }
        return fields;
    }

    @Test
    void infoPrintsOneFieldPerLineWithTheValuesInAColumn() {
        Endpoint tcp = a.endpoint(TCP);
        CliRun run = CliRun.run("", "info", uri(a, TCP));
        Map<String, String> fields = table(run);
        assertEquals("backend-a", fields.get("host"));
        assertEquals("a-1", fields.get("pod"));
        assertEquals("tcp://127.0.0.1:0", fields.get("listener"));
        assertEquals("127.0.0.1:" + tcp.port(), fields.get("local"));
        assertTrue(fields.get("peer").startsWith("127.0.0.1:"), fields.toString());
        assertEquals(fields.get("peer"), fields.get("client"));
        assertEquals("1", fields.get("seq"));
        assertEquals(List.of("host", "pod", "listener", "transport", "local", "peer", "client", "seq", "version"),
                List.copyOf(fields.keySet()));
        assertEquals("", run.err());
    }

    @Test
    void infoWorksOnEveryKindOfEndpointAndFraming() {
        for (int i : new int[] {UDP, UNIX, LENGTH, RAW}) {
            Map<String, String> fields = table(CliRun.run("", "info", uri(b, i)));
            assertEquals("backend-b", fields.get("host"), uri(b, i));
            assertEquals(b.endpoint(i).kind() != EndpointKind.UDP, fields.containsKey("seq"), uri(b, i));
        }
        Map<String, String> unix = table(CliRun.run("", "info", uri(b, UNIX)));
        assertEquals(b.endpoint(UNIX).path().toString(), unix.get("local"));
        assertEquals("\"\"", unix.get("peer"), "an unnamed client socket, shown as empty");
    }

    @Test
    void infoOnTlsShowsTheSessionAndTheClientCertificate() {
        CliRun run = CliRun.run("", "info", uri(a, TLS), "--tls-ca", pki.caCert().toString(), "--tls-cert",
                pki.clientCert().toString(), "--tls-key", pki.clientKey().toString());
        Map<String, String> fields = table(run);
        assertTrue(fields.get("tls_version").startsWith("TLSv1."), fields.toString());
        assertTrue(!fields.get("tls_cipher").isBlank(), fields.toString());
        assertEquals("CN=echoack test client", fields.get("tls_client_subject"));
    }

    @Test
    void sendPrintsTheReplyAsItCameForMachines() throws Exception {
        CliRun run = CliRun.run("", "send", uri(a, JSON_LINES), "one", "two");
        assertEquals(0, run.exitCode(), run.err());
        String[] lines = run.outLines();
        assertEquals(2, lines.length, run.out());
        assertEquals("backend-a", JSON.readTree(lines[0]).get("host").asText());
        assertEquals(2, JSON.readTree(lines[1]).get("seq").asInt());
    }

    @Test
    void aServerNotInInfoModeIsAWrongReplyAndAnotherModeAUsageError() {
        CliRun ack = CliRun.run("", "info", a.endpoint(ACK).address());
        assertEquals(ExitCodes.WRONG_REPLY, ack.exitCode(), ack.err());
        assertEquals("echoack: " + a.endpoint(ACK).address() + " answered \"I got your message\", which is no "
                + "identity reply ('I' at column 1 is not key=value): is it an echoack server in info mode (--mode "
                + "info, or ?mode=info on its endpoint)?", ack.err().strip());
        CliRun echo = CliRun.run("", "info", a.endpoint(ACK).address() + "?mode=echo");
        assertEquals(ExitCodes.USAGE, echo.exitCode(), echo.err());
        assertTrue(echo.err().contains("info asks for an identity reply, but " + a.endpoint(ACK).address()
                + "?mode=echo says ?mode=echo"), echo.err());
    }

    @Test
    void benchCountsConnectionsPerHost() throws Exception {
        CliRun run = CliRun.run("", "bench", uri(a, TCP), "--connect-per-message", "-c", "2", "-n", "20",
                "--warmup", "0", "--count-by", "host", "-q", "--json", "-");
        assertEquals(0, run.exitCode(), run.err());
        JsonNode countBy = JSON.readTree(run.out()).get("count_by");
        assertEquals("host", countBy.get("key").asText());
        assertEquals(Map.of("backend-a", 20), values(countBy));
        assertEquals(0, countBy.get("absent").asInt());
        assertTrue(run.err().contains("replies by host: 1 value in 20 replies"), run.err());
        assertTrue(run.err().contains("  backend-a           20  100.0%"), run.err());
    }

    @Test
    void benchCountsDatagramsAndRawAndLengthRepliesAndRepliesWithoutTheKey() throws Exception {
        for (int i : new int[] {UDP, RAW, LENGTH}) {
            // a raw server answers each read, not each message: one message in flight per connection there
            String pipeline = i == RAW ? "1" : "4";
            CliRun run = CliRun.run("", "bench", uri(b, i), "-c", "2", "-p", pipeline, "-n", "40", "--warmup", "0",
                    "--count-by", "pod", "-q", "--json", "-");
            assertEquals(0, run.exitCode(), uri(b, i) + ": " + run.err());
            JsonNode countBy = JSON.readTree(run.out()).get("count_by");
            assertEquals(Map.of(), values(countBy), uri(b, i));
            assertEquals(40, countBy.get("absent").asInt(), uri(b, i));
            assertTrue(run.err().contains("  (no pod)            40  100.0%"), run.err());
        }
    }

    @Test
    void benchInInfoModeAgainstAnAckServerStopsAtTheFirstWrongReply() {
        CliRun run = CliRun.run("", "bench", a.endpoint(ACK).address(), "--mode", "info", "-n", "5", "--warmup", "0",
                "-q");
        assertEquals(ExitCodes.WRONG_REPLY, run.exitCode(), run.err());
        assertTrue(run.err().contains("first wrong reply: \"I got your message\" (18 bytes); expected info "
                + "(identity replies)"), run.err());
    }

    @Test
    void countingNeedsInfoMode() {
        CliRun run = CliRun.run("", "bench", uri(a, ACK), "--count-by", "host", "-n", "5");
        assertEquals(ExitCodes.USAGE, run.exitCode(), run.err());
        assertEquals("echoack: --count-by counts identity replies: it needs info mode (--mode info, or ?mode=info "
                + "on the endpoint)", run.err().lines().findFirst().orElseThrow());
    }

    private static Map<String, Integer> values(JsonNode countBy) {
        Map<String, Integer> values = new LinkedHashMap<>();
        countBy.get("values").fields().forEachRemaining(e -> values.put(e.getKey(), e.getValue().asInt()));
        return values;
    }
}
