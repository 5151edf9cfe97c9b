package io.echoack.client.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.echoack.client.testing.CliRun;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The PROXY header options that do not fit together, or do not fit the endpoint: one line naming the flags, exit
 * 2, before any connection is made (the endpoints here have nothing listening, which would be exit 4).
 */
@Timeout(30)
class ProxyOptionsTest {

    @Test
    void anAddressOrTlvWithoutAHeaderIsAUsageError() {
        assertUsage("echoack: --proxy-source: only with --proxy-header v1 or v2, the header it describes",
                "send", "tcp://127.0.0.1:1", "x", "--proxy-source", "192.0.2.1:1");
        assertUsage("echoack: --proxy-destination: only with --proxy-header v1 or v2, the header it describes",
                "check", "tcp://127.0.0.1:1", "--proxy-destination", "192.0.2.1:1");
        assertUsage("echoack: --proxy-tlv: only with --proxy-header v1 or v2, the header it describes",
                "bench", "tcp://127.0.0.1:1", "--proxy-tlv", "alpn=h2");
    }

    @Test
    void v1HasNoTlvs() {
        assertUsage("echoack: --proxy-tlv: PROXY protocol v1 has no TLVs; use --proxy-header v2",
                "send", "tcp://127.0.0.1:1", "x", "--proxy-header", "v1", "--proxy-tlv", "alpn=h2");
        assertUsage("echoack: --proxy-tlv: PROXY protocol v1 has no TLVs; use --proxy-header v2",
                "bench", "tcp://127.0.0.1:1", "--proxy-header", "v1", "--proxy-tlv", "alpn=h2");
    }

    @Test
    void sourceAndDestinationAreOfOneFamily() {
        assertUsage("echoack: --proxy-source 192.0.2.1:1 is IPv4 but --proxy-destination [::1]:2 is IPv6: a PROXY "
                + "header carries one address family", "send", "tcp://127.0.0.1:1", "x", "--proxy-header", "v2",
                "--proxy-source", "192.0.2.1:1", "--proxy-destination", "[::1]:2");
    }

    @Test
    void oneGivenAddressIsOfTheConnectionsFamily() {
        String expected = "echoack: --proxy-source [2001:db8::1]:5 is IPv6 but the connection to 127.0.0.1:1 is "
                + "IPv4; give --proxy-destination too, of the same family";
        assertUsage(expected, "send", "tcp://127.0.0.1:1", "x", "--proxy-header", "v1", "--proxy-source",
                "[2001:db8::1]:5");
        assertUsage(expected, "bench", "tcp://127.0.0.1:1", "--proxy-header", "v1", "--proxy-source",
                "[2001:db8::1]:5", "--count", "1");
    }

    @ParameterizedTest
    @ValueSource(strings = {"send", "chat", "check", "bench"})
    void aDatagramEndpointIsRefusedNamingTheFlag(String command) {
        List<String> args = new ArrayList<>(List.of(command, "udp://127.0.0.1:9", "--proxy-header", "v2"));
        if (command.equals("send")) {
            args.add("x");
        }
        assertUsage("echoack: --proxy-header works on stream endpoints only (tcp://, tls://, unix://); "
                + "udp://127.0.0.1:9 is a datagram endpoint", args.toArray(String[]::new));
    }

    @Test
    void v1OnAUnixSocketNeedsBothAddresses() {
        assertUsage("echoack: --proxy-header v1 on unix:///tmp/echoack-nobody.sock needs both --proxy-source and "
                + "--proxy-destination: v1 carries IP addresses only, and a Unix socket has none to default to",
                "send", "unix:///tmp/echoack-nobody.sock", "x", "--proxy-header", "v1");
        assertUsage("echoack: on unix:///tmp/echoack-nobody.sock give both --proxy-source and --proxy-destination, "
                + "or neither (the header then carries the Unix socket paths): a Unix socket has no IP address to "
                + "default the other to", "check", "unix:///tmp/echoack-nobody.sock", "--proxy-header", "v2",
                "--proxy-source", "192.0.2.1:1");
    }

    private static void assertUsage(String line, String... args) {
        CliRun run = CliRun.run("", args);
        assertEquals(List.of(line), run.err().lines().toList(), run.err());
        assertEquals(ExitCodes.USAGE, run.exitCode(), run.err());
    }
}
