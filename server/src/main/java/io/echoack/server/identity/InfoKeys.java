package io.echoack.server.identity;

import java.util.List;

/**
 * The keys of an {@code info} reply, in the order they appear; documented in the README, and stable: a key is
 * never renamed or removed, new ones may be added. Keys marked "when" below appear only when they apply; the
 * {@code --identity} pairs come right after {@link #HOST}, in the order given.
 */
public final class InfoKeys {

    /** The server's host name, or the {@code --identity host=...} value. */
    public static final String HOST = "host";
    /** The listener, as the metrics name it: its configured address, e.g. {@code tcp://0.0.0.0:51717}. */
    public static final String LISTENER = "listener";
    /** The Netty transport: {@code epoll}, {@code kqueue}, {@code io_uring} or {@code nio}. */
    public static final String TRANSPORT = "transport";
    /** The socket's local address (the one the datagram was sent to, on datagram listeners). */
    public static final String LOCAL = "local";
    /** The peer address on the socket: the client, or the load balancer in front of it. */
    public static final String PEER = "peer";
    /** The client's address: a trusted PROXY header's source, else the peer. */
    public static final String CLIENT = "client";
    /** When a PROXY header was accepted: its version, 1 or 2 (a JSON number). */
    public static final String PROXY = "proxy";
    /** When a PROXY header was accepted: {@code proxy}, or {@code local} (a v2 health check: no addresses). */
    public static final String PROXY_COMMAND = "proxy_command";
    /** When a PROXY header gave addresses: the address the client connected to, as the balancer saw it. */
    public static final String PROXY_DESTINATION = "proxy_destination";
    /** Prefix of one key per PROXY v2 TLV: {@code proxy_tlv.alpn}, {@code proxy_tlv.tlv_0xe0}, ... */
    public static final String PROXY_TLV_PREFIX = "proxy_tlv.";
    /** On TLS: the protocol version, e.g. {@code TLSv1.3}. */
    public static final String TLS_VERSION = "tls_version";
    /** On TLS: the cipher suite. */
    public static final String TLS_CIPHER = "tls_cipher";
    /** On TLS, when the client sent a server name (SNI): that name. */
    public static final String TLS_SNI = "tls_sni";
    /** On TLS, when ALPN selected a protocol: that protocol. */
    public static final String TLS_ALPN = "tls_alpn";
    /** On TLS, when the client presented a certificate: its subject (RFC 2253). */
    public static final String TLS_CLIENT_SUBJECT = "tls_client_subject";
    /** Streams: the message's number on its connection, from 1 (a JSON number). Not on datagrams. */
    public static final String SEQ = "seq";
    /** The server's version. */
    public static final String VERSION = "version";

    /** Every key that is not an {@code --identity} key, in reply order ({@link #PROXY_TLV_PREFIX} as a prefix). */
    public static final List<String> BUILT_IN = List.of(HOST, LISTENER, TRANSPORT, LOCAL, PEER, CLIENT, PROXY,
            PROXY_COMMAND, PROXY_DESTINATION, PROXY_TLV_PREFIX, TLS_VERSION, TLS_CIPHER, TLS_SNI, TLS_ALPN,
            TLS_CLIENT_SUBJECT, SEQ, VERSION);

    private InfoKeys() {
    }

    /**
     * True for a key {@code --identity} may not set: every built-in key but {@link #HOST} (which it overrides),
     * and whatever starts with {@code proxy} or {@code tls_}, so that later built-in keys cannot collide either.
     */
    public static boolean isReserved(String key) {
        return !key.equals(HOST) && (BUILT_IN.contains(key) || key.startsWith("proxy") || key.startsWith("tls_"));
    }
}
