package io.echoack.client.net;

import static io.echoack.common.text.FieldMessage.field;

import io.echoack.common.codec.Framing;
import io.echoack.common.codec.ReplyMode;
import io.echoack.common.endpoint.Endpoint;
import io.echoack.common.text.Durations;
import io.echoack.common.text.FieldMessage;
import io.echoack.common.text.InvalidFieldException;
import io.echoack.common.transport.Transport;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * Everything an {@link EchoAckClient} is configured with, validated once. Build it with
 * {@link EchoAckClient#builder()}; an endpoint's own query overrides ({@code ?mode=echo&framing=length})
 * take precedence over {@link #mode()} and {@link #framing()} for that endpoint.
 *
 * @param transport      the requested transport; {@link Transport#AUTO} picks epoll, then kqueue, then NIO
 * @param timeout        how long to wait for each reply (each attempt, on datagrams), and for a connect
 * @param retries        how many times a datagram request is sent again after a timeout (streams never
 *                       resend: TCP and Unix streams do not lose messages)
 * @param mode           the reply mode the server is expected to use: in echo mode a reply that is not the
 *                       echo of its message fails with {@link InvalidReplyException}; it also decides where a
 *                       reply ends with raw framing (echo: as many bytes as were sent; info: at a newline)
 * @param framing        stream framing; empty means {@link Framing#LINE}, which works against both a default
 *                       ack server and a raw echo server (a line echoed back is a line)
 * @param maxFrameLength the longest reply payload accepted, and the longest request payload sent
 * @param ackText        the ack text the server sends, when known; with raw framing in ack mode the client
 *                       then waits for exactly that many bytes, otherwise it takes the first read as the reply
 * @param ioThreads      event-loop threads of the client's one event-loop group
 * @param tls            trust, client certificate and server-name checks for {@code tls://} endpoints
 * @param proxyHeader    a PROXY protocol header to send first on every stream connection; empty for none (a
 *                       datagram endpoint is then refused: the protocol is for streams)
 * @param keepalive      TCP keepalive on every TCP connection ({@code tcp://}, {@code tls://}), with this idle time
 *                       and this interval between probes, so that a balancer or NAT that forgets idle flows
 *                       keeps this one; whole seconds (the kernel's unit), 1 s to {@value #MAX_KEEPALIVE_SECONDS}
 *                       s. Empty for none, the default (the socket's own, keepalive off). A Unix or datagram
 *                       endpoint is then refused: it has no TCP ({@link TcpKeepalive})
 */
public record ClientOptions(Transport transport, Duration timeout, int retries, ReplyMode mode,
                            Optional<Framing> framing, int maxFrameLength, Optional<String> ackText,
                            int ioThreads, TlsOptions tls, Optional<ProxyHeader> proxyHeader,
                            Optional<Duration> keepalive) {

    /** Default reply timeout: 5 seconds. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(5);

    /** Default datagram resends after a timeout: 2 (so 3 attempts in all). */
    public static final int DEFAULT_RETRIES = 2;

    /** Default max frame length: 64 KiB, as the server's. */
    public static final int DEFAULT_MAX_FRAME_LENGTH = 64 * 1024;

    /** The longest TCP keepalive idle time and interval Linux takes (MAX_TCP_KEEPIDLE, MAX_TCP_KEEPINTVL). */
    public static final int MAX_KEEPALIVE_SECONDS = 32767;

    /** The framing used on streams when neither the endpoint nor the options name one. */
    public static final Framing DEFAULT_STREAM_FRAMING = Framing.LINE;

    public ClientOptions {
        Objects.requireNonNull(transport, "transport");
        Objects.requireNonNull(timeout, "timeout");
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(framing, "framing");
        Objects.requireNonNull(ackText, "ackText");
        Objects.requireNonNull(tls, "tls");
        Objects.requireNonNull(proxyHeader, "proxyHeader");
        Objects.requireNonNull(keepalive, "keepalive");
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("timeout must be > 0, was " + timeout);
        }
        if (retries < 0) {
            throw new IllegalArgumentException("retries must be >= 0, was " + retries);
        }
        if (maxFrameLength <= 0) {
            throw new IllegalArgumentException("maxFrameLength must be > 0, was " + maxFrameLength);
        }
        if (ioThreads <= 0) {
            throw new IllegalArgumentException("ioThreads must be > 0, was " + ioThreads);
        }
        if (ackText.isPresent() && ackText.get().isEmpty()) {
            throw new IllegalArgumentException("ackText must not be empty");
        }
        keepalive.ifPresent(ClientOptions::checkKeepalive);
    }

    private static void checkKeepalive(Duration keepalive) {
        if (keepalive.getNano() != 0 || keepalive.getSeconds() < 1 || keepalive.getSeconds() > MAX_KEEPALIVE_SECONDS) {
            throw new InvalidFieldException(FieldMessage.of(field("keepalive"), " must be whole seconds from 1s to "
                    + MAX_KEEPALIVE_SECONDS + "s (TCP counts keepalive time in seconds), was "
                    + Durations.format(keepalive)));
        }
    }

    /**
     * The defaults: AUTO transport, 5 s timeout, 2 retries, ack mode, line framing, 64 KiB, one thread per core,
     * TLS trusting the JDK's CAs, no PROXY header.
     */
    public static ClientOptions defaults() {
        return new ClientOptions(Transport.AUTO, DEFAULT_TIMEOUT, DEFAULT_RETRIES, ReplyMode.ACK, Optional.empty(),
                DEFAULT_MAX_FRAME_LENGTH, Optional.empty(), Runtime.getRuntime().availableProcessors(),
                TlsOptions.defaults(), Optional.empty(), Optional.empty());
    }

    /** These options with another transport. */
    public ClientOptions withTransport(Transport newTransport) {
        return new ClientOptions(newTransport, timeout, retries, mode, framing, maxFrameLength,
                ackText, ioThreads, tls, proxyHeader, keepalive);
    }

    /**
     * These options with another reply and connect timeout.
     *
     * @throws IllegalArgumentException when the value is out of range (the message names the field)
     */
    public ClientOptions withTimeout(Duration newTimeout) {
        return new ClientOptions(transport, newTimeout, retries, mode, framing, maxFrameLength,
                ackText, ioThreads, tls, proxyHeader, keepalive);
    }

    /**
     * These options with another number of datagram resends.
     *
     * @throws IllegalArgumentException when the value is out of range (the message names the field)
     */
    public ClientOptions withRetries(int newRetries) {
        return new ClientOptions(transport, timeout, newRetries, mode, framing, maxFrameLength,
                ackText, ioThreads, tls, proxyHeader, keepalive);
    }

    /** These options with another expected reply mode. */
    public ClientOptions withMode(ReplyMode newMode) {
        return new ClientOptions(transport, timeout, retries, newMode, framing, maxFrameLength,
                ackText, ioThreads, tls, proxyHeader, keepalive);
    }

    /** These options with another stream framing; empty for the default, line. */
    public ClientOptions withFraming(Optional<Framing> newFraming) {
        return new ClientOptions(transport, timeout, retries, mode, newFraming, maxFrameLength,
                ackText, ioThreads, tls, proxyHeader, keepalive);
    }

    /**
     * These options with another max frame length.
     *
     * @throws IllegalArgumentException when the value is out of range (the message names the field)
     */
    public ClientOptions withMaxFrameLength(int newMaxFrameLength) {
        return new ClientOptions(transport, timeout, retries, mode, framing, newMaxFrameLength,
                ackText, ioThreads, tls, proxyHeader, keepalive);
    }

    /**
     * These options with another expected ack text; empty when not known.
     *
     * @throws IllegalArgumentException when the value is out of range (the message names the field)
     */
    public ClientOptions withAckText(Optional<String> newAckText) {
        return new ClientOptions(transport, timeout, retries, mode, framing, maxFrameLength,
                newAckText, ioThreads, tls, proxyHeader, keepalive);
    }

    /**
     * These options with another number of event-loop threads.
     *
     * @throws IllegalArgumentException when the value is out of range (the message names the field)
     */
    public ClientOptions withIoThreads(int newIoThreads) {
        return new ClientOptions(transport, timeout, retries, mode, framing, maxFrameLength,
                ackText, newIoThreads, tls, proxyHeader, keepalive);
    }

    /** These options with other TLS options. */
    public ClientOptions withTls(TlsOptions newTls) {
        return new ClientOptions(transport, timeout, retries, mode, framing, maxFrameLength,
                ackText, ioThreads, newTls, proxyHeader, keepalive);
    }

    /** These options with a PROXY header to send first on every stream connection; empty for none. */
    public ClientOptions withProxyHeader(Optional<ProxyHeader> newProxyHeader) {
        return new ClientOptions(transport, timeout, retries, mode, framing, maxFrameLength,
                ackText, ioThreads, tls, newProxyHeader, keepalive);
    }

    /**
     * These options with TCP keepalive at this idle time and interval on every TCP connection; empty for none.
     *
     * @throws IllegalArgumentException when the value is not whole seconds from 1 s to
     *                                  {@value #MAX_KEEPALIVE_SECONDS} s (the message names the field)
     */
    public ClientOptions withKeepalive(Optional<Duration> newKeepalive) {
        return new ClientOptions(transport, timeout, retries, mode, framing, maxFrameLength,
                ackText, ioThreads, tls, proxyHeader, newKeepalive);
    }

    /** The reply mode for {@code endpoint}: its query override, else {@link #mode()}. */
    public ReplyMode modeFor(Endpoint endpoint) {
        return endpoint.modeOr(mode);
    }

    /**
     * The framing for a stream {@code endpoint}: its query override, else {@link #framing()}, else
     * {@link #DEFAULT_STREAM_FRAMING}. Empty for datagram endpoints, which need none.
     */
    public Optional<Framing> framingFor(Endpoint endpoint) {
        if (endpoint.kind().isDatagram()) {
            return Optional.empty();
        }
        return Optional.of(endpoint.framing().or(() -> framing).orElse(DEFAULT_STREAM_FRAMING));
    }
}
