package io.echoack.client.net;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.echoack.common.endpoint.Endpoint;
import io.echoack.common.text.InvalidFieldException;
import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** What a PROXY header may say, and where it may be sent: each refusal names the field at fault. */
@Timeout(10)
class ProxyHeaderTest {

    private static final ProxyHeader V1 = ProxyHeader.of(ProxyHeader.Version.V1);
    private static final ProxyHeader V2 = ProxyHeader.of(ProxyHeader.Version.V2);

    @Test
    void v1HasNoTlvs() {
        InvalidFieldException e = assertThrows(InvalidFieldException.class,
                () -> V1.withTlvs(List.of(ProxyTlv.parse("alpn=h2"))));
        assertEquals("tlvs: PROXY protocol v1 has no TLVs; use proxyHeader v2", e.getMessage());
    }

    @Test
    void sourceAndDestinationAreOfOneFamily() {
        InvalidFieldException e = assertThrows(InvalidFieldException.class, () -> V1
                .withSource(ProxyHeader.parseAddress("192.0.2.1:1")).withDestination(ProxyHeader.parseAddress("[::1]:2")));
        assertEquals("source 192.0.2.1:1 is IPv4 but destination [::1]:2 is IPv6: a PROXY header carries one address "
                + "family", e.getMessage());
        assertEquals(Set.of("source", "destination"), e.fieldMessage().orElseThrow().fields());
    }

    @Test
    void theTlvsFitTheHeadersLength() {
        ProxyTlv big = new ProxyTlv(0xE0, new byte[ProxyTlv.MAX_VALUE_BYTES]);
        InvalidFieldException e = assertThrows(InvalidFieldException.class, () -> V2.withTlvs(List.of(big)));
        assertTrue(e.getMessage().startsWith("tlvs take 65538 bytes; a v2 header holds at most 65319"), e.getMessage());
        V2.withTlvs(List.of(new ProxyTlv(0xE0, new byte[ProxyHeader.MAX_TLV_BYTES - 3])));
    }

    @ParameterizedTest
    @ValueSource(strings = {"udp://127.0.0.1:7", "unixgram:///tmp/x.sock"})
    void datagramEndpointsAreRefused(String endpoint) {
        InvalidFieldException e = assertThrows(InvalidFieldException.class,
                () -> V2.requireUsableOn(Endpoint.parse(endpoint)));
        assertEquals("proxyHeader works on stream endpoints only (tcp://, tls://, unix://); "
                + Endpoint.parse(endpoint).address() + " is a datagram endpoint", e.getMessage());
    }

    @Test
    void onUnixV1NeedsBothAddressesAndV2BothOrNeither() {
        Endpoint unix = Endpoint.parse("unix:///tmp/x.sock");
        InetSocketAddress a = ProxyHeader.parseAddress("192.0.2.1:1");
        InetSocketAddress b = ProxyHeader.parseAddress("192.0.2.2:2");
        assertEquals(Set.of("proxyHeader", "source", "destination"), assertThrows(InvalidFieldException.class,
                () -> V1.requireUsableOn(unix)).fieldMessage().orElseThrow().fields());
        assertThrows(InvalidFieldException.class, () -> V1.withSource(a).requireUsableOn(unix));
        InvalidFieldException one = assertThrows(InvalidFieldException.class,
                () -> V2.withDestination(b).requireUsableOn(unix));
        assertTrue(one.getMessage().startsWith("on unix:///tmp/x.sock give both source and destination, or neither"),
                one.getMessage());
        V1.withSource(a).withDestination(b).requireUsableOn(unix);
        V2.requireUsableOn(unix);
        V2.withSource(a).withDestination(b).requireUsableOn(unix);
        V1.requireUsableOn(Endpoint.parse("tcp://127.0.0.1:7"));
        V1.requireUsableOn(Endpoint.parse("tls://127.0.0.1:7"));
    }

    @Test
    void oneGivenAddressIsOfTheFamilyOfTheConnection() {
        ProxyHeader v6Source = V1.withSource(ProxyHeader.parseAddress("[2001:db8::1]:5"));
        InvalidFieldException e = assertThrows(InvalidFieldException.class,
                () -> v6Source.requireSameFamilyAs(new InetSocketAddress("127.0.0.1", 7)));
        assertEquals("source [2001:db8::1]:5 is IPv6 but the connection to 127.0.0.1:7 is IPv4; give destination "
                + "too, of the same family", e.getMessage());
        v6Source.requireSameFamilyAs(new InetSocketAddress("::1", 7));
        v6Source.withDestination(ProxyHeader.parseAddress("[::2]:8")).requireSameFamilyAs(
                new InetSocketAddress("127.0.0.1", 7)); // both given: the connection's own are not used
        V1.withDestination(ProxyHeader.parseAddress("10.0.0.1:80")).requireSameFamilyAs(
                new InetSocketAddress("127.0.0.1", 7));
    }

    @Test
    void addressesAreIpLiteralsWithAPort() {
        assertEquals(new InetSocketAddress("192.0.2.1", 51234), ProxyHeader.parseAddress("192.0.2.1:51234"));
        assertEquals(new InetSocketAddress("2001:db8::1", 443), ProxyHeader.parseAddress("[2001:db8::1]:443"));
        assertEquals(0, ProxyHeader.parseAddress("192.0.2.1:0").getPort());
        assertTrue(ProxyHeader.parseAddress("[::ffff:192.0.2.1]:1").getAddress() instanceof Inet6Address,
                "as typed: an IPv4-mapped address stays IPv6");
        for (String bad : List.of("192.0.2.1", "example.com:80", "192.0.2.1:65536", "192.0.2.1:-1", "[::1]", "::1:80",
                "[192.0.2.1]:80", "192.0.2:80", ":80", "")) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> ProxyHeader.parseAddress(bad), bad);
            assertEquals("'" + bad + "' is not HOST:PORT with HOST an IP address and PORT 0-65535 (e.g. "
                    + "192.0.2.1:51234 or [2001:db8::1]:443)", e.getMessage());
        }
    }

    @Test
    void versionsAreV1AndV2() {
        assertEquals(ProxyHeader.Version.V1, ProxyHeader.Version.parse("v1"));
        assertEquals(ProxyHeader.Version.V2, ProxyHeader.Version.parse("V2"));
        assertEquals(ProxyHeader.Version.V2, ProxyHeader.Version.parse("2"));
        assertEquals("unknown PROXY protocol version 'v3' (expected v1 or v2)",
                assertThrows(IllegalArgumentException.class, () -> ProxyHeader.Version.parse("v3")).getMessage());
    }

    @Test
    void aTlvTypeIsANameOrANumberDecimalOrHex() {
        assertEquals(0x01, ProxyTlv.parse("alpn=h2").type());
        assertEquals(0x02, ProxyTlv.parse("AUTHORITY=example.com").type());
        assertEquals(0x05, ProxyTlv.parse("unique_id=x").type());
        assertEquals(0x30, ProxyTlv.parse("netns=blue").type());
        assertEquals(224, ProxyTlv.parse("224=x").type());
        assertEquals(0xE0, ProxyTlv.parse("0xE0=x").type());
        assertEquals(0x0A, ProxyTlv.parse("0xa=x").type());
        assertEquals(0, ProxyTlv.parse("0=x").type());
        assertEquals(255, ProxyTlv.parse("0xff=x").type());
        for (String bad : List.of("256=x", "0x100=x", "-1=x", "alpha=x", "0x=x", "=x", "1e2=x")) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ProxyTlv.parse(bad), bad);
            assertEquals("unknown TLV type '" + bad.substring(0, bad.indexOf('=')) + "' (expected a number 0-255, "
                    + "e.g. 224 or 0xE0, or one of alpn, authority, unique_id, netns, aws_vpce_id, azure_linkid)",
                    e.getMessage());
        }
        assertEquals("'alpn' is not TYPE=VALUE (e.g. alpn=h2, authority=example.com, 0xE0=hex:0a0b)",
                assertThrows(IllegalArgumentException.class, () -> ProxyTlv.parse("alpn")).getMessage());
    }

    @Test
    void aTlvValueIsUtf8TextOrHexAfterItsPrefix() {
        assertArrayEquals("héllo=world".getBytes(StandardCharsets.UTF_8), ProxyTlv.parse("0xE0=héllo=world").value());
        assertArrayEquals(new byte[] {0x0a, (byte) 0xff}, ProxyTlv.parse("0xE0=hex:0AfF").value());
        assertArrayEquals(new byte[0], ProxyTlv.parse("0x04=").value());
        assertArrayEquals(new byte[0], ProxyTlv.parse("0x04=hex:").value());
        assertEquals("'hex:abc' is not hex: after hex: give pairs of hex digits, e.g. hex:0a0b",
                assertThrows(IllegalArgumentException.class, () -> ProxyTlv.parse("0xE0=hex:abc")).getMessage());
        assertThrows(IllegalArgumentException.class, () -> ProxyTlv.parse("0xE0=hex:zz"));
    }

    @Test
    void aUniqueIdIsAtMost128Bytes() {
        ProxyTlv.parse("unique_id=" + "x".repeat(128));
        assertEquals("a unique_id holds at most 128 bytes, was 129", assertThrows(IllegalArgumentException.class,
                () -> ProxyTlv.parse("0x05=" + "x".repeat(129))).getMessage());
    }

    @Test
    void theCloudNamesPutTheirSubtypeFirst() {
        assertEquals("01" + HexFormat.of().formatHex("vpce-08d2bf15fac5001c9".getBytes(StandardCharsets.US_ASCII)),
                HexFormat.of().formatHex(ProxyTlv.parse("aws_vpce_id=vpce-08d2bf15fac5001c9").value()));
        assertEquals(0xEA, ProxyTlv.parse("aws_vpce_id=x").type());
        ProxyTlv azure = ProxyTlv.parse("azure_linkid=33554433"); // 0x02000001
        assertEquals(0xEE, azure.type());
        assertEquals("0101000002", HexFormat.of().formatHex(azure.value()), "subtype, then little-endian");
        assertEquals("01ffffffff", HexFormat.of().formatHex(ProxyTlv.parse("azure_linkid=4294967295").value()));
        assertEquals("azure_linkid takes a number 0-4294967295, was '4294967296'", assertThrows(
                IllegalArgumentException.class, () -> ProxyTlv.parse("azure_linkid=4294967296")).getMessage());
        assertThrows(IllegalArgumentException.class, () -> ProxyTlv.parse("azure_linkid=hex:01"));
    }

    @Test
    void aTlvIsAValueNotAnArrayReference() {
        assertEquals(ProxyTlv.parse("alpn=h2"), ProxyTlv.parse("1=hex:6832"));
        assertEquals(ProxyTlv.parse("alpn=h2").hashCode(), ProxyTlv.parse("1=hex:6832").hashCode());
        assertEquals("0x01=hex:6832", ProxyTlv.parse("alpn=h2").toString());
        byte[] value = {1, 2};
        ProxyTlv tlv = new ProxyTlv(0xE0, value);
        value[0] = 9;
        tlv.value()[1] = 9;
        assertArrayEquals(new byte[] {1, 2}, tlv.value());
        assertEquals(Optional.empty(), V2.source());
    }
}
