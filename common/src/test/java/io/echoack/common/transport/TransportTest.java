package io.echoack.common.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.echoack.common.endpoint.Endpoint;
import io.echoack.common.endpoint.EndpointKind;
import io.echoack.common.text.InvalidFieldException;
import io.echoack.common.testing.TestTransports;
import io.netty.channel.Channel;
import io.netty.channel.epoll.EpollDomainDatagramChannel;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.socket.nio.NioServerDomainSocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.channel.unix.DomainSocketAddress;
import java.net.InetSocketAddress;
import java.net.UnixDomainSocketAddress;
import java.util.Locale;
import java.util.Set;
import org.junit.jupiter.api.Test;

class TransportTest {

    private static boolean linux() {
        return System.getProperty("os.name").toLowerCase(Locale.ROOT).contains("linux");
    }

    @Test
    void autoPrefersEpollOnLinux() {
        assumeTrue(linux());
        TransportSelection s = Transport.select(Transport.AUTO);
        assertEquals(Transport.EPOLL, s.transport(), s.reason()::toString);
        assertTrue(s.isNative());
    }

    @Test
    void nioIsAlwaysAvailable() {
        TransportSelection s = Transport.select(Transport.NIO);
        assertEquals(Transport.NIO, s.transport());
        assertFalse(s.isNative());
        assertNull(Transport.NIO.unavailabilityCause());
    }

    @Test
    void explicitlyRequestedMissingTransportFailsWithItsCause() {
        assumeTrue(linux());
        TransportUnavailableException e = assertThrows(TransportUnavailableException.class,
                () -> Transport.select(Transport.KQUEUE));
        assertTrue(e.getMessage().startsWith("transport kqueue is not available here"), e.getMessage());
        assertNotNull(e.getCause());
        assertNotNull(Transport.KQUEUE.unavailabilityCause());
    }

    @Test
    void aLibraryCallerIsToldWhichFieldToChangeNotAFlag() {
        TransportUnavailableException e = new TransportUnavailableException(Transport.KQUEUE,
                new UnsatisfiedLinkError("no libnetty_transport_native_kqueue"));
        assertEquals("transport kqueue is not available here: UnsatisfiedLinkError: "
                + "no libnetty_transport_native_kqueue (use transport auto or nio)", e.getMessage());
        assertEquals(e.getMessage(), e.fieldMessage().orElseThrow().toString());
        assertEquals(Set.of("transport"), e.fieldMessage().orElseThrow().fields());
        assertTrue(e.fieldMessage().orElseThrow().render(f -> "--" + f).endsWith("(use --transport auto or nio)"));
    }

    @Test
    void aRequestedTransportsReasonNamesItsField() {
        TransportSelection nio = Transport.select(Transport.NIO);
        assertEquals("requested with transport nio", nio.reason().toString());
        assertEquals("requested with ECHOACK_TRANSPORT nio", nio.reason().render(f -> "ECHOACK_TRANSPORT"));
    }

    @Test
    void parsesNames() {
        assertEquals(Transport.IO_URING, Transport.parse("io-uring"));
        assertEquals(Transport.IO_URING, Transport.parse("IO_URING"));
        assertEquals(Transport.EPOLL, Transport.parse("epoll"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Transport.parse("dpdk"));
        assertTrue(e.getMessage().contains("expected auto, epoll, kqueue, io_uring or nio"));
    }

    @Test
    void nioRefusesUnixDatagramNamingTransportsThatCan() {
        assertFalse(Transport.NIO.supports(EndpointKind.UNIXGRAM));
        assertTrue(Transport.NIO.supports(EndpointKind.UNIX));
        InvalidFieldException e = assertThrows(InvalidFieldException.class,
                () -> Transport.NIO.requireSupport(Endpoint.parse("unixgram:///tmp/x.sock")));
        assertEquals("unixgram:///tmp/x.sock: the nio transport has no Unix datagram sockets; use transport epoll "
                + "(Linux) or kqueue (macOS/BSD)", e.getMessage());
        assertEquals(Set.of("transport"), e.fieldMessage().orElseThrow().fields());
        assertFalse(Transport.IO_URING.supports(EndpointKind.UNIXGRAM));
        assertTrue(Transport.EPOLL.supports(EndpointKind.UNIXGRAM));
    }

    @Test
    void halfClosureOnUnixStreamsOnlyOnNativeEpollAndKqueue() {
        assertTrue(Transport.EPOLL.supportsHalfClosure(EndpointKind.UNIX));
        assertTrue(Transport.KQUEUE.supportsHalfClosure(EndpointKind.UNIX));
        assertFalse(Transport.NIO.supportsHalfClosure(EndpointKind.UNIX));
        assertFalse(Transport.IO_URING.supportsHalfClosure(EndpointKind.UNIX));
        assertTrue(Transport.NIO.supportsHalfClosure(EndpointKind.TCP));
        assertTrue(Transport.NIO.supportsHalfClosure(EndpointKind.TLS));
    }

    @Test
    void tlsIsCarriedByTcpSockets() {
        assertTrue(Transport.NIO.supports(EndpointKind.TLS));
        assertTrue(Transport.IO_URING.supports(EndpointKind.TLS));
        Channel server = Transport.NIO.serverChannelFactory(EndpointKind.TLS).newChannel();
        Channel client = Transport.NIO.streamChannelFactory(EndpointKind.TLS).newChannel();
        try {
            assertInstanceOf(NioServerSocketChannel.class, server);
            assertInstanceOf(NioSocketChannel.class, client);
        } finally {
            server.unsafe().closeForcibly();
            client.unsafe().closeForcibly();
        }
        InetSocketAddress address = (InetSocketAddress) Transport.NIO.socketAddress(Endpoint.parse("tls://127.0.0.1:9"));
        assertEquals(9, address.getPort());
        assertThrows(IllegalArgumentException.class, () -> Transport.NIO.datagramChannelFactory(EndpointKind.TLS));
    }

    @Test
    void unixAddressTypeFollowsTransport() {
        Endpoint e = Endpoint.parse("unix:///tmp/echoack-test.sock");
        assertInstanceOf(UnixDomainSocketAddress.class, Transport.NIO.socketAddress(e));
        assertInstanceOf(DomainSocketAddress.class, Transport.EPOLL.socketAddress(e));
        assertEquals("/tmp/echoack-test.sock", ((DomainSocketAddress) Transport.EPOLL.socketAddress(e)).path());
    }

    @Test
    void inetAddresses() {
        InetSocketAddress any = (InetSocketAddress) Transport.NIO.socketAddress(Endpoint.parse("tcp://:7"));
        assertTrue(any.getAddress().isAnyLocalAddress());
        InetSocketAddress v6 = (InetSocketAddress) Transport.EPOLL.socketAddress(Endpoint.parse("udp://[::1]:9"));
        assertEquals(9, v6.getPort());
        assertTrue(v6.getAddress().isLoopbackAddress());
    }

    @Test
    void channelClassesPerKind() {
        TestTransports.assumeAvailable(Transport.EPOLL);
        Channel server = Transport.EPOLL.serverChannelFactory(EndpointKind.TCP).newChannel();
        Channel unixgram = Transport.EPOLL.datagramChannelFactory(EndpointKind.UNIXGRAM).newChannel();
        Channel nioUnix = Transport.NIO.serverChannelFactory(EndpointKind.UNIX).newChannel();
        try {
            assertInstanceOf(EpollServerSocketChannel.class, server);
            assertInstanceOf(EpollDomainDatagramChannel.class, unixgram);
            assertInstanceOf(NioServerDomainSocketChannel.class, nioUnix);
        } finally {
            server.unsafe().closeForcibly();
            unixgram.unsafe().closeForcibly();
            nioUnix.unsafe().closeForcibly();
        }
        assertThrows(IllegalArgumentException.class, () -> Transport.NIO.serverChannelFactory(EndpointKind.UDP));
        assertThrows(IllegalStateException.class, () -> Transport.AUTO.ioHandlerFactory());
    }
}
