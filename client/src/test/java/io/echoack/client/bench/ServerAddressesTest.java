package io.echoack.client.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.netty.channel.unix.DomainSocketAddress;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Which addresses a run's connections go to, in which order. */
class ServerAddressesTest {

    private static final int PORT = 51718;

    @Test
    void aNameWithSeveralAddressesGetsTheConnectionsInTurn() throws Exception {
        // Docker's DNS answers a scaled service's name with every replica, in an order of its own.
        InetSocketAddress first = named("replica", 10, 0, 0, 3);
        ServerAddresses servers = ServerAddresses.resolve(first,
                host -> new InetAddress[] {ip(10, 0, 0, 2), ip(10, 0, 0, 3), ip(10, 0, 0, 4)});
        assertEquals(3, servers.size());
        List<SocketAddress> taken = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            taken.add(servers.next());
        }
        assertEquals(List.of(first, at(10, 0, 0, 2), at(10, 0, 0, 4), first, at(10, 0, 0, 2), at(10, 0, 0, 4), first),
                taken, "the plain connect's address first, then the others, each in turn");
    }

    @Test
    void onlyAddressesOfTheFirstOnesFamily() throws Exception {
        // localhost is 127.0.0.1 and ::1 on many hosts; a server listening on 127.0.0.1 only must get every connection
        InetSocketAddress first = named("localhost", 127, 0, 0, 1);
        ServerAddresses servers = ServerAddresses.resolve(first,
                host -> new InetAddress[] {ip(127, 0, 0, 1), InetAddress.getByName("::1")});
        assertEquals(1, servers.size());
        assertEquals(first, servers.next());
        assertEquals(first, servers.next());
    }

    @Test
    void anIpLiteralOrAUnixPathIsThatAddressAlone() {
        ServerAddresses.Resolver never = host -> {
            throw new AssertionError("resolved " + host);
        };
        SocketAddress literal = new InetSocketAddress("127.0.0.1", PORT);
        assertEquals(literal, ServerAddresses.resolve(literal, never).next());
        SocketAddress v6 = new InetSocketAddress("::1", PORT);
        assertEquals(1, ServerAddresses.resolve(v6, never).size());
        SocketAddress unix = new DomainSocketAddress("/tmp/echoack.sock");
        assertEquals(unix, ServerAddresses.resolve(unix, never).next());
        SocketAddress unresolved = InetSocketAddress.createUnresolved("nowhere.invalid", PORT);
        assertEquals(unresolved, ServerAddresses.resolve(unresolved, never).next());
    }

    @Test
    void aNameThatNoLongerResolvesKeepsItsFirstAddress() throws Exception {
        InetSocketAddress first = named("replica", 10, 0, 0, 3);
        ServerAddresses servers = ServerAddresses.resolve(first, host -> {
            throw new UnknownHostException(host);
        });
        assertEquals(List.of(first, first), List.of(servers.next(), servers.next()));
    }

    private static InetSocketAddress named(String host, int... bytes) throws UnknownHostException {
        return new InetSocketAddress(InetAddress.getByAddress(host, toBytes(bytes)), PORT);
    }

    private static InetSocketAddress at(int... bytes) throws UnknownHostException {
        return new InetSocketAddress(ip(bytes), PORT);
    }

    private static InetAddress ip(int... bytes) throws UnknownHostException {
        return InetAddress.getByAddress(toBytes(bytes));
    }

    private static byte[] toBytes(int... bytes) {
        byte[] out = new byte[bytes.length];
        for (int i = 0; i < bytes.length; i++) {
            out[i] = (byte) bytes[i];
        }
        return out;
    }
}
