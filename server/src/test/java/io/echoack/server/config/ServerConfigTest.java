package io.echoack.server.config;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.echoack.common.codec.Framing;
import io.echoack.common.codec.ReplyMode;
import io.echoack.common.endpoint.Endpoint;
import io.echoack.common.endpoint.ProxyProtocol;
import io.echoack.common.tls.TlsProvider;
import io.echoack.server.listener.ListenerSpec;
import io.echoack.server.proxy.header.ProxySettings;
import io.echoack.server.proxy.header.TrustedProxies;
import io.echoack.server.tls.TlsSettings;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ServerConfigTest {

    @Test
    void defaultsAreTheTutorials() {
        ServerConfig c = ServerConfig.defaults();
        assertEquals(List.of("tcp://0.0.0.0:51717", "udp://0.0.0.0:51717", "unix:///tmp/echoack.sock"),
                c.listen().stream().map(Endpoint::toString).toList());
        assertEquals(ReplyMode.ACK, c.mode());
        assertEquals("I got your message", c.ackText());
        assertEquals("Got your message", c.datagramAckText());
        assertEquals(65536, c.maxFrameLength());
        assertTrue(c.effectiveThreads() >= 1);
    }

    @Test
    void listenerSpecAppliesEndpointOverridesOverDefaults() {
        ServerConfig c = ServerConfig.defaults().withMode(ReplyMode.ECHO);
        ListenerSpec echoRaw = c.listenerSpec(Endpoint.parse("tcp://:1"));
        assertEquals(ReplyMode.ECHO, echoRaw.mode());
        assertEquals(Framing.RAW, echoRaw.framing());
        ListenerSpec ackLine = c.listenerSpec(Endpoint.parse("tcp://:1?mode=ack"));
        assertEquals(Framing.LINE, ackLine.framing());
        assertArrayEquals("I got your message\n".getBytes(StandardCharsets.US_ASCII), ackLine.ackFrame());
        ListenerSpec udp = c.listenerSpec(Endpoint.parse("udp://:1?mode=ack"));
        assertArrayEquals("Got your message".getBytes(StandardCharsets.US_ASCII), udp.ackFrame());
        ListenerSpec length = ServerConfig.defaults().withFraming(Framing.LINE)
                .listenerSpec(Endpoint.parse("unix:///x?framing=length"));
        assertEquals(Framing.LENGTH, length.framing());
    }

    @Test
    void rejectsBadValuesNamingTheField() {
        ServerConfig d = ServerConfig.defaults();
        assertMessage("maxFrameLength must be", () -> d.withMaxFrameLength(0));
        assertMessage("maxFrameLength must be", () -> d.withMaxFrameLength(ServerConfig.MAX_MAX_FRAME_LENGTH + 1));
        assertMessage("threads must be", () -> d.withThreads(-1));
        assertMessage("listen must name at least one endpoint", () -> d.withListen(List.of()));
        assertMessage("listen names the same endpoint twice", () -> d.withListen("tcp://:1", "tcp://:1?mode=echo"));
        assertMessage("ackText must not contain a line break", () -> d.withAckTexts("a\nb", "x"));
    }

    @Test
    void tlsListenersAndCertificatesComeTogether() {
        TlsSettings tls = TlsSettings.of(Path.of("/certs/server.pem"), Path.of("/certs/server.key"));
        ServerConfig served = ServerConfig.defaults().toBuilder().listen(List.of(Endpoint.parse("tls://:8443")))
                .tls(tls).build();
        assertEquals(tls, served.tls());
        assertEquals(Framing.LINE, served.listenerSpec(served.listen().get(0)).framing(), "a stream like tcp");
        assertMessage("tls: tls://:8443 needs a certificate and its key",
                () -> ServerConfig.defaults().withListen("tcp://:1", "tls://:8443"));
        assertMessage("tls: a certificate is set but no endpoint is tls://",
                () -> ServerConfig.defaults().withTls(tls));
        assertMessage("tls: a certificate is set", () -> served.withListen("tcp://:8443"));
    }

    @Test
    void proxyListenersAndTrustedProxiesComeTogether() {
        ProxySettings tenEight = ProxySettings.defaults().withTrustedProxies(TrustedProxies.parse(List.of("10.0.0.0/8")));
        ServerConfig served = ServerConfig.defaults().toBuilder()
                .listen(List.of(Endpoint.parse("tcp://:7?proxy=v2"), Endpoint.parse("udp://:7")))
                .proxy(tenEight).build();
        assertEquals(Optional.of(ProxyProtocol.V2), served.listenerSpec(served.listen().get(0)).proxy());
        assertEquals(Optional.empty(), served.listenerSpec(served.listen().get(1)).proxy());
        assertEquals("ack, line framing, proxy=v2", served.listenerSpec(served.listen().get(0)).describe());
        assertMessage("proxy: tcp://:7?proxy=any takes PROXY headers, but no trusted proxy address range covers "
                + "its peers: every header would be refused", () -> ServerConfig.defaults().withListen("tcp://:7?proxy=any"));
        assertMessage("proxy: unix:///run/e.sock?proxy=v1 takes PROXY headers, but no trusted proxy is 'unix'",
                () -> served.withListen("tcp://:7?proxy=v2", "unix:///run/e.sock?proxy=v1"));
        assertMessage("proxy: tls://:7?proxy=v1 takes PROXY headers, but no trusted proxy address range",
                () -> served.toBuilder().proxy(ProxySettings.defaults().withTrustedProxies(TrustedProxies.parse(List.of("unix"))))
                        .listen(List.of(Endpoint.parse("unix:///e.sock?proxy=v1"), Endpoint.parse("tls://:7?proxy=v1")))
                        .tls(TlsSettings.of(Path.of("/c.pem"), Path.of("/k.pem"))).build());
        assertMessage("proxy: trusted proxies are set, but no endpoint takes PROXY headers",
                () -> served.withListen("tcp://:7"));
        assertEquals(ProxySettings.DEFAULT_HEADER_TIMEOUT, ServerConfig.defaults().proxy().headerTimeout());
        assertTrue(ServerConfig.defaults().proxy().trustedProxies().isEmpty());
    }

    @Test
    void tlsSettingsNameWhatIsMissing() {
        Path cert = Path.of("/c.pem");
        TlsSettings none = TlsSettings.none();
        assertFalse(none.isConfigured());
        assertMessage("tls: a certificate and its key go together: the key is missing",
                () -> new TlsSettings(Optional.of(cert), Optional.empty(), Optional.empty(), Optional.empty(),
                        TlsProvider.AUTO, TlsSettings.DEFAULT_HANDSHAKE_TIMEOUT));
        assertMessage("the certificate is missing",
                () -> new TlsSettings(Optional.empty(), Optional.of(cert), Optional.empty(), Optional.empty(),
                        TlsProvider.AUTO, TlsSettings.DEFAULT_HANDSHAKE_TIMEOUT));
        assertMessage("tls: a client CA needs the server's own certificate and key",
                () -> none.withClientCa(cert));
        assertMessage("tls: a key password is set, but there is no key", () -> none.withKeyPassword("x"));
        assertMessage("tls: handshakeTimeout must be > 0 and at most 5m",
                () -> none.withHandshakeTimeout(Duration.ZERO));
        assertMessage("handshakeTimeout", () -> none.withHandshakeTimeout(Duration.ofMinutes(6)));
        TlsSettings mutual = TlsSettings.of(cert, Path.of("/k.pem")).withClientCa(Path.of("/ca.pem"))
                .withKeyPassword("secret");
        assertTrue(mutual.requiresClientCertificates());
        assertFalse(mutual.toString().contains("secret"), mutual.toString());
    }

    @Test
    void adminControlIsOffByDefaultAndNeedsATokenFileAndTheAdminEndpoint() {
        assertFalse(ServerConfig.defaults().adminControl().enabled());
        Path token = Path.of("/run/secrets/admin-token");
        ServerConfig on = ServerConfig.defaults().withAdmin("http://127.0.0.1:0").withAdminControl(token);
        assertEquals(Optional.of(token), on.adminControl().tokenFile());
        assertMessage("adminControl needs a bearer token: set tokenFile",
                () -> new AdminControl(true, Optional.empty()));
        assertMessage("tokenFile is set but adminControl is off",
                () -> new AdminControl(false, Optional.of(token)));
        assertMessage("adminControl needs the admin endpoint: set admin",
                () -> ServerConfig.defaults().withAdminControl(token));
    }

    private static void assertMessage(String expected, Runnable r) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, r::run);
        assertTrue(e.getMessage().contains(expected), e.getMessage());
        assertFalse(e.getMessage().matches("(?s).*(--[a-z]|ECHOACK_).*"),
                "names fields, not the command line's flags or variables: " + e.getMessage());
    }
}
