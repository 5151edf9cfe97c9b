package io.echoack.server.proxy.header;

import java.time.Duration;
import java.util.Objects;

/**
 * How the server's PROXY protocol listeners (endpoints with {@code ?proxy=}) read their headers; shared by all of
 * them. Whether a listener takes a header at all, and which, is the endpoint's own {@code ?proxy=}.
 *
 * @param trustedProxies the peers whose headers are believed; a header from anyone else closes the connection
 * @param headerTimeout  how long a connection may take to send its complete header; a balancer sends it at once,
 *                       so a connection still without one after this long is closed
 */
public record ProxySettings(TrustedProxies trustedProxies, Duration headerTimeout) {

    /**
     * 5 s: a balancer writes its header together with (or before) the client's first bytes, within a round trip
     * of accepting; five seconds leaves room for a loaded balancer, while a peer that opens connections and
     * sends nothing holds each for five seconds at most (nginx's stream module waits 30 s by default, its
     * {@code proxy_protocol_timeout}).
     */
    public static final Duration DEFAULT_HEADER_TIMEOUT = Duration.ofSeconds(5);
    /** Longest header timeout accepted by configuration. */
    public static final Duration MAX_HEADER_TIMEOUT = Duration.ofMinutes(5);

    public ProxySettings {
        Objects.requireNonNull(trustedProxies, "trustedProxies");
        Objects.requireNonNull(headerTimeout, "headerTimeout");
        if (headerTimeout.isNegative() || headerTimeout.isZero() || headerTimeout.compareTo(MAX_HEADER_TIMEOUT) > 0) {
            throw new IllegalArgumentException("proxy: headerTimeout must be > 0 and at most 5m, was " + headerTimeout);
        }
    }

    /** Nobody trusted, the default header timeout: the settings of a server without PROXY listeners. */
    public static ProxySettings defaults() {
        return new ProxySettings(TrustedProxies.NONE, DEFAULT_HEADER_TIMEOUT);
    }

    public ProxySettings withTrustedProxies(TrustedProxies newTrustedProxies) {
        return new ProxySettings(newTrustedProxies, headerTimeout);
    }

    public ProxySettings withHeaderTimeout(Duration newHeaderTimeout) {
        return new ProxySettings(trustedProxies, newHeaderTimeout);
    }
}
