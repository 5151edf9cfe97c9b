package io.echoack.client.net;

import io.echoack.common.text.Durations;
import io.echoack.common.codec.Framing;
import io.echoack.common.codec.ReplyMode;
import io.echoack.common.endpoint.Endpoint;
import io.echoack.common.transport.Transport;
import io.echoack.common.transport.TransportSelection;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelOption;
import io.netty.channel.ConnectTimeoutException;
import io.netty.channel.EventLoopGroup;
import java.io.FileNotFoundException;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnknownHostException;
import java.nio.channels.UnresolvedAddressException;
import java.nio.file.NoSuchFileException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The echoack client: talks to any echoack endpoint (TCP, UDP, TLS, Unix stream, Unix datagram), or to any
 * other echo or ack server, over one Netty transport and one event-loop group shared by all its connections.
 * A {@code tls://} connection is made when its TLS handshake is done; the TLS context behind it is built at
 * the first one, from {@link ClientOptions#tls()}.
 *
 * <pre>{@code
 * try (EchoAckClient client = EchoAckClient.builder().timeout(Duration.ofSeconds(2)).build();
 *      Connection connection = client.connect(Endpoint.parse("tcp://127.0.0.1:51717"))) {
 *     String reply = connection.send("hello");   // "I got your message"
 * }
 * }</pre>
 *
 * <p>Closing the client closes its connections and its event loops. Thread-safe.
 */
public final class EchoAckClient implements AutoCloseable {

    private final ClientOptions options;
    private final TransportSelection transport;
    private final EventLoopGroup group;
    private final Set<Channel> openChannels = ConcurrentHashMap.newKeySet();
    private final Set<Connection> openConnections = ConcurrentHashMap.newKeySet();
    private final AtomicBoolean closed = new AtomicBoolean();
    private ClientTlsContext tls; // guarded by this; built at the first tls:// connect

    private EchoAckClient(ClientOptions options) {
        this.options = options;
        this.transport = Transport.select(options.transport());
        this.group = ClientBootstraps.newGroup("echoack-client", options.ioThreads(), transport.transport());
    }

    /** A builder starting from {@link ClientOptions#defaults()}. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * A client with these options.
     *
     * @throws io.echoack.common.transport.TransportUnavailableException when the requested native transport
     *                                                                   cannot be loaded here
     */
    public static EchoAckClient create(ClientOptions options) {
        return new EchoAckClient(options);
    }

    /** The options this client was built with. */
    public ClientOptions options() {
        return options;
    }

    /** The transport in use and why it was chosen. */
    public TransportSelection transport() {
        return transport;
    }

    /**
     * Connects to a stream endpoint, or opens a local datagram socket for a datagram endpoint (binding a
     * temporary socket file for Unix datagrams), and waits until that is done.
     *
     * @throws ConnectionRefusedException when nothing listens there
     * @throws TlsException               when the TLS handshake of a {@code tls://} endpoint fails
     * @throws ConnectFailedException     when the connection cannot be made for another reason
     * @throws IllegalArgumentException   when this client's transport has no channel for the endpoint kind, a
     *                                    TLS option's file cannot be read, the PROXY header does not fit the
     *                                    endpoint, or keepalive was asked for where it cannot be set
     *                                    ({@link Builder#keepalive})
     */
    public Connection connect(Endpoint endpoint) {
        CompletableFuture<Connection> connecting = connectAsync(endpoint);
        try {
            return connecting.get(options.timeout().toMillis() + 5_000, TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException failure) {
                throw failure;
            }
            throw new ConnectFailedException(endpoint, "cannot connect to " + endpoint.address() + ": "
                    + e.getCause(), e.getCause());
        } catch (TimeoutException e) {
            connecting.thenAccept(Connection::close);
            throw new ConnectFailedException(endpoint, "could not connect to " + endpoint.address() + " within "
                    + Durations.format(options.timeout()), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            connecting.thenAccept(Connection::close);
            throw new ConnectFailedException(endpoint, "interrupted while connecting to " + endpoint.address(), e);
        }
    }

    /**
     * {@link #connect(Endpoint)} without waiting. The future fails with the {@link EchoAckClientException}s
     * that {@code connect} throws; programming errors are thrown at once.
     *
     * @throws IllegalArgumentException when this client's transport has no channel for the endpoint kind, a
     *                                  TLS option's file cannot be read, or the PROXY header does not fit the
     *                                  endpoint (a datagram one, or addresses of another family), or keepalive was
     *                                  asked for where it cannot be set ({@link Builder#keepalive})
     * @throws IllegalStateException    when this client is closed
     */
    public CompletableFuture<Connection> connectAsync(Endpoint endpoint) {
        if (closed.get()) {
            throw new IllegalStateException("this client is closed");
        }
        transport.transport().requireSupport(endpoint);
        options.proxyHeader().ifPresent(header -> header.requireUsableOn(endpoint));
        if (options.keepalive().isPresent()) {
            TcpKeepalive.requireUsable(transport.transport(), endpoint);
        }
        ClientTlsContext tlsContext = endpoint.kind().isTls() ? tls() : null;
        ExchangeSettings settings = ExchangeSettings.resolve(endpoint, options);
        SocketAddress server = transport.transport().socketAddress(endpoint);
        if (ClientBootstraps.isUnresolved(server)) {
            return CompletableFuture.failedFuture(new ConnectFailedException(endpoint, "cannot resolve host '"
                    + endpoint.host() + "' of " + endpoint.address(), new UnknownHostException(endpoint.host())));
        }
        options.proxyHeader().ifPresent(header -> header.requireSameFamilyAs(server));
        return endpoint.kind().isStream() ? connectStream(settings, server, tlsContext)
                : openDatagramSocket(settings, server);
    }

    /** The TLS context, built at the first call; the files it reads are read once per client. */
    private synchronized ClientTlsContext tls() {
        if (tls == null) {
            tls = ClientTlsContext.create(options.tls());
        }
        return tls;
    }

    private CompletableFuture<Connection> connectStream(ExchangeSettings settings, SocketAddress server,
                                                        ClientTlsContext tlsContext) {
        Endpoint endpoint = settings.endpoint();
        Bootstrap bootstrap = ClientBootstraps.stream(group, transport.transport(), endpoint, options.timeout())
                .option(ChannelOption.MESSAGE_SIZE_ESTIMATOR, RequestSizeEstimator.INSTANCE)
                .handler(new StreamClientInitializer(settings, tlsContext, options.proxyHeader().orElse(null)));
        CompletableFuture<Connection> result = new CompletableFuture<>();
        ChannelFuture connecting = bootstrap.connect(server);
        ClientBootstraps.ready(connecting).addListener(ready -> {
            if (ready.isSuccess()) {
                try {
                    options.keepalive().ifPresent(every ->
                            TcpKeepalive.enable(connecting.channel(), transport.transport(), every));
                } catch (RuntimeException e) {
                    connecting.channel().close();
                    result.completeExceptionally(new ConnectFailedException(endpoint, "cannot turn TCP keepalive on "
                            + "for " + endpoint.address() + ": " + e.getMessage(), e));
                    return;
                }
                result.complete(register(connecting.channel(), settings));
            } else if (connecting.isSuccess()) { // connected, but the TLS handshake failed
                connecting.channel().close();
                result.completeExceptionally(tlsContext.handshakeFailure(endpoint, ready.cause()));
            } else {
                result.completeExceptionally(connectFailure(endpoint, options.timeout(), ready.cause()));
            }
        });
        return result;
    }

    private CompletableFuture<Connection> openDatagramSocket(ExchangeSettings settings, SocketAddress server) {
        Endpoint endpoint = settings.endpoint();
        Bootstrap bootstrap = ClientBootstraps.datagram(group, transport.transport(), endpoint,
                        ClientBootstraps.largestDatagramPayload(endpoint, settings.maxFrameLength()))
                .option(ChannelOption.MESSAGE_SIZE_ESTIMATOR, RequestSizeEstimator.INSTANCE)
                .handler(new DatagramClientInitializer(settings, server));
        // A connected UDP socket gets the ICMP port unreachable of a port nobody listens on as an error
        // (refused at once instead of a timeout after every retry). A Unix datagram socket stays unconnected:
        // sending to a path without a server fails by itself, and a restarted server is still reachable.
        ChannelFuture binding;
        if (endpoint.kind().isUnixDomain()) {
            try {
                binding = ClientBootstraps.openUnixgram(bootstrap, null);
            } catch (UncheckedIOException e) {
                return CompletableFuture.failedFuture(new ConnectFailedException(endpoint, e.getMessage() + ": "
                        + e.getCause().getMessage(), e.getCause()));
            }
        } else {
            binding = bootstrap.connect(server, wildcardLike(((InetSocketAddress) server).getAddress()));
        }
        CompletableFuture<Connection> result = new CompletableFuture<>();
        binding.addListener(done -> {
            if (done.isSuccess()) {
                result.complete(register(binding.channel(), settings));
            } else {
                result.completeExceptionally(endpoint.kind().isUnixDomain()
                        ? new ConnectFailedException(endpoint, "cannot open a local datagram socket for "
                                + endpoint.address() + ": " + done.cause().getMessage(), done.cause())
                        : connectFailure(endpoint, options.timeout(), done.cause()));
            }
        });
        return result;
    }

    /** The wildcard address of the server address's family, so that IPv6 servers are reachable too. */
    private static InetSocketAddress wildcardLike(InetAddress server) {
        try {
            byte[] any = new byte[server instanceof Inet6Address ? 16 : 4];
            return new InetSocketAddress(InetAddress.getByAddress(any), 0);
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e); // impossible: the address has a valid length
        }
    }

    private Connection register(Channel channel, ExchangeSettings settings) {
        ChannelConnection connection = new ChannelConnection(channel, settings);
        openConnections.add(connection);
        openChannels.add(channel);
        channel.closeFuture().addListener(closedFuture -> {
            openConnections.remove(connection);
            openChannels.remove(channel);
        });
        if (closed.get()) {
            connection.close(); // the client was closed while this connection was being made
        }
        return connection;
    }

    /** Turns a connect failure into the typed exception that says what went wrong, naming the endpoint. */
    static EchoAckClientException connectFailure(Endpoint endpoint, Duration timeout, Throwable cause) {
        if (cause instanceof CompletionException && cause.getCause() != null) {
            cause = cause.getCause();
        }
        String detail = String.valueOf(cause.getMessage());
        if (cause instanceof ConnectTimeoutException) {
            return new ConnectFailedException(endpoint, "could not connect to " + endpoint.address() + " within "
                    + Durations.format(timeout), cause);
        }
        if (cause instanceof UnresolvedAddressException) {
            return new ConnectFailedException(endpoint, "cannot resolve host '" + endpoint.host() + "' of "
                    + endpoint.address(), cause);
        }
        if (endpoint.kind().isUnixDomain()
                && (cause instanceof FileNotFoundException || cause instanceof NoSuchFileException
                        || detail.contains("No such file"))) {
            return new ConnectionRefusedException(endpoint, "no socket file " + endpoint.path(), cause);
        }
        if (cause instanceof ConnectException || detail.contains("refused")) {
            return new ConnectionRefusedException(endpoint, null, cause);
        }
        return new ConnectFailedException(endpoint, "cannot connect to " + endpoint.address() + ": " + detail,
                cause);
    }

    /** True once {@link #close()} was called. */
    public boolean isClosed() {
        return closed.get();
    }

    /**
     * Closes every connection and shuts the event loops down, waiting for both unless called on one of this
     * client's event loops. Idempotent.
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        for (Connection connection : new ArrayList<>(openConnections)) {
            connection.close();
        }
        for (Channel channel : new ArrayList<>(openChannels)) {
            channel.close();
        }
        var terminated = group.shutdownGracefully(0, 2, TimeUnit.SECONDS);
        boolean onOwnLoop = false;
        for (var executor : group) {
            onOwnLoop |= executor.inEventLoop();
        }
        if (!onOwnLoop) {
            terminated.awaitUninterruptibly(5, TimeUnit.SECONDS);
        }
    }

    /**
     * Builds an {@link EchoAckClient}: a {@link ClientOptions} starting from {@link ClientOptions#defaults()},
     * changed one field at a time. Each setter checks its value at once and throws
     * {@link IllegalArgumentException} naming the field when it is out of range.
     */
    public static final class Builder {

        private ClientOptions options = ClientOptions.defaults();

        private Builder() {
        }

        /** The transport, {@link Transport#AUTO} by default. */
        public Builder transport(Transport transport) {
            options = options.withTransport(transport);
            return this;
        }

        /** Reply timeout (per attempt on datagrams) and connect timeout; 5 s by default. */
        public Builder timeout(Duration timeout) {
            options = options.withTimeout(timeout);
            return this;
        }

        /** Datagram resends after a timeout; 2 by default. Streams never resend. */
        public Builder retries(int retries) {
            options = options.withRetries(retries);
            return this;
        }

        /**
         * The reply mode the server is expected to use, unless the endpoint says; ack by default. In echo mode a
         * reply that is not the echo of its message fails with {@link InvalidReplyException}.
         */
        public Builder mode(ReplyMode mode) {
            options = options.withMode(mode);
            return this;
        }

        /** Stream framing, unless the endpoint says; line by default. */
        public Builder framing(Framing framing) {
            options = options.withFraming(Optional.ofNullable(framing));
            return this;
        }

        /** The longest reply (and request) payload, in bytes; 64 KiB by default. */
        public Builder maxFrameLength(int maxFrameLength) {
            options = options.withMaxFrameLength(maxFrameLength);
            return this;
        }

        /**
         * The ack text the server sends, if known. With raw framing in ack mode the client then waits for a
         * reply of exactly that length instead of taking the first read.
         */
        public Builder ackText(String ackText) {
            options = options.withAckText(Optional.ofNullable(ackText));
            return this;
        }

        /** Event-loop threads; one per core by default (a thread starts only once a connection needs it). */
        public Builder ioThreads(int ioThreads) {
            options = options.withIoThreads(ioThreads);
            return this;
        }

        /** TLS trust, client certificate and server-name checks for {@code tls://} endpoints. */
        public Builder tls(TlsOptions tls) {
            options = options.withTls(tls);
            return this;
        }

        /**
         * A PROXY protocol header to send first on every stream connection (on {@code tls://} before the
         * handshake); null for none, the default. A datagram endpoint is then refused.
         */
        public Builder proxyHeader(ProxyHeader proxyHeader) {
            options = options.withProxyHeader(Optional.ofNullable(proxyHeader));
            return this;
        }

        /**
         * TCP keepalive on every TCP connection ({@code tcp://}, {@code tls://}) with this idle time and interval,
         * in whole seconds; null for none, the default. A Unix or datagram endpoint is then refused, as is the
         * kqueue transport, which cannot set the idle time. See {@link ClientOptions#keepalive()}.
         */
        public Builder keepalive(Duration every) {
            options = options.withKeepalive(Optional.ofNullable(every));
            return this;
        }

        /** The options built so far. */
        public ClientOptions options() {
            return options;
        }

        /**
         * The client.
         *
         * @throws io.echoack.common.transport.TransportUnavailableException when the requested transport
         *                                                                   cannot be loaded here
         */
        public EchoAckClient build() {
            return new EchoAckClient(options);
        }
    }
}
