package io.echoack.common.endpoint;

/** The socket families echoack speaks, one per URI scheme. */
public enum EndpointKind {
    /** TCP stream, {@code tcp://HOST:PORT}. */
    TCP("tcp", true, false),
    /** UDP datagrams, {@code udp://HOST:PORT}. */
    UDP("udp", false, false),
    /** Unix-domain stream socket, {@code unix:///path}. */
    UNIX("unix", true, true),
    /** Unix-domain datagram socket, {@code unixgram:///path}. */
    UNIXGRAM("unixgram", false, true),
    /** TLS over a TCP stream, {@code tls://HOST:PORT}: a TCP socket with a TLS session on top. */
    TLS("tls", true, false);

    private final String scheme;
    private final boolean stream;
    private final boolean unixDomain;

    EndpointKind(String scheme, boolean stream, boolean unixDomain) {
        this.scheme = scheme;
        this.stream = stream;
        this.unixDomain = unixDomain;
    }

    /** The URI scheme, e.g. {@code tcp}. */
    public String scheme() {
        return scheme;
    }

    /** True for byte streams (TCP, TLS, Unix stream), where messages need framing. */
    public boolean isStream() {
        return stream;
    }

    /** True for datagram sockets, where one datagram is one message. */
    public boolean isDatagram() {
        return !stream;
    }

    /** True for Unix-domain sockets, addressed by a filesystem path. */
    public boolean isUnixDomain() {
        return unixDomain;
    }

    /**
     * True for TLS: the socket is a TCP socket ({@link #isUnixDomain()} is false, channels and addresses are
     * TCP's), and every byte on it goes through a TLS session.
     */
    public boolean isTls() {
        return this == TLS;
    }

    /** The kind for a URI scheme (lower case), or null when there is none. */
    static EndpointKind forScheme(String scheme) {
        for (EndpointKind kind : values()) {
            if (kind.scheme.equals(scheme)) {
                return kind;
            }
        }
        return null;
    }
}
