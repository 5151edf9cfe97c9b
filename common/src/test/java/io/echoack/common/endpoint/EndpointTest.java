package io.echoack.common.endpoint;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.echoack.common.codec.Framing;
import io.echoack.common.codec.InfoFormat;
import io.echoack.common.codec.ReplyMode;
import io.echoack.common.fault.Faults;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class EndpointTest {

    @Test
    void parsesTcpWithHostAndPort() {
        Endpoint e = Endpoint.parse("tcp://127.0.0.1:51717");
        assertEquals(EndpointKind.TCP, e.kind());
        assertEquals("127.0.0.1", e.host());
        assertEquals(51717, e.port());
        assertNull(e.path());
        assertTrue(e.mode().isEmpty());
        assertTrue(e.framing().isEmpty());
    }

    @Test
    void parsesUdpAndHostNames() {
        Endpoint e = Endpoint.parse("udp://localhost:7");
        assertEquals(EndpointKind.UDP, e.kind());
        assertEquals("localhost", e.host());
        assertEquals(7, e.port());
        assertTrue(e.kind().isDatagram());
    }

    @Test
    void parsesBracketedIpv6() {
        Endpoint e = Endpoint.parse("tcp://[::1]:7");
        assertEquals("::1", e.host());
        assertEquals(7, e.port());
        assertEquals("tcp://[::1]:7", e.toString());
        assertEquals("fe80::1%lo", Endpoint.parse("udp://[fe80::1%lo]:9").host());
    }

    @Test
    void parsesTlsLikeTcpWithOverrides() {
        Endpoint e = Endpoint.parse("tls://[::1]:8443?mode=echo&framing=length");
        assertEquals(EndpointKind.TLS, e.kind());
        assertEquals("::1", e.host());
        assertEquals(8443, e.port());
        assertTrue(e.kind().isStream());
        assertTrue(e.kind().isTls());
        assertFalse(e.kind().isUnixDomain());
        assertFalse(EndpointKind.TCP.isTls());
        assertEquals(Optional.of(Framing.LENGTH), e.framing());
        assertEquals("tls://[::1]:8443", e.address());
        assertEquals(EndpointKind.TLS, Endpoint.parse("TLS://:8443").kind());
        assertTrue(Endpoint.parse("tls://:8443").isWildcardHost());
    }

    @Test
    void emptyHostMeansAllAddresses() {
        Endpoint e = Endpoint.parse("tcp://:51717");
        assertEquals("", e.host());
        assertTrue(e.isWildcardHost());
        assertTrue(Endpoint.parse("tcp://0.0.0.0:1").isWildcardHost());
        assertTrue(Endpoint.parse("tcp://[::]:1").isWildcardHost());
        assertFalse(Endpoint.parse("tcp://127.0.0.1:1").isWildcardHost());
    }

    @Test
    void parsesUnixPaths() {
        Endpoint e = Endpoint.parse("unix:///tmp/echoack.sock");
        assertEquals(EndpointKind.UNIX, e.kind());
        assertEquals(Path.of("/tmp/echoack.sock"), e.path());
        assertTrue(e.kind().isStream());
        assertTrue(e.kind().isUnixDomain());
        Endpoint g = Endpoint.parse("unixgram:///run/echo%20ack.sock");
        assertEquals(EndpointKind.UNIXGRAM, g.kind());
        assertEquals(Path.of("/run/echo ack.sock"), g.path());
    }

    @Test
    void schemeIsCaseInsensitive() {
        assertEquals(EndpointKind.TCP, Endpoint.parse("TCP://h:1").kind());
    }

    @Test
    void queryOverridesModeAndFraming() {
        Endpoint e = Endpoint.parse("tcp://:7?mode=echo&framing=length");
        assertEquals(Optional.of(ReplyMode.ECHO), e.mode());
        assertEquals(Optional.of(Framing.LENGTH), e.framing());
        assertEquals(Framing.LENGTH, e.framingOr(Optional.of(Framing.LINE), ReplyMode.ECHO));
        assertEquals("tcp://:7?mode=echo&framing=length", e.toString());
        assertEquals(ReplyMode.ACK, Endpoint.parse("udp://:7?mode=ack").modeOr(ReplyMode.ECHO));
    }

    @Test
    void formatIsTheQuerysElseTextOnLineAndRawElseJson() {
        Endpoint e = Endpoint.parse("tcp://:7?mode=info&format=json");
        assertEquals(Optional.of(InfoFormat.JSON), e.format());
        assertEquals(InfoFormat.JSON, e.formatOr(Framing.LINE));
        assertEquals("tcp://:7?mode=info&format=json", e.toString());
        Endpoint plain = Endpoint.parse("tcp://:7?mode=info");
        assertEquals(InfoFormat.TEXT, plain.formatOr(Framing.LINE));
        assertEquals(InfoFormat.TEXT, plain.formatOr(Framing.RAW));
        assertEquals(InfoFormat.JSON, plain.formatOr(Framing.LENGTH));
        assertEquals(InfoFormat.JSON, Endpoint.parse("udp://:7").formatOr(null), "datagrams: json");
        assertEquals(Framing.LINE, Endpoint.parse("tcp://:7?mode=info").framingOr(Optional.empty(), ReplyMode.INFO));
    }

    @Test
    void streamEndpointsTakeAProxyProtocolHeaderOnlyWhenTheQuerySaysSo() {
        assertEquals(Optional.empty(), Endpoint.parse("tcp://:7").proxy());
        assertEquals(Optional.of(ProxyProtocol.V1), Endpoint.parse("tcp://:7?proxy=v1").proxy());
        assertEquals(Optional.of(ProxyProtocol.V2), Endpoint.parse("tls://:7?proxy=V2").proxy());
        assertEquals(Optional.of(ProxyProtocol.ANY), Endpoint.parse("unix:///a.sock?proxy=any").proxy());
        Endpoint optional = Endpoint.parse("tcp://:7?mode=echo&proxy=optional");
        assertEquals(Optional.of(ProxyProtocol.OPTIONAL), optional.proxy());
        assertEquals("tcp://:7?mode=echo&proxy=optional", optional.toString());
        assertEquals("tcp://:7", optional.address());
        assertEquals(Optional.of(ProxyProtocol.OPTIONAL), optional.withPort(9).proxy());
    }

    @Test
    void proxyProtocolsSayWhichHeadersTheyTake() {
        assertTrue(ProxyProtocol.V1.accepts(1));
        assertFalse(ProxyProtocol.V1.accepts(2));
        assertFalse(ProxyProtocol.V2.accepts(1));
        assertTrue(ProxyProtocol.V2.accepts(2));
        assertTrue(ProxyProtocol.ANY.accepts(1) && ProxyProtocol.ANY.accepts(2));
        assertTrue(ProxyProtocol.OPTIONAL.accepts(1) && ProxyProtocol.OPTIONAL.accepts(2));
        assertTrue(ProxyProtocol.ANY.requiresHeader());
        assertFalse(ProxyProtocol.OPTIONAL.requiresHeader());
    }

    @Test
    void framingFallsBackToFlagThenToModeDefault() {
        Endpoint e = Endpoint.parse("tcp://:7");
        assertEquals(Framing.RAW, e.framingOr(Optional.of(Framing.RAW), ReplyMode.ACK));
        assertEquals(Framing.LINE, e.framingOr(Optional.empty(), ReplyMode.ACK));
        assertEquals(Framing.RAW, e.framingOr(Optional.empty(), ReplyMode.ECHO));
    }

    @ParameterizedTest
    @ValueSource(strings = {"tcp://127.0.0.1:51717", "udp://:7", "tls://localhost:8443?framing=raw", "unix:///tmp/a.sock", "unixgram:///tmp/b.sock",
            "tcp://[::1]:0?mode=echo", "unix:///x.sock?framing=length&mode=ack", "udp://:7?mode=info&format=text",
            "tcp://h:1?format=json", "tcp://:7?proxy=v2", "tls://:8443?mode=echo&proxy=optional",
            "unix:///p.sock?framing=raw&proxy=any", "tcp://:7?mode=info&proxy=v1&format=json"})
    void toStringRoundTrips(String text) {
        Endpoint e = Endpoint.parse(text);
        assertEquals(e, Endpoint.parse(e.toString()));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "http://h:1|unknown scheme 'http' (expected tcp, udp, tls, unix or unixgram)",
            "h:1|missing scheme",
            "tcp://h|missing port (expected tcp://HOST:PORT)",
            "tcp://h:|missing port number",
            "tcp://h:http|port 'http' is not a number",
            "tcp://h:65536|port 65536 is out of range 0..65535",
            "tcp://h:-1|port '-1' is not a number",
            "tcp://::1:7|an IPv6 address must be in brackets",
            "tcp://[::1:7|unclosed '['",
            "tcp://[::1]|missing port after ']'",
            "tcp://h:1/x|a tcp endpoint takes no path",
            "tls://h|missing port (expected tls://HOST:PORT)",
            "tls://::1:7|an IPv6 address must be in brackets, e.g. tls://[::1]:51717",
            "tls://h:1/x|a tls endpoint takes no path",
            "unix://tmp/a.sock|socket path must be absolute",
            "unix://|missing socket path",
            "tcp://h:1?colour=red|unknown query parameter 'colour' (expected mode, framing, proxy, format or a fault: delay,",
            "tcp://:7000?delay=fast|fault delay=fast: 'fast' is not a duration",
            "tcp://:7000?reset=120%|fault reset=120%: '120%' is outside 0%..100%",
            "tcp://:7000?drop=1%|fault drop applies to datagram endpoints only (udp, unixgram); tcp is a stream",
            "unix:///tmp/s.sock?duplicate=1%|fault duplicate applies to datagram endpoints only",
            "udp://:7000?reset=1%|fault reset applies to stream endpoints only (tcp, tls, unix); udp sends datagrams",
            "unixgram:///tmp/g.sock?blackhole=5%|fault blackhole applies to stream endpoints only",
            "tcp://h:1?proxy=v3|unknown proxy 'v3' (expected v1, v2, any or optional)",
            "tcp://h:1?proxy=|unknown proxy '' (expected v1, v2, any or optional)",
            "udp://h:1?proxy=v2|proxy applies to stream endpoints only (tcp, tls, unix); udp has no connection",
            "unixgram:///tmp/g.sock?proxy=any|proxy applies to stream endpoints only",
            "tcp://h:1?mode=loud|unknown mode 'loud' (expected ack, echo or info)",
            "tcp://h:1?framing=xml|unknown framing 'xml' (expected line, raw or length)",
            "udp://h:1?framing=line|framing applies to stream endpoints only",
            "tcp://h:1?format=xml|unknown format 'xml' (expected text or json)",
            "tcp://h:1?mode=ack&format=json|format applies to mode=info only, not mode=ack",
    })
    void rejectsMalformedInputNamingIt(String input, String expected) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Endpoint.parse(input));
        assertTrue(e.getMessage().startsWith("invalid endpoint '" + input + "': "), e.getMessage());
        assertTrue(e.getMessage().contains(expected), () -> "expected '" + expected + "' in: " + e.getMessage());
    }

    @Test
    void rejectsEmptyInput() {
        assertThrows(IllegalArgumentException.class, () -> Endpoint.parse(""));
        assertThrows(IllegalArgumentException.class, () -> Endpoint.parse(null));
    }

    @Test
    void rejectsUnixPathsTooLongForTheKernel() {
        String path = "/tmp/" + "x".repeat(Endpoint.MAX_UNIX_PATH_BYTES);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Endpoint.parse("unix://" + path));
        assertTrue(e.getMessage().contains("limited to 107 bytes"), e.getMessage());
        String fits = "/" + "y".repeat(Endpoint.MAX_UNIX_PATH_BYTES - 1);
        assertEquals(Path.of(fits), Endpoint.parse("unix://" + fits).path());
    }

    @Test
    void withPortKeepsEverythingElse() {
        Endpoint e = Endpoint.parse("tcp://127.0.0.1:0?mode=echo").withPort(4242);
        assertEquals("tcp://127.0.0.1:4242?mode=echo", e.toString());
        assertEquals("tcp://127.0.0.1:4242", e.address());
    }

    @Test
    void faultsAreReadFromTheQueryAndWrittenBack() {
        Endpoint e = Endpoint.parse("tcp://:7000?mode=echo&delay=20ms&jitter=5ms&reset=1%");
        assertEquals(Faults.parse("delay=20ms&jitter=5ms&reset=1%"), e.faults());
        assertEquals(Optional.of(ReplyMode.ECHO), e.mode());
        assertEquals("tcp://:7000?mode=echo&delay=20ms&jitter=5ms&reset=1%", e.toString());
        assertEquals(e, Endpoint.parse(e.toString()));
        assertEquals("tcp://:7000", e.address());
        assertEquals(e.faults(), e.withPort(1).faults());
        Endpoint u = Endpoint.parse("udp://[::1]:0?drop=2.5%25&duplicate=1%&delay=1ms");
        assertEquals(25_000, u.faults().ppm(io.echoack.common.fault.FaultKey.DROP));
        assertEquals(Faults.NONE, Endpoint.parse("tcp://:1").faults());
        assertEquals(Faults.NONE, e.withFaults(Faults.NONE).faults());
        assertThrows(IllegalArgumentException.class, () -> e.withFaults(Faults.parse("drop=1%")));
    }
}
