package io.echoack.server.access;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.Inet6Address;
import java.net.InetAddress;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class CidrTest {

    private static InetAddress ip(String literal) throws Exception {
        return InetAddress.getByName(literal); // literals only: no lookup
    }

    /** An IPv4-mapped address as a dual-stack socket reports it (Inet6Address, not unmapped by the JDK). */
    private static InetAddress mapped(String ipv4) throws Exception {
        byte[] v4 = InetAddress.getByName(ipv4).getAddress();
        byte[] b = new byte[16];
        b[10] = (byte) 0xff;
        b[11] = (byte) 0xff;
        System.arraycopy(v4, 0, b, 12, 4);
        return Inet6Address.getByAddress(null, b, -1);
    }

    @ParameterizedTest
    @CsvSource({
        "10.0.0.0/8, 10.0.0.0/8",
        "192.168.1.5, 192.168.1.5/32",
        "0.0.0.0/0, 0.0.0.0/0",
        "::1, ::1/128",
        "::1/128, ::1/128",
        "[::1]/128, ::1/128",
        "2001:DB8::/32, 2001:db8::/32",
        "::/0, ::/0",
        "::ffff:10.0.0.0/104, 10.0.0.0/8",
        "::ffff:192.0.2.1, 192.0.2.1/32",
        "' 172.16.0.0/12 ', 172.16.0.0/12",
    })
    void parsesToACanonicalForm(String text, String canonical) {
        assertEquals(canonical, Cidr.parse(text).toString());
    }

    @Test
    void matchesAddressesInsideTheRangeOnly() throws Exception {
        Cidr net = Cidr.parse("10.0.0.0/8");
        assertTrue(net.contains(ip("10.0.0.0")));
        assertTrue(net.contains(ip("10.255.255.255")));
        assertFalse(net.contains(ip("11.0.0.0")));
        assertFalse(net.contains(ip("9.255.255.255")));
        Cidr host = Cidr.parse("192.168.1.5");
        assertTrue(host.contains(ip("192.168.1.5")));
        assertFalse(host.contains(ip("192.168.1.4")));
        Cidr odd = Cidr.parse("172.16.0.0/12");
        assertTrue(odd.contains(ip("172.31.255.255")));
        assertFalse(odd.contains(ip("172.32.0.0")));
    }

    @Test
    void ipv6RangesMatchAcrossTheTwoHalvesOfTheAddress() throws Exception {
        assertTrue(Cidr.parse("::1/128").contains(ip("::1")));
        assertFalse(Cidr.parse("::1/128").contains(ip("::2")));
        Cidr doc = Cidr.parse("2001:db8::/32");
        assertTrue(doc.contains(ip("2001:db8:ffff::1")));
        assertFalse(doc.contains(ip("2001:db9::1")));
        Cidr wide = Cidr.parse("2001:db8:0:0:8000::/65");
        assertTrue(wide.contains(ip("2001:db8::8000:0:0:1")));
        assertFalse(wide.contains(ip("2001:db8::7fff:0:0:1")));
        assertTrue(Cidr.parse("::/0").contains(ip("fe80::1")));
    }

    @Test
    void ipv4RangesMatchIpv4MappedClientsAndOnlyThem() throws Exception {
        assertTrue(Cidr.parse("10.0.0.0/8").contains(mapped("10.1.2.3")));
        assertFalse(Cidr.parse("10.0.0.0/8").contains(mapped("11.1.2.3")));
        assertTrue(Cidr.parse("::ffff:10.0.0.0/104").contains(ip("10.9.9.9")));
        assertFalse(Cidr.parse("::/0").contains(ip("10.9.9.9")), "an IPv6 range never matches an IPv4 client");
        assertFalse(Cidr.parse("::/0").contains(mapped("10.9.9.9")));
        assertFalse(Cidr.parse("0.0.0.0/0").contains(ip("::1")), "an IPv4 range never matches an IPv6 client");
        assertTrue(Cidr.parse("0.0.0.0/0").contains(ip("255.255.255.255")));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "10.0.0.0/33        | prefix length must be 0..32 for IPv4, was 33",
        "::/129             | prefix length must be 0..128 for IPv6, was 129",
        "10.0.0.0/          | missing prefix length",
        "10.0.0.0/-1        | prefix length '-1' is not a number",
        "10.0.0.0/8/8       | prefix length '8/8' is not a number",
        "10.0.0.0/x         | prefix length 'x' is not a number",
        "10.1.2.3/8         | host bits are set after the prefix (did you mean 10.0.0.0/8?)",
        "2001:db8::1/32     | host bits are set after the prefix (did you mean 2001:db8::/32?)",
        "localhost          | 'localhost' is not an IPv4 or IPv6 address (host names are not allowed)",
        "10.0.0             | is not an IPv4 or IPv6 address",
        "10.0.0.256         | is not an IPv4 or IPv6 address",
        "010.0.0.0/8        | '010' has a leading zero",
        "fe80::1%eth0       | zone ids",
        "/8                 | no address",
        "::ffff:10.0.0.0/95 | an IPv4-mapped range needs a prefix of at least 96",
        "g::1               | is not an IPv4 or IPv6 address",
    })
    void refusesBadInputQuotingItAndSayingWhy(String text, String problem) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Cidr.parse(text));
        assertTrue(e.getMessage().startsWith("invalid CIDR '" + text + "': "), e.getMessage());
        assertTrue(e.getMessage().contains(problem), e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " "})
    void refusesEmptyInput(String text) {
        assertThrows(IllegalArgumentException.class, () -> Cidr.parse(text));
    }

    @Test
    void valueSemantics() throws Exception {
        assertEquals(Cidr.parse("10.0.0.0/8"), Cidr.parse("::ffff:10.0.0.0/104"));
        assertEquals(Cidr.parse("10.0.0.0/8").hashCode(), Cidr.parse("::ffff:10.0.0.0/104").hashCode());
        assertNotEquals(Cidr.parse("10.0.0.0/8"), Cidr.parse("10.0.0.0/9"));
        assertNotEquals(Cidr.parse("0.0.0.0/0"), Cidr.parse("::/0"));
        assertEquals(ip("10.0.0.0"), Cidr.parse("10.0.0.0/8").network());
        assertEquals(8, Cidr.parse("10.0.0.0/8").prefixLength());
        assertTrue(Cidr.parse("::ffff:10.0.0.0/104").isIpv4());
    }
}
