package io.echoack.common.transport;

import static io.echoack.common.text.FieldMessage.field;

import io.echoack.common.endpoint.Endpoint;
import io.echoack.common.endpoint.EndpointKind;
import io.echoack.common.text.FieldMessage;
import io.echoack.common.text.InvalidFieldException;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFactory;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.epoll.EpollDomainDatagramChannel;
import io.netty.channel.epoll.EpollDomainSocketChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerDomainSocketChannel;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.kqueue.KQueue;
import io.netty.channel.kqueue.KQueueDatagramChannel;
import io.netty.channel.kqueue.KQueueDomainDatagramChannel;
import io.netty.channel.kqueue.KQueueDomainSocketChannel;
import io.netty.channel.kqueue.KQueueIoHandler;
import io.netty.channel.kqueue.KQueueServerDomainSocketChannel;
import io.netty.channel.kqueue.KQueueServerSocketChannel;
import io.netty.channel.kqueue.KQueueSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.channel.socket.nio.NioDomainSocketChannel;
import io.netty.channel.socket.nio.NioServerDomainSocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.channel.unix.DomainSocketAddress;
import io.netty.channel.uring.IoUring;
import io.netty.channel.uring.IoUringDatagramChannel;
import io.netty.channel.uring.IoUringDomainSocketChannel;
import io.netty.channel.uring.IoUringIoHandler;
import io.netty.channel.uring.IoUringServerDomainSocketChannel;
import io.netty.channel.uring.IoUringServerSocketChannel;
import io.netty.channel.uring.IoUringSocketChannel;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import java.util.Locale;

/**
 * The Netty transport that carries every socket of a process: a native one (epoll on Linux, kqueue on
 * macOS/BSD, io_uring on recent Linux) or NIO, which works everywhere. {@link #AUTO} picks the best one
 * available and {@link #select} says why, so a fall-back to NIO is never silent.
 *
 * <p>Each concrete transport knows its event-loop {@link IoHandlerFactory}, the channel classes it has
 * for each {@link EndpointKind}, and the socket address type its Unix channels expect. The native classes
 * are only touched when that transport is used, so a missing native library costs nothing elsewhere.
 */
public enum Transport {
    /** Epoll, then kqueue, then NIO. */
    AUTO,
    /** Linux epoll: every endpoint kind. */
    EPOLL,
    /** macOS/BSD kqueue: every endpoint kind. */
    KQUEUE,
    /** Linux io_uring: all but Unix datagram sockets. */
    IO_URING,
    /** Java NIO: everywhere; Unix stream sockets on JDK 16+, no Unix datagram sockets. */
    NIO;

    /**
     * The name in messages and on command lines: {@code auto}, {@code epoll}, {@code kqueue}, {@code io_uring},
     * {@code nio}.
     */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses a transport name (any case; {@code io-uring} and {@code iouring} are accepted too). */
    public static Transport parse(String text) {
        String t = text.trim().toLowerCase(Locale.ROOT).replace('-', '_');
        if (t.equals("iouring")) {
            t = "io_uring";
        }
        for (Transport transport : values()) {
            if (transport.id().equals(t)) {
                return transport;
            }
        }
        throw new IllegalArgumentException(
                "unknown transport '" + text + "' (expected auto, epoll, kqueue, io_uring or nio)");
    }

    /** True when this transport can be used in this process (AUTO always can). */
    public boolean isAvailable() {
        return switch (this) {
            case AUTO, NIO -> true;
            case EPOLL -> Epoll.isAvailable();
            case KQUEUE -> KQueue.isAvailable();
            case IO_URING -> IoUring.isAvailable();
        };
    }

    /** Why this transport cannot be used here, or null when it can. */
    public Throwable unavailabilityCause() {
        return switch (this) {
            case AUTO, NIO -> null;
            case EPOLL -> Epoll.unavailabilityCause();
            case KQUEUE -> KQueue.unavailabilityCause();
            case IO_URING -> IoUring.unavailabilityCause();
        };
    }

    /**
     * Resolves a requested transport to a concrete, available one.
     *
     * @throws TransportUnavailableException when an explicitly requested native transport cannot load
     */
    public static TransportSelection select(Transport requested) {
        if (requested != AUTO) {
            if (!requested.isAvailable()) {
                throw new TransportUnavailableException(requested, requested.unavailabilityCause());
            }
            return new TransportSelection(requested, FieldMessage.of("requested with ", field("transport"), " ",
                    requested.id()));
        }
        if (EPOLL.isAvailable()) {
            return new TransportSelection(EPOLL, FieldMessage.of("native epoll is available"));
        }
        if (KQUEUE.isAvailable()) {
            return new TransportSelection(KQUEUE, FieldMessage.of("native kqueue is available"));
        }
        Throwable cause = isLinux() ? EPOLL.unavailabilityCause()
                : isMacOrBsd() ? KQUEUE.unavailabilityCause() : null;
        String why = cause == null
                ? "no native transport exists for " + System.getProperty("os.name")
                : (isLinux() ? "epoll" : "kqueue") + " is unavailable: " + describe(cause);
        return new TransportSelection(NIO, FieldMessage.of(why));
    }

    /** True when this transport has channels for {@code kind}. */
    public boolean supports(EndpointKind kind) {
        requireConcrete();
        return !(kind == EndpointKind.UNIXGRAM && (this == NIO || this == IO_URING));
    }

    /**
     * Fails with a message naming the endpoint and the transports that could serve it, when this one
     * cannot.
     *
     * @throws InvalidFieldException naming the {@code transport} setting to change
     */
    public void requireSupport(Endpoint endpoint) {
        if (!supports(endpoint.kind())) {
            throw new InvalidFieldException(FieldMessage.of(endpoint.address(), ": the ", id(),
                    " transport has no Unix datagram sockets; use ", field("transport"),
                    " epoll (Linux) or kqueue (macOS/BSD)"));
        }
    }

    /**
     * True when a stream socket of {@code kind} can stay open for replies after the peer shut down its
     * output. Netty 4.2's NIO and io_uring Unix-stream channels close at end of input (they honour
     * half-closure only for TCP), so there a last message without terminator, or a reply still being
     * written, is lost when the peer half-closes.
     */
    public boolean supportsHalfClosure(EndpointKind kind) {
        requireStream(kind);
        return !(kind.isUnixDomain() && (requireConcrete() == NIO || this == IO_URING));
    }

    /** The event-loop I/O handler factory for {@code MultiThreadIoEventLoopGroup}. */
    public IoHandlerFactory ioHandlerFactory() {
        return switch (requireConcrete()) {
            case EPOLL -> EpollIoHandler.newFactory();
            case KQUEUE -> KQueueIoHandler.newFactory();
            case IO_URING -> IoUringIoHandler.newFactory();
            default -> NioIoHandler.newFactory();
        };
    }

    /** The listening channel for a stream endpoint (TCP or Unix stream). */
    public ChannelFactory<? extends ServerChannel> serverChannelFactory(EndpointKind kind) {
        requireStream(kind);
        boolean unix = kind.isUnixDomain();
        return switch (requireConcrete()) {
            case EPOLL -> unix ? EpollServerDomainSocketChannel::new : EpollServerSocketChannel::new;
            case KQUEUE -> unix ? KQueueServerDomainSocketChannel::new : KQueueServerSocketChannel::new;
            case IO_URING -> unix ? IoUringServerDomainSocketChannel::new : IoUringServerSocketChannel::new;
            default -> unix ? NioServerDomainSocketChannel::new : NioServerSocketChannel::new;
        };
    }

    /** The connecting channel for a stream endpoint (TCP or Unix stream). */
    public ChannelFactory<? extends Channel> streamChannelFactory(EndpointKind kind) {
        requireStream(kind);
        boolean unix = kind.isUnixDomain();
        return switch (requireConcrete()) {
            case EPOLL -> unix ? EpollDomainSocketChannel::new : EpollSocketChannel::new;
            case KQUEUE -> unix ? KQueueDomainSocketChannel::new : KQueueSocketChannel::new;
            case IO_URING -> unix ? IoUringDomainSocketChannel::new : IoUringSocketChannel::new;
            default -> unix ? NioDomainSocketChannel::new : NioSocketChannel::new;
        };
    }

    /** The datagram channel for a UDP or Unix datagram endpoint, used by both servers and clients. */
    public ChannelFactory<? extends Channel> datagramChannelFactory(EndpointKind kind) {
        if (!kind.isDatagram()) {
            throw new IllegalArgumentException(kind.scheme() + " is not a datagram endpoint kind");
        }
        if (!supports(kind)) {
            throw new IllegalArgumentException("the " + id() + " transport has no Unix datagram sockets");
        }
        boolean unix = kind.isUnixDomain();
        return switch (requireConcrete()) {
            case EPOLL -> unix ? EpollDomainDatagramChannel::new : EpollDatagramChannel::new;
            case KQUEUE -> unix ? KQueueDomainDatagramChannel::new : KQueueDatagramChannel::new;
            case IO_URING -> IoUringDatagramChannel::new;
            default -> NioDatagramChannel::new;
        };
    }

    /**
     * The socket address for an endpoint on this transport. Unix paths become Netty's
     * {@link DomainSocketAddress} on native transports and {@link UnixDomainSocketAddress} on NIO (the two
     * are not interchangeable). An empty or wildcard host becomes the wildcard address; other hosts are
     * resolved now (a name that does not resolve stays unresolved, and connect or bind reports it).
     */
    public SocketAddress socketAddress(Endpoint endpoint) {
        Transport t = requireConcrete();
        if (endpoint.kind().isUnixDomain()) {
            String path = endpoint.path().toString();
            return t == NIO ? UnixDomainSocketAddress.of(path) : new DomainSocketAddress(path);
        }
        if (endpoint.host().isEmpty()) {
            return new InetSocketAddress(endpoint.port());
        }
        return new InetSocketAddress(endpoint.host(), endpoint.port());
    }

    private Transport requireConcrete() {
        if (this == AUTO) {
            throw new IllegalStateException("resolve AUTO with Transport.select() first");
        }
        return this;
    }

    private static void requireStream(EndpointKind kind) {
        if (!kind.isStream()) {
            throw new IllegalArgumentException(kind.scheme() + " is not a stream endpoint kind");
        }
    }

    private static boolean isLinux() {
        return System.getProperty("os.name", "").toLowerCase(Locale.ROOT).contains("linux");
    }

    private static boolean isMacOrBsd() {
        String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
        return os.contains("mac") || os.contains("bsd");
    }

    static String describe(Throwable cause) {
        Throwable root = cause;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String msg = root.getMessage();
        return root.getClass().getSimpleName() + (msg == null ? "" : ": " + msg);
    }

    @Override
    public String toString() {
        return id();
    }
}
