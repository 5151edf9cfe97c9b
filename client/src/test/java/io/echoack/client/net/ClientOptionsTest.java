package io.echoack.client.net;

import io.echoack.common.text.Durations;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.echoack.common.codec.Framing;
import io.echoack.common.codec.ReplyMode;
import io.echoack.common.endpoint.Endpoint;
import io.echoack.common.text.InvalidFieldException;
import io.echoack.common.transport.Transport;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class ClientOptionsTest {

    private static ClientOptions withFraming(Framing framing) {
        ClientOptions d = ClientOptions.defaults();
        return new ClientOptions(d.transport(), d.timeout(), d.retries(), d.mode(), Optional.ofNullable(framing),
                d.maxFrameLength(), d.ackText(), d.ioThreads(), d.tls(), d.proxyHeader(), d.keepalive());
    }

    @Test
    void streamFramingIsTheEndpointsThenTheOptionsThenLine() {
        Endpoint plain = Endpoint.parse("tcp://127.0.0.1:7");
        Endpoint echo = Endpoint.parse("tcp://127.0.0.1:7?mode=echo");
        Endpoint length = Endpoint.parse("unix:///tmp/x.sock?framing=length");
        assertEquals(Optional.of(Framing.LINE), ClientOptions.defaults().framingFor(plain));
        assertEquals(Optional.of(Framing.LINE), ClientOptions.defaults().framingFor(echo),
                "line even in echo mode: a line echoed raw comes back as a line");
        assertEquals(Optional.of(Framing.RAW), withFraming(Framing.RAW).framingFor(plain));
        assertEquals(Optional.of(Framing.LENGTH), withFraming(Framing.RAW).framingFor(length));
        assertEquals(Optional.empty(), withFraming(Framing.RAW).framingFor(Endpoint.parse("udp://127.0.0.1:7")));
    }

    @Test
    void modeIsTheEndpointsThenTheOptions() {
        assertEquals(ReplyMode.ECHO, ClientOptions.defaults().modeFor(Endpoint.parse("udp://h:7?mode=echo")));
        assertEquals(ReplyMode.ACK, ClientOptions.defaults().modeFor(Endpoint.parse("udp://h:7")));
    }

    @Test
    void invalidOptionsAreRejectedNamingTheField() {
        EchoAckClient.Builder builder = EchoAckClient.builder();
        assertEquals("timeout must be > 0, was PT0S", assertThrows(IllegalArgumentException.class,
                () -> builder.timeout(Duration.ZERO).build()).getMessage());
        assertEquals("retries must be >= 0, was -1", assertThrows(IllegalArgumentException.class,
                () -> EchoAckClient.builder().retries(-1).build()).getMessage());
        assertEquals("maxFrameLength must be > 0, was 0", assertThrows(IllegalArgumentException.class,
                () -> EchoAckClient.builder().maxFrameLength(0).build()).getMessage());
    }

    @Test
    void keepaliveIsWholeSecondsFromOneToTheKernelsMostNamingTheField() {
        for (Duration bad : new Duration[] {Duration.ofMillis(500), Duration.ofMillis(1500), Duration.ZERO,
                Duration.ofSeconds(ClientOptions.MAX_KEEPALIVE_SECONDS + 1)}) {
            InvalidFieldException e = assertThrows(InvalidFieldException.class,
                    () -> EchoAckClient.builder().keepalive(bad), bad.toString());
            assertEquals("keepalive must be whole seconds from 1s to 32767s (TCP counts keepalive time in seconds), "
                    + "was " + Durations.format(bad), e.getMessage());
            assertEquals("--keepalive must", e.fieldMessage().orElseThrow()
                    .render(field -> "--" + field).substring(0, 16));
        }
        assertEquals(Optional.of(Duration.ofSeconds(1)),
                EchoAckClient.builder().keepalive(Duration.ofSeconds(1)).options().keepalive());
        assertEquals(Optional.of(Duration.ofSeconds(32767)),
                EchoAckClient.builder().keepalive(Duration.ofSeconds(32767)).options().keepalive());
        assertEquals(Optional.empty(), ClientOptions.defaults().keepalive());
    }

    @Test
    void payloadsThatCannotBeOneMessageAreRejected() {
        ExchangeSettings line = ExchangeSettings.resolve(Endpoint.parse("tcp://h:7"), ClientOptions.defaults());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> line.checkPayload("a\nb".getBytes()))
                .getMessage().contains("newline"));
        ExchangeSettings raw = ExchangeSettings.resolve(Endpoint.parse("tcp://h:7?framing=raw"),
                ClientOptions.defaults());
        assertThrows(IllegalArgumentException.class, () -> raw.checkPayload(new byte[0]));
        ExchangeSettings udp = ExchangeSettings.resolve(Endpoint.parse("udp://h:7"), ClientOptions.defaults());
        udp.checkPayload(new byte[0]);
        assertTrue(assertThrows(IllegalArgumentException.class, () -> udp.checkPayload(new byte[70_000]))
                .getMessage().contains("max frame length"));
    }

    @Test
    void rawReplyLengthIsTheMessageLengthInEchoModeAndTheAckLengthWhenKnown() {
        ClientOptions d = ClientOptions.defaults();
        ClientOptions withAck = new ClientOptions(Transport.AUTO, d.timeout(), 0, ReplyMode.ACK, Optional.empty(),
                1024, Optional.of(AckTexts.STREAM), 1, TlsOptions.defaults(), Optional.empty(), Optional.empty());
        Endpoint raw = Endpoint.parse("tcp://h:7?framing=raw");
        assertEquals(18, ExchangeSettings.resolve(raw, withAck).rawReplyLength(new byte[3]));
        assertEquals(-1, ExchangeSettings.resolve(raw, d).rawReplyLength(new byte[3]));
        assertEquals(3, ExchangeSettings.resolve(Endpoint.parse("tcp://h:7?framing=raw&mode=echo"), withAck)
                .rawReplyLength(new byte[3]));
    }

    @Test
    void durationsAreFormattedAsTheCliSpellsThem() {
        assertEquals("2s", Durations.format(Duration.ofSeconds(2)));
        assertEquals("500ms", Durations.format(Duration.ofMillis(500)));
        assertEquals("1.5s", Durations.format(Duration.ofMillis(1500)));
    }

    @Test
    void tlsOptionsNameTheFieldsThatDoNotFitNotAFlag() {
        TlsOptions d = TlsOptions.defaults();
        assertEquals(d, ClientOptions.defaults().tls());
        assertEquals("a client certificate and its key go together: key is missing",
                assertThrows(IllegalArgumentException.class, () -> d.withCertificate(Path.of("/c.pem"), null))
                        .getMessage());
        assertEquals("insecure trusts any server certificate, so trustedCertificates would be ignored; give one or "
                        + "the other",
                assertThrows(IllegalArgumentException.class,
                        () -> d.withInsecure(true).withTrustedCertificates(Path.of("/ca.pem"))).getMessage());
        assertEquals("serverName ' ' is not a host name",
                assertThrows(IllegalArgumentException.class, () -> d.withServerName(" ")).getMessage());
        assertThrows(IllegalArgumentException.class, () -> d.withServerName("a/b"));
        assertEquals(Optional.of("::1"), d.withServerName("::1").serverName());
    }

    @Test
    void aLibraryCallerOfWithInsecureHearsNothingAboutFlags() {
        TlsOptions trusting = TlsOptions.defaults().withTrustedCertificates(Path.of("/ca.pem"));
        InvalidFieldException e = assertThrows(InvalidFieldException.class, () -> trusting.withInsecure(true));
        assertFalse(e.getMessage().contains("--"), e.getMessage());
        assertEquals(Set.of("insecure", "trustedCertificates"), e.fieldMessage().orElseThrow().fields());
    }

    @Test
    void aBuilderRejectsAnOutOfRangeValueNamingTheField() {
        assertEquals("ioThreads must be > 0, was 0", assertThrows(IllegalArgumentException.class,
                () -> EchoAckClient.builder().ioThreads(0)).getMessage());
        assertEquals(Duration.ofSeconds(3), EchoAckClient.builder().timeout(Duration.ofSeconds(3)).options().timeout());
        assertEquals(ClientOptions.defaults().withRetries(0), EchoAckClient.builder().retries(0).options());
    }
}
